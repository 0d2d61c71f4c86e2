"""Uncertain citations of an author's works: listed for the author, confirmed or rejected.

A confirmed citation counts at once (the counts are recounted in the same transaction); a
rejected one is a person's decision, which `match_references` never reads again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..citations.counts import refresh_citation_counts
from ..models import Authorship, Person, Reference

Status = Reference.Status


def _works_of(person_filter: dict) -> QuerySet:
    return Authorship.objects.filter(**person_filter).values("item_id")


def pending_citations(person: Person) -> QuerySet:
    """The uncertain references whose candidate is one of the person's works, newest citing item first."""
    return (
        Reference.objects.filter(status=Status.UNCERTAIN, target_id__in=_works_of({"person": person}))
        .select_related("citing__series__archive", "target__series__archive")
        .order_by("target_id", "-citing_id", "position")
    )


def waiting_count(user) -> int:
    """How many uncertain citations of the user's works wait for a decision (one query)."""
    return Reference.objects.filter(status=Status.UNCERTAIN, target_id__in=_works_of({"person__user": user})).count()


def decide(person: Person, user, reference_ids: Iterable[int], *, confirm: bool) -> int:
    """Confirm or reject these uncertain citations of the person's works; returns how many
    changed (ids that are not the person's, or already decided, are left alone)."""
    ids = sorted({int(pk) for pk in reference_ids})
    if not ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        refs = list(
            Reference.objects.select_for_update().filter(
                pk__in=ids, status=Status.UNCERTAIN, target_id__in=_works_of({"person": person})
            )
        )
        for ref in refs:
            if confirm:
                ref.link(Status.CONFIRMED, ref.target_id, now)
            else:
                ref.status, ref.linked_at = Status.REJECTED, None  # the rejected candidate stays on record
            ref.decided_by, ref.decided_at = user, now
        Reference.objects.bulk_update(refs, ["status", "linked_at", "decided_by", "decided_at"])
        refresh_citation_counts({ref.target_id for ref in refs})
    return len(refs)
