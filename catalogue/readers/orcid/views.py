"""The login and callback addresses of the ORCID provider: allauth's views with our adapter,
404 while ORCID is not configured; the login page's form may go on to ORCID (CSP form-action)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404, HttpRequest, HttpResponse

from . import enabled, let_forms_go_to_orcid
from .provider import OrcidAdapter


def _when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404("Logging in with ORCID is not set up on this site.")
        return let_forms_go_to_orcid(view(request, *args, **kwargs))

    return wrapper


oauth2_login = _when_enabled(OAuth2LoginView.adapter_view(OrcidAdapter))
oauth2_callback = _when_enabled(OAuth2CallbackView.adapter_view(OrcidAdapter))
