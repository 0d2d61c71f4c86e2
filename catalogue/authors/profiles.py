"""Author profiles: permanent RePEc-style short-ids, names and affiliations."""

from __future__ import annotations

import operator
import re
from functools import reduce

from django.db import IntegrityError, transaction
from django.db.models import Q

from ..handles import normalise_orcid
from ..models import Person
from ..names import short_id_prefix

SHORT_ID = re.compile(r"^p[a-z]{2}\d+$")


def next_short_id(name_last: str) -> str:
    """The prefix and one more than the highest number in use with it (RePEc numbers them)."""
    prefix = short_id_prefix(name_last)
    used = Person.objects.filter(short_id__startswith=prefix).values_list("short_id", flat=True)
    numbers = [int(sid[len(prefix) :]) for sid in used if SHORT_ID.match(sid) and sid[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def full_name(first: str, middle: str, last: str) -> str:
    return " ".join(part.strip() for part in (first, middle, last) if part.strip())


def create_person(user, person: Person, attempts: int = 5) -> Person:
    """Save a new profile for `user` with the next free short-id (retried if another takes it)."""
    person.user = user
    person.email = person.email or user.email
    for _ in range(attempts):
        person.short_id = next_short_id(person.name_last)
        try:
            with transaction.atomic():
                person.save()
            return person
        except IntegrityError:
            if Person.objects.filter(user=user).exists():
                raise
    raise IntegrityError("no free short-id after several attempts")


def person_of(user) -> Person | None:
    """The profile the logged-in user owns, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def verified_emails(user) -> set[str]:
    """The addresses the user has confirmed (allauth), lower case."""
    from allauth.account.models import EmailAddress

    return {e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)}


def verified_orcid(user) -> str:
    """The ORCID iD the user logged in with (ORCID verified it), or ''."""
    from allauth.socialaccount.models import SocialAccount

    uid = SocialAccount.objects.filter(user=user, provider="orcid").values_list("uid", flat=True).first()
    try:
        return normalise_orcid(uid or "")
    except ValueError:
        return ""


def adoptable_persons(user):
    """Registered authors imported from RePEc (no account yet) whose e-mail address is one the
    user has confirmed, or whose ORCID iD is the one the user logged in with: the user is that
    author, and may take the profile over."""
    same = [Q(email__iexact=email) for email in verified_emails(user)]
    orcid = verified_orcid(user)
    if orcid:
        same.append(Q(orcid=orcid))
    if not same:
        return Person.objects.none()
    return Person.objects.filter(reduce(operator.or_, same), user__isnull=True)


def adopt_person(user, person_id: int) -> Person | None:
    """Link the imported profile to the user, if it is one they may take (else None)."""
    with transaction.atomic():
        if Person.objects.filter(user=user).exists():
            return None
        person = adoptable_persons(user).select_for_update().filter(pk=person_id).first()
        if person is None:
            return None
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        return person
