"""allauth's ORCID provider and adapter, with the addresses from the settings (see __init__)."""

from __future__ import annotations

from allauth.socialaccount.providers.orcid.provider import OrcidProvider as AllauthOrcidProvider
from allauth.socialaccount.providers.orcid.views import OrcidOAuth2Adapter
from django.conf import settings
from django.http import HttpRequest


class OrcidAdapter(OrcidOAuth2Adapter):
    """The authorize page on ORCID_BASE_URL; the token and the record on ORCID_API_URL (the
    public API, or the member API with ORCID_MEMBER), as allauth's adapter builds them."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.member_api = settings.ORCID_MEMBER
        self.authorize_url = f"{settings.ORCID_BASE_URL}/oauth/authorize"
        self.access_token_url = f"{settings.ORCID_API_URL}/oauth/token"
        self.profile_url = f"{settings.ORCID_API_URL}/v3.0/%s/record"


class OrcidProvider(AllauthOrcidProvider):
    name = "ORCID"
    oauth2_adapter_class = OrcidAdapter


provider_classes = [OrcidProvider]
