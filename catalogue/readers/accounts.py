"""Accounts: what django-axes needs to know about our two login forms."""

from django.http import HttpRequest


def axes_username(request: HttpRequest | None, credentials: dict | None) -> str:
    """The address or username a login attempt names: the admin's form posts `username`,
    allauth's posts `login` (and authenticates with `email`)."""
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    data = request.POST if request is not None else {}
    return str(data.get("login") or data.get("username") or "").strip().lower()
