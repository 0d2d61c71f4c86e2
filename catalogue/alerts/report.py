"""The monthly author report (issue 19; DECISIONS.md, D29): at the start of each month every
registered author hears of the month that ended: their works' abstract views and downloads,
the new citations of their works, the citations waiting for their decision (/me/citations/),
and their rank among the authors where they have one. They may turn it off (Person.monthly_report,
at /me/alerts/ or with the one-click link in every report).

Decided like the digests (catalogue.alerts.digests): one Mailing per author and month holding
the figures it tells, written batch by batch of authors (keyset by person id) in one
transaction a batch, in a fixed number of queries a batch; authors with a report for the month
already are not read again, and the unique key (user, kind, frequency, period_end) refuses a
second one from a racing run. The queue sends them (catalogue.alerts.sending, `compose_reports`).

The figures are refresh_stats' (catalogue.stats.rollups): a report waits until every author's
totals are of the month that ended (PersonStatTotals.last_month). Before that an author's "last
month" is still the month before, and so is the ranking their rank is read from.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import Authorship, Item, MailBounce, Mailing, Person, PersonStatTotals, Reference
from ..stats import rankings
from ..stats.months import add_months
from .compose import Composed, absolute, entry
from .digests import period_end
from .unsubscribe import Stop, url

#: Authors decided per transaction (and per batch of queries).
BATCH = 500
#: A report lists at most this many new citations; the rest are counted ("and N more").
MAX_CITATIONS = 50
#: The rank a report gives: the default of /stats/top/authors.html, about the month reported.
RANKING = rankings.Ranking("downloads", "month", 1)

Status = Reference.Status


@dataclass(frozen=True)
class Period:
    """The month reported: its first day, and the moments it began and ended (site time zone)."""

    month: datetime.date
    start: datetime.datetime
    end: datetime.datetime


def month_before(end: datetime.datetime) -> Period:
    """The month that ended at `end`, the first of a month at 00:00 in settings.TIME_ZONE."""
    local = timezone.localtime(end)
    first = add_months(local.date(), -1)
    return Period(first, datetime.datetime.combine(first, datetime.time(), tzinfo=local.tzinfo), end)


@dataclass
class Decided:
    period: Period
    waiting: str = ""  # why nothing is due yet (the statistics of the month are not rolled up)
    authors: int = 0  # authors due a report
    mailings: int = 0  # reports decided
    bounced: int = 0  # authors otherwise due, not mailed: their address bounced
    batches: int = 0

    def __str__(self) -> str:
        name = f"author reports for {self.period.month:%Y-%m}"
        if self.waiting:
            return f"{name}: not yet, {self.waiting}"
        if not self.authors:
            return f"{name}: nothing due"
        return (
            f"{name}: {self.mailings} reports for {self.authors} authors in {self.batches} batches "
            f"({self.bounced} not mailed: address bounced)"
        )


def not_rolled_up(month: datetime.date) -> str:
    """Why the statistics do not tell of `month` yet for every author; "" when they do (1 query)."""
    oldest = PersonStatTotals.objects.aggregate(oldest=Min("last_month"))["oldest"]
    if oldest is None:
        return "the statistics have not been rolled up yet (refresh_stats)"
    if oldest != month:
        return f"the authors' statistics are of {oldest:%Y-%m} (refresh_stats has not rolled up {month:%Y-%m})"
    return ""


def due_authors(end: datetime.datetime, *, bounced: bool = False):
    """Registered authors with the report on, an active account with an address, at least one
    work, and no report for the period yet; their account and totals come along. Those whose
    address bounced are left out (`bounced=True`: only they)."""
    reported = Mailing.objects.filter(user=OuterRef("user"), kind=Mailing.Kind.REPORT, frequency="", period_end=end)
    refused = Exists(MailBounce.objects.filter(email=Lower(OuterRef("user__email"))))
    return (
        Person.objects.filter(monthly_report=True, user__is_active=True)
        .exclude(user__email="")
        .filter(Exists(Authorship.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(reported))
        .filter(refused if bounced else ~refused)
        .select_related("user", "stat_totals")
        .order_by("pk")
    )


def ranks() -> dict[int, int]:
    """Person id -> rank in RANKING, as /stats/top/authors.html shows it (1 query)."""
    ranked = rankings.top_authors(RANKING).values_list("person_id", flat=True)[: rankings.LIMIT]
    return {person_id: n for n, person_id in enumerate(ranked, start=1)}


def decide_reports(now: datetime.datetime | None = None, batch_size: int = BATCH) -> Decided:
    """Decide the reports of the month that ended last; see the module. 2 queries when nothing
    is due (rolled up?, the first batch), 2 more when something is (the ranks, the bounced
    addresses), then 3 a batch of authors (new citations, waiting citations, the insert) and
    the next batch."""
    period = month_before(period_end("monthly", now))
    decided = Decided(period, waiting=not_rolled_up(period.month))
    if decided.waiting:
        return decided
    authors = due_authors(period.end)
    batch = list(authors[:batch_size])
    if not batch:
        return decided
    ranked = ranks()
    decided.bounced = due_authors(period.end, bounced=True).count()
    while batch:
        decide_batch(batch, period, ranked, decided)
        decided.authors += len(batch)
        decided.batches += 1
        batch = list(authors.filter(pk__gt=batch[-1].pk)[:batch_size])
    return decided


def new_citations(person_ids: list[int], period: Period) -> dict[int, list[list[int]]]:
    """Person id -> [citing item id, cited item id] of the citations of their works that began
    to count in the period, newest citing item first (1 query)."""
    rows = (
        Reference.objects.filter(
            status__in=Status.counted(),
            linked_at__gte=period.start,
            linked_at__lt=period.end,
            target__authorships__person_id__in=person_ids,
        )
        .values_list("target__authorships__person_id", "citing_id", "target_id")
        .order_by("target__authorships__person_id", "-citing_id", "target_id")
        .distinct()
    )
    found: dict[int, list[list[int]]] = defaultdict(list)
    for person_id, citing_id, target_id in rows:
        found[person_id].append([citing_id, target_id])
    return found


def waiting_counts(person_ids: list[int]) -> dict[int, int]:
    """Person id -> how many uncertain citations of their works wait for their decision at
    /me/citations/ (what catalogue.authors.pending lists, counted for a batch; 1 query)."""
    rows = (
        Reference.objects.filter(status=Status.UNCERTAIN, target__authorships__person_id__in=person_ids)
        .values("target__authorships__person_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row["target__authorships__person_id"]: row["n"] for row in rows}


def figures(person: Person, month: datetime.date) -> tuple[int, int]:
    """(abstract views, downloads) of the person's works in `month`: zeros for a person the last
    rollup did not know yet."""
    try:
        totals = person.stat_totals
    except PersonStatTotals.DoesNotExist:
        return 0, 0
    if totals.last_month != month:
        return 0, 0
    return totals.views_month, totals.downloads_month


def content(person: Person, period: Period, cited: list[list[int]], waiting: int, rank: int | None) -> dict:
    """What a report tells, as decided (Mailing.content)."""
    views, downloads = figures(person, period.month)
    return {
        "person": person.pk,
        "month": period.month.isoformat(),
        "views": views,
        "downloads": downloads,
        "citations": cited[:MAX_CITATIONS],
        "more_citations": max(len(cited) - MAX_CITATIONS, 0),
        "waiting": waiting,
        "rank": rank,
    }


def decide_batch(batch: list[Person], period: Period, ranked: dict[int, int], decided: Decided) -> None:
    """One batch of authors: their reports, in one transaction (3 queries)."""
    ids = [person.pk for person in batch]
    cited = new_citations(ids, period)
    waiting = waiting_counts(ids)
    mailings = [
        Mailing(
            user_id=person.user_id,
            kind=Mailing.Kind.REPORT,
            frequency="",
            period_end=period.end,
            content=content(person, period, cited.get(person.pk, []), waiting.get(person.pk, 0), ranked.get(person.pk)),
        )
        for person in batch
        if person.user_id is not None  # all of them (due_authors): for the type checker
    ]
    with transaction.atomic():
        # an author decided already for this month (a run racing this one) keeps that report
        Mailing.objects.bulk_create(mailings, ignore_conflicts=True)
    decided.mailings += len(mailings)


# -- composing -------------------------------------------------------------------------------


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def report_subject(found: dict, month: datetime.date) -> str:
    told = [plural(found["views"], "abstract view"), plural(found["downloads"], "download")]
    cited = len(found["citations"]) + found["more_citations"]
    if cited:
        told.append(plural(cited, "new citation"))
    return f"[{settings.SITE_NAME}] Your report for {month:%B %Y}: {', '.join(told)}"


def ranking_link(rank: int) -> str:
    """The ranking's page where `rank` is."""
    page = (rank - 1) // rankings.PAGE_SIZE + 1
    query = f"?by={RANKING.by}&period={RANKING.period}" + (f"&page={page}" if page > 1 else "")
    return absolute(reverse("top_authors") + query)


