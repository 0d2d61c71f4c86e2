"""Logging in with ORCID: allauth's ORCID provider, its addresses taken from the settings.

allauth's `OrcidOAuth2Adapter` builds `https://<ORCID_BASE_DOMAIN>/...` once, when it is
imported; ours (`provider.OrcidAdapter`) reads `ORCID_BASE_URL` and `ORCID_API_URL` at each
request, so that the settings (and a test's stand-in of ORCID on loopback) decide, and nothing
else of allauth's is changed. allauth takes our provider through its own setting
(`SOCIALACCOUNT_PROVIDERS["orcid"]["provider_class"]`), and its addresses from this package's
`urls.py` (the provider's package). The login is on only when `ORCID_CLIENT_ID` and
`ORCID_CLIENT_SECRET` are set (`enabled()`): otherwise there is no app, no button, and the
login addresses answer 404.
"""

from __future__ import annotations

from django.conf import settings


def enabled() -> bool:
    return bool(settings.ORCID_CLIENT_ID and settings.ORCID_CLIENT_SECRET)
