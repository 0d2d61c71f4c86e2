from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "sign_in_url": sign_in_url(request),
    }


def sign_in_url(request) -> str:
    """The header's "Sign in" link: back to this page afterwards; on the account pages
    themselves, back to where they were going (their own `next`), never to the sign-in page
    nested in its own `next` (a crawler found 1,335 such addresses)."""
    login = reverse("account_login")
    if request.path.startswith("/accounts/"):  # allauth's pages (config/urls.py)
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}) or target.startswith(login):
            return login
    else:
        target = request.get_full_path()
    return f"{login}?{urlencode({'next': target})}"


def author(request):
    """`waiting_citations`: how many uncertain citations of the logged-in author's works wait for
    a decision; counted only when a page prints it (one query; none for anonymous readers)."""
    from .authors.pending import waiting_count  # the models load after the settings

    @cache  # templates call it where they print it: counted once a request
    def count() -> int:
        user = getattr(request, "user", None)
        return waiting_count(user) if user is not None and user.is_authenticated else 0

    return {"waiting_citations": count}
