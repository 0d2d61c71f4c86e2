"""Accounts: what django-axes needs to know about our two login forms; log in, then act."""

from urllib.parse import quote

from django.conf import settings
from django.shortcuts import resolve_url


def axes_username(request, credentials: dict | None) -> str:
    """The address or username a login attempt names: the admin's form posts `username`,
    allauth's posts `login` (and authenticates with `email`)."""
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    data = request.POST if request is not None else {}
    return str(data.get("login") or data.get("username") or "").strip().lower()


def login_first(url: str, user) -> str:
    """The address of an action for logged-in readers ("Save this paper", "Link it"): `url` itself
    for a logged-in reader, else the log-in page, which comes back to `url` (the `next` that
    Django's `redirect_to_login` writes)."""
    if user.is_authenticated:
        return url
    return f"{resolve_url(settings.LOGIN_URL)}?next={quote(url, safe='/')}"
