"""What came in during a period, and which of it each subscription is told of.

`News` reads a period's new items and NEP issues once, in a fixed number of queries whatever
the number of readers (the items of the period, their registered authors and JEL codes, the
issues and their announcements), and answers every subscription from memory. A saved search is
the exception: one query per distinct search of the run, among the period's items only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from ..jel import ancestors
from ..models import Authorship, Item, NepAnnouncement, NepIssue, SearchEntry, Subscription
from ..search.backends import text_backend
from ..search.filters import SearchFilter
from ..search.query import parse

Kind = Subscription.Kind

#: A section lists at most this many items; the rest are a link away ("and N more").
MAX_PER_SECTION = 50


@dataclass
class Section:
    """One part of a digest: a NEP issue in the editor's order, or what is new of one followed
    author, series or JEL code, or one saved search's new matches. Stored in Mailing.content."""

    kind: str
    subscription: int
    title: str
    url: str
    items: list[int]
    more: int = 0  # further items left out (MAX_PER_SECTION), a click away at `url`
    issue: int | None = None  # a NEP issue's id

    def as_dict(self) -> dict:
        found = {"kind": self.kind, "subscription": self.subscription, "title": self.title, "url": self.url}
        found.update(items=self.items, more=self.more)
        if self.issue is not None:
            found["issue"] = self.issue
        return found


@dataclass
class Issue:
    id: int
    report_id: int
    date: datetime.date
    created_at: datetime.datetime
    items: list[int] = field(default_factory=list)


