"""Accounts: what django-axes needs to know about our two login forms; log in, then act."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse

#: Failures counted per (username, address), on both forms: guessing one account's password.
PER_ACCOUNT = [["username", "ip_address"]]
#: ... and on the admin's form per address too, whatever the username: password spraying (one
#: password tried on many usernames) from one address is locked out after AXES_FAILURE_LIMIT.
PER_ACCOUNT_AND_ADDRESS = [["username", "ip_address"], "ip_address"]


def axes_username(request: HttpRequest | None, credentials: dict | None) -> str:
    """The address or username a login attempt names: the admin's form posts `username`,
    allauth's posts `login` (and authenticates with `email`)."""
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    data = request.POST if request is not None else {}
    return str(data.get("login") or data.get("username") or "").strip().lower()


def axes_lockout_parameters(request_or_attempt: object, credentials: dict | None = None) -> list:
    """What django-axes counts failures by (AXES_LOCKOUT_PARAMETERS). The site's log-in is not
    locked per address, so that a campus gateway shared by many readers stays open; allauth
    limits its failures per address instead (ACCOUNT_RATE_LIMITS). Axes passes a request or
    an AccessAttempt; both have the path."""
    path = getattr(request_or_attempt, "path_info", "") or ""
    return PER_ACCOUNT_AND_ADDRESS if path.startswith(reverse("admin:index")) else PER_ACCOUNT


def login_first(url: str, user: AbstractBaseUser | AnonymousUser) -> str:
    """The address of an action for logged-in readers ("Save this paper", "Link it"): `url` itself
    for a logged-in reader, else the log-in page, which comes back to `url` (the `next` that
    Django's `redirect_to_login` writes)."""
    if user.is_authenticated:
        return url
    return f"{resolve_url(settings.LOGIN_URL)}?next={quote(url, safe='/')}"
