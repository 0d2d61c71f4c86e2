"""Logging in with ORCID: allauth's ORCID provider, its addresses taken from the settings.

allauth's `OrcidOAuth2Adapter` builds `https://<ORCID_BASE_DOMAIN>/...` once, when it is
imported; ours (`provider.OrcidAdapter`) reads `ORCID_BASE_URL` and `ORCID_API_URL` at each
request, so that the settings (and a test's stand-in of ORCID on loopback) decide, and nothing
else of allauth's is changed. allauth takes our provider through its own setting
(`SOCIALACCOUNT_PROVIDERS["orcid"]["provider_class"]`), and its addresses from this package's
`urls.py` (the provider's package). The login is on only when `ORCID_CLIENT_ID` and
`ORCID_CLIENT_SECRET` are set (`enabled()`): otherwise there is no app, no button, and the
login addresses answer 404.

A page whose form ends at ORCID (the form posts to the site, which redirects to ORCID's authorize
page) must name ORCID in its Content-Security-Policy's `form-action`, or the browser stops the
redirect: `let_forms_go_to_orcid` adds it to that page's policy only (the log-in view's "Continue",
the profile's "Connect my ORCID record"); every other page keeps `form-action 'self'`.
"""

from __future__ import annotations

import urllib.parse
from typing import TypeVar

from django.conf import settings
from django.http import HttpResponseBase

Response = TypeVar("Response", bound=HttpResponseBase)


def enabled() -> bool:
    return bool(settings.ORCID_CLIENT_ID and settings.ORCID_CLIENT_SECRET)


def let_forms_go_to_orcid(response: Response) -> Response:
    """Allow this page's forms to be redirected to ORCID's authorize page (CSP `form-action`; the
    enforced policy, and the report-only one while DEBUG)."""
    if enabled():
        url = urllib.parse.urlsplit(settings.ORCID_BASE_URL)
        extra = {"form-action": [f"{url.scheme}://{url.netloc}"]}
        response._csp_update = extra  # type: ignore[attr-defined]  # django-csp's per-response update
        response._csp_update_ro = extra  # type: ignore[attr-defined]
    return response