class News:
    """The items and NEP issues that came in after `start` up to `end` (included)."""

    def __init__(self, start: datetime.datetime, end: datetime.datetime):
        self.start, self.end = start, end
        self.searches: dict[str, list[int]] = {}

    # Each part is read the first time a subscription asks for it: the "as it happens" run,
    # every 30 seconds, asks only for NEP issues, and never reads the period's items.

    @cached_property
    def _items(self) -> tuple[dict[int, datetime.datetime], dict[int, list[int]]]:
        """The period's items in the order they came in (id -> when), and by series (1 query)."""
        rows = (
            Item.objects.filter(created_at__gt=self.start, created_at__lte=self.end, withdrawn_at=None)
            .order_by("created_at", "id")
            .values_list("id", "created_at", "series_id")
        )
        created: dict[int, datetime.datetime] = {}
        by_series: dict[int, list[int]] = defaultdict(list)
        for pk, when, series in rows:
            created[pk] = when
            by_series[series].append(pk)
        return created, by_series

    @property
    def created(self) -> dict[int, datetime.datetime]:
        return self._items[0]

    @property
    def by_series(self) -> dict[int, list[int]]:
        return self._items[1]

    @cached_property
    def by_person(self) -> dict[int, list[int]]:
        """A registered author's items of the period, in the order they came in (1 query)."""
        found: dict[int, list[int]] = defaultdict(list)
        persons = Authorship.objects.filter(item_id__in=self.new_items(), person__isnull=False)
        rows = persons.order_by("item__created_at", "item").values_list("item_id", "person_id").distinct()
        for item, person in rows:
            found[person].append(item)
        return found

    @cached_property
    def by_jel(self) -> dict[str, list[int]]:
        """A JEL code's items of the period, a code taking in those under it (1 query)."""
        tagged = Item.jel_codes.through.objects.filter(item_id__in=self.new_items()).values_list(
            "item_id", "jelcode_id"
        )
        prefixes: dict[int, set[str]] = defaultdict(set)
        for item, code in tagged:
            prefixes[item].update([code, *ancestors(code)])
        found: dict[str, list[int]] = defaultdict(list)
        for item in self.created:  # in the order the items came in
            for code in prefixes.get(item, ()):
                found[code].append(item)
        return found

    @cached_property
    def issues(self) -> dict[int, list[Issue]]:
        """A NEP report's issues of the period with their items in the editor's order (2 queries)."""
        issues = {
            pk: Issue(pk, report, date, created)
            for pk, report, date, created in NepIssue.objects.filter(
                created_at__gt=self.start, created_at__lte=self.end
            )
            .order_by("created_at", "id")
            .values_list("id", "report_id", "date", "created_at")
        }
        announced = NepAnnouncement.objects.filter(issue__in=list(issues)).order_by("issue_id", "position")
        for issue, item in announced.filter(item__withdrawn_at=None).values_list("issue_id", "item_id"):
            issues[issue].items.append(item)
        found: dict[int, list[Issue]] = defaultdict(list)
        for issue_row in issues.values():
            if issue_row.items:
                found[issue_row.report_id].append(issue_row)
        return found

    def new_items(self):
        """The period's items as a subquery (not a list of ids, which may be long)."""
        return Item.objects.filter(created_at__gt=self.start, created_at__lte=self.end, withdrawn_at=None).values("id")

    def after(self, ids: list[int], since: datetime.datetime) -> list[int]:
        return [pk for pk in ids if self.created[pk] > since]

    def matches(self, search: str) -> list[int]:
        """The period's items a saved search finds, in the order they came in: one query per
        distinct search, remembered for the rest of the run."""
        if search not in self.searches:
            found: list[int] = []
            entries = SearchEntry.objects.filter(item_id__in=self.new_items())
            filterset = SearchFilter(QueryDict(search), queryset=entries)
            if filterset.is_valid():  # a saved search that no longer reads (a filter's target gone) finds nothing
                query = parse(filterset.form.cleaned_data.get("q") or "")
                matched = text_backend().matching(filterset.qs, query) if query else filterset.qs
                wanted = set(matched.order_by().values_list("item_id", flat=True))
                found = [pk for pk in self.created if pk in wanted]
            self.searches[search] = found
        return self.searches[search]

    def sections(self, subscription: Subscription, since: datetime.datetime, title: str, url: str) -> list[Section]:
        """What is new for one subscription since `since` (its last period's end), as sections;
        none when nothing is. A NEP subscription's report must be loaded (select_related)."""
        kind = subscription.kind
        if kind == Kind.NEP and subscription.nep_report is not None:
            code = subscription.nep_report.code
            return [
                Section(
                    kind,
                    subscription.pk,
                    f"{title}, issue of {issue.date:%Y-%m-%d}",
                    reverse("nep_issue", kwargs={"code": code, "date": f"{issue.date:%Y-%m-%d}"}),
                    issue.items,
                    issue=issue.id,
                )
                for issue in self.issues.get(subscription.nep_report_id or 0, [])
                if issue.created_at > since
            ]
        if kind == Kind.NEP:
            return []
        if kind == Kind.AUTHOR:
            ids = self.by_person.get(subscription.person_id or 0, [])
        elif kind == Kind.SERIES:
            ids = self.by_series.get(subscription.series_id or 0, [])
        elif kind == Kind.JEL:
            ids = self.by_jel.get(subscription.jel_id or "", [])
        else:
            ids = self.matches(subscription.search)
        ids = self.after(ids, since)
        if kind == Kind.SEARCH:
            url = f"{url}&sort=newest"  # "and N more" leads to the newest matches first
        return [Section(kind, subscription.pk, title, url, ids)] if ids else []


def digest_sections(sections: list[Section]) -> list[Section]:
    """A reader's sections in one digest: each item once (in the first section that lists it;
    a NEP issue keeps its editor's order), sections left empty dropped, each cut to
    MAX_PER_SECTION with the rest counted."""
    order = {kind: n for n, kind in enumerate(Kind.values)}
    seen: set[int] = set()
    kept = []
    for section in sorted(sections, key=lambda s: order[s.kind]):
        fresh = [pk for pk in section.items if pk not in seen]
        if not fresh:
            continue
        shown = fresh[:MAX_PER_SECTION]
        seen.update(shown)
        kept.append(
            Section(
                section.kind,
                section.subscription,
                section.title,
                section.url,
                shown,
                len(fresh) - len(shown),
                section.issue,
            )
        )
    return kept


def due(frequency: str, end: datetime.datetime) -> Q:
    """The subscriptions at `frequency` whose news up to `end` are not yet in a digest."""
    return Q(frequency=frequency) & (Q(covered_until__lt=end) | Q(covered_until=None, created_at__lt=end))
