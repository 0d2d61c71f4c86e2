"""Deciding the digests: for each reader with subscriptions due at a frequency, one Mailing
that gathers everything new for them since their last period, written in the same transaction
that moves their subscriptions on to the period's end (DECISIONS.md, D29).

So a run that crashes after a batch committed finds that batch's readers covered when it is run
again, and decides nothing for them twice; a batch that did not commit is decided afresh. The
sending (catalogue.alerts.sending) reads only what was decided here.

Periods end at fixed moments in settings.TIME_ZONE: "as it happens" a few seconds ago (the
SETTLE, so that an import committing now is not missed); weekly on Monday at 00:00; monthly on
the first of the month at 00:00. A run before a period's end finds nothing due.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import MailBounce, Mailing, NepIssue, Subscription
from ..readers.alerts import describe
from .news import News, Section, digest_sections, due

logger = logging.getLogger(__name__)

Frequency = Subscription.Frequency
#: Readers decided per transaction (and per batch of queries).
BATCH = 500
#: How far back a period's news may reach, whatever a subscription's last period was.
LOOKBACK = {
    Frequency.IMMEDIATE: datetime.timedelta(days=2),
    Frequency.WEEKLY: datetime.timedelta(days=8),
    Frequency.MONTHLY: datetime.timedelta(days=32),
}


def period_end(frequency: str, now: datetime.datetime | None = None) -> datetime.datetime:
    """The end of the latest period of `frequency` that has ended by `now` (less the settle)."""
    moment = (now or timezone.now()) - datetime.timedelta(seconds=settings.ALERTS_SETTLE_SECONDS)
    if frequency == Frequency.IMMEDIATE:
        return moment
    local = timezone.localtime(moment)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    # wall-clock arithmetic: zoneinfo gives the Monday's own offset across a change of DST
    if frequency == Frequency.WEEKLY:
        return midnight - datetime.timedelta(days=local.weekday())
    return midnight.replace(day=1)


@dataclass
class Decided:
    frequency: str
    end: datetime.datetime
    readers: int = 0  # readers with subscriptions due
    mailings: int = 0  # digests decided
    bounced: int = 0  # readers not mailed: their address bounced
    batches: int = 0

    def __str__(self) -> str:
        if not self.readers:
            return f"{self.frequency}: nothing due"
        return (
            f"{self.frequency} up to {self.end:%Y-%m-%d %H:%M}: {self.mailings} digests for "
            f"{self.readers} readers in {self.batches} batches ({self.bounced} not mailed: address bounced)"
        )


def due_subscriptions(frequency: str, end: datetime.datetime):
    """The subscriptions of `frequency` with news up to `end` not yet in a digest. "As it
    happens" is for NEP reports only, and only those with an issue that came in since their
    last digest are due (the rest have nothing to tell, however long ago they were covered)."""
    found = Subscription.objects.filter(due(frequency, end))
    if frequency != Frequency.IMMEDIATE:
        return found
    recent = NepIssue.objects.filter(created_at__gt=end - LOOKBACK[Frequency.IMMEDIATE], created_at__lte=end)
    newer = NepIssue.objects.filter(
        report=OuterRef("nep_report"),
        created_at__gt=Coalesce(OuterRef("covered_until"), OuterRef("created_at")),
        created_at__lte=end,
    )
    return found.filter(kind=Subscription.Kind.NEP, nep_report__in=recent.values("report")).filter(Exists(newer))


def decide(frequency: str, now: datetime.datetime | None = None, batch_size: int = BATCH) -> Decided:
    """Decide the digests of `frequency` for the period that ended last; see the module."""
    end = period_end(frequency, now)
    decided = Decided(frequency, end)
    subscriptions = due_subscriptions(frequency, end)
    oldest = subscriptions.aggregate(since=Min(Coalesce("covered_until", "created_at")))["since"]
    if oldest is None:
        return decided
    news = News(max(oldest, end - LOOKBACK[Frequency(frequency)]), end)
    last = 0
    while True:
        readers = list(
            subscriptions.filter(user_id__gt=last)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:batch_size]
        )
        if not readers:
            return decided
        decide_batch(subscriptions.filter(user_id__in=readers), news, decided)
        decided.readers += len(readers)
        decided.batches += 1
        last = readers[-1]


def decide_batch(subscriptions, news: News, decided: Decided) -> None:
    """One batch of readers: their digests and their subscriptions moved on, in one transaction,
    in a fixed number of queries (4, and one per saved search not met before in this run)."""
    rows = list(subscriptions.select_related("user", "nep_report", "person", "series__archive", "jel"))
    emails = {sub.user.email.lower() for sub in rows if sub.user.email}
    bounced = set(MailBounce.objects.filter(email__in=emails).values_list("email", flat=True)) if emails else set()
    sections: dict[int, list[Section]] = {}
    users = {}
    for sub in rows:
        users[sub.user_id] = sub.user
        since = max(sub.covered_until or sub.created_at, news.start)
        title, url = describe(sub)
        sections.setdefault(sub.user_id, []).extend(news.sections(sub, since, title, url))
    mailings = []
    for user_id, found in sections.items():
        user = users[user_id]
        kept = digest_sections(found)
        if not kept or not user.is_active:
            continue
        if not user.email or user.email.lower() in bounced:
            decided.bounced += 1
            continue
        content = {"sections": [section.as_dict() for section in kept]}
        mailings.append(
            Mailing(
                user_id=user_id,
                kind=Mailing.Kind.DIGEST,
                frequency=decided.frequency,
                period_end=news.end,
                content=content,
            )
        )
    with transaction.atomic():
        # a reader decided already for this period (a run racing this one) keeps that digest
        Mailing.objects.bulk_create(mailings, ignore_conflicts=True)
        Subscription.objects.filter(pk__in=[sub.pk for sub in rows]).filter(
            Q(covered_until__lt=news.end) | Q(covered_until=None)
        ).update(covered_until=news.end)
    decided.mailings += len(mailings)