def citation_lines(pairs: list[list[int]], items: dict[int, Item]) -> list[dict]:
    """The citing item of each new citation, and which work it cites (those since deleted left out)."""
    lines = []
    for citing_id, cited_id in pairs:
        if citing_id in items and cited_id in items:
            cited = items[cited_id]
            cites = {"cites": cited.title, "cites_url": absolute(cited.get_absolute_url())}
            lines.append({**entry(items[citing_id]), **cites})
    return lines


def report_context(mailing: Mailing, person: Person, items: dict[int, Item]) -> dict:
    found = mailing.content
    month = datetime.date.fromisoformat(found["month"])
    waiting = found["waiting"]
    rank = found["rank"]
    return {
        "SITE_NAME": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "heading": f"Your monthly report for {month:%B %Y}",
        "month": f"{month:%B %Y}",
        "name": person.name_full,
        "profile": absolute(person.get_absolute_url()),
        "stats": absolute(reverse("person_stats", kwargs={"short_id": person.short_id})),
        "views": f"{found['views']:,}",
        "downloads": f"{found['downloads']:,}",
        "citations": citation_lines(found["citations"], items),
        "more_citations": found["more_citations"],
        "waiting": waiting,
        "waiting_words": plural(waiting, "citation"),
        "decide": absolute(reverse("pending_citations")) if waiting else "",
        "rank": f"{rank:,}" if rank else "",
        "ranking": RANKING.label,
        "ranking_url": ranking_link(rank) if rank else "",
        "manage": absolute(reverse("my_alerts")),
        "unsubscribe": url(Stop(mailing.user_id, report=True)),
    }


def compose_reports(mailings: list[Mailing]) -> dict[int, Composed]:
    """The messages of a batch of reports, by Mailing id: the authors, then the items their new
    citations name (1 query, and 2 more when any has a new citation), whatever the batch holds.
    A report whose author is gone, or turned the report off since, is left out (the sender
    gives it up)."""
    persons = Person.objects.in_bulk({mailing.content["person"] for mailing in mailings})
    wanted = {pk for mailing in mailings for pair in mailing.content["citations"] for pk in pair}
    items = Item.objects.for_listing().in_bulk(wanted) if wanted else {}
    composed = {}
    for mailing in mailings:
        person = persons.get(mailing.content["person"])
        if person is None or person.user_id != mailing.user_id or not person.monthly_report:
            continue
        context = report_context(mailing, person, items)
        month = datetime.date.fromisoformat(mailing.content["month"])
        composed[mailing.pk] = Composed(
            report_subject(mailing.content, month),
            render_to_string("mail/report.txt", context),
            render_to_string("mail/report.html", context),
            context["unsubscribe"],
        )
    return composed
