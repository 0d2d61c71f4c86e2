"""What a login with ORCID does besides logging in: the app comes from the environment only,
and the verified iD goes on the reader's author profile."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.signals import social_account_added
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from ...handles import normalise_orcid
from ...models import Person
from . import enabled


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """ORCID's app from the settings, or none: never the database (no query on the login
        page, and no app made in the admin turns a login on that the environment does not)."""
        if not enabled() or provider not in (None, "orcid") or client_id not in (None, settings.ORCID_CLIENT_ID):
            return []
        return [
            SocialApp(
                provider="orcid", name="ORCID", client_id=settings.ORCID_CLIENT_ID, secret=settings.ORCID_CLIENT_SECRET
            )
        ]


def take_verified_orcid(request: HttpRequest, user: Any, uid: str) -> None:
    """Put the iD ORCID vouched for on the user's author profile, if they have one and it has
    none; a profile with another iD keeps it, and the reader is told (never changed silently)."""
    try:
        orcid = normalise_orcid(uid)
    except ValueError:
        return
    person = Person.objects.filter(user=user).first()
    if person is None or person.orcid == orcid:
        return  # no profile yet: the form to create one offers the iD (views.me.profile)
    if person.orcid:
        messages.warning(
            request,
            f"Your author profile has the ORCID iD {person.orcid}; you logged in with ORCID as {orcid}. "
            "The profile keeps its iD: change it on your profile if the other one is yours.",
        )
        return
    holder = Person.objects.filter(orcid=orcid).exclude(pk=person.pk).first()
    if holder is None:
        try:
            with transaction.atomic():
                person.orcid = orcid
                person.save(update_fields=["orcid", "updated_at"])
        except IntegrityError:  # taken by another profile in between
            holder = Person.objects.filter(orcid=orcid).first()
        else:
            messages.success(request, f"Your ORCID iD {orcid}, verified by ORCID, is now on your author profile.")
            return
    name = f"{holder.name_full} ({holder.short_id})" if holder is not None else "another author"
    messages.warning(request, f"The ORCID iD {orcid} is on the profile of {name}; write to us if it is yours.")


def _logged_in(sender: Any, request: HttpRequest, user: Any, sociallogin: Any = None, **kwargs: Any) -> None:
    if sociallogin is not None and sociallogin.account.provider == "orcid":
        take_verified_orcid(request, user, sociallogin.account.uid)


def _account_added(sender: Any, request: HttpRequest, sociallogin: Any, **kwargs: Any) -> None:
    if sociallogin.account.provider == "orcid":
        take_verified_orcid(request, sociallogin.user, sociallogin.account.uid)


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="orcid_logged_in")
    social_account_added.connect(_account_added, dispatch_uid="orcid_account_added")
