"""How allauth speaks for the site: its e-mails greet with the site's name (SITE_NAME), not the
host it was reached by (allauth's RequestSite names a site by its host, `127.0.0.1:8123`,
without django.contrib.sites)."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings


@dataclass(frozen=True)
class NamedSite:
    name: str
    domain: str

    def __str__(self) -> str:
        return self.name


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        domain = request.get_host() if request is not None else ""
        context = {"current_site": NamedSite(settings.SITE_NAME, domain), **context}
        super().send_mail(template_prefix, email, context)
