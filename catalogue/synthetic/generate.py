"""A deterministic, realistic synthetic catalogue for benchmarks and tests.

    generate_catalogue(items=100_000, seed=1)

The same (items, seed) gives the same catalogue, field for field (ids and timestamps aside):
every draw comes from a random.Random seeded with the seed and the name of what it draws
(years, series, citations, items...), never from global state or the clock. The shape:

- archives ~items/400 (3-letter codes, a fifth of them publishers), series ~items/200 (6-char
  codes; about half working-paper series, 40% journals, a few book, chapter and software
  series), series sizes Zipf-distributed;
- items with years 1970-2025 growing ~6% a year, in year order (so an item's id is after
  the ids of everything it cites), kind from the series, handles like RePEc:abc:wpaper:2004-12
  or RePEc:abc:jregec:v:12:y:2004:i:3:p:45-67, titles and abstracts from economics vocabulary,
  about one article in sixteen the published version of an earlier working paper (same title
  and authors);
- 1-5 authorships from a pool of items/2 names with Zipf-like productivity; ~5% of the names
  are registered persons (short-ids like pmu12) with claims on their items;
- 2-6 keywords and 1-3 JEL codes per item (Zipf), a PDF link for most items;
- ~10 references per item (lognormal), 80% matched to an earlier item chosen by preferential
  attachment (a power law of citations), 20% unmatched; citation_count agrees with them;
- weekly NEP issues of 32 reports announcing recent working papers;
- 12-24 months of download statistics for a third of the items.

The graph of citations is planned first (targets only, a few bytes a reference), then items
are generated and written in batches, each batch with its children in one transaction; the
next batch is generated while the database takes the last one. The parts: plan.py
(what is decided up front), items.py (the rows of a batch), catalogue.models.bulk (COPY on
PostgreSQL, executemany elsewhere), text.py and vocab.py (the words). At the end the whole
catalogue goes through catalogue.changes (counts and search index).

ids: item i of the plan is written with id i + 1 (the catalogue has no items before), and the
sequences are reset afterwards. Archives, series, keywords, JEL codes, persons and NEP reports
that already exist (by code, key or short-id) are reused rather than duplicated.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ..changes import items_changed
from ..models import (
    Affiliation,
    Archive,
    Authorship,
    Claim,
    File,
    Item,
    ItemKeyword,
    JelCode,
    Keyword,
    ListAnchor,
    MonthlyStat,
    NepAnnouncement,
    NepIssue,
    NepReport,
    Person,
    Reference,
    SearchEntry,
    Series,
)
from ..models.bulk import RowWriter
from . import vocab
from .items import Ids, ItemRows
from .plan import Plan, plan_catalogue, stream

__all__ = ["BATCH_SIZE", "CatalogueNotEmpty", "generate_catalogue", "plan_catalogue", "write_lookups"]

BATCH_SIZE = 5000


class CatalogueNotEmpty(Exception):
    pass


def _ids_by(model, field: str, keys: list, make: Callable[[Any], object]) -> dict:
    """Create the rows whose key is missing; returns key -> pk for all (reuses existing rows)."""

    def found() -> dict:  # in chunks: SQLite limits the parameters of a query
        return {
            key: pk
            for start in range(0, len(keys), 5000)
            for key, pk in model.objects.filter(**{f"{field}__in": keys[start : start + 5000]}).values_list(field, "pk")
        }

    existing = found()
    model.objects.bulk_create([make(key) for key in keys if key not in existing], batch_size=2000)
    return found()


def write_lookups(plan: Plan) -> Ids:
    """Archives, series, JEL codes, keywords, persons and NEP reports (existing rows are reused by key)."""
    JelCode.objects.bulk_create(
        [
            JelCode(code=c, parent_id=JelCode.parent_code(c), name=n)
            for c, n in sorted(vocab.JEL_NAMES.items(), key=lambda kv: len(kv[0]))
        ],
        ignore_conflicts=True,
    )
    by_code = {a.code: a for a in plan.archives}
    archive_ids = _ids_by(
        Archive,
        "code",
        list(by_code),
        lambda code: Archive(
            code=code,
            handle=f"RePEc:{code}",
            name=by_code[code].name,
            url=f"https://example.org/RePEc/{code}/",
            homepage=f"https://example.org/{code}/",
            maintainer_name=by_code[code].maintainer_name,
            maintainer_email=by_code[code].maintainer_email,
        ),
    )
    archive_pks = [archive_ids[a.code] for a in plan.archives]
    existing = {
        (a, c): pk
        for a, c, pk in Series.objects.filter(archive_id__in=archive_pks).values_list("archive_id", "code", "pk")
    }
    new = []
    for s in plan.series:
        archive = plan.archives[s.archive]
        if (archive_pks[s.archive], s.code) not in existing:
            new.append(
                Series(
                    archive_id=archive_pks[s.archive],
                    code=s.code,
                    handle=f"RePEc:{archive.code}:{s.code}",
                    name=s.name,
                    kind=s.kind,
                    provider_name=archive.name,
                    provider_homepage=f"https://example.org/{archive.code}/",
                    maintainer_name=archive.maintainer_name,
                    maintainer_email=archive.maintainer_email,
                    homepage=f"https://example.org/{archive.code}/{s.code}/",
                    issn=s.issn,
                )
            )
    Series.objects.bulk_create(new, batch_size=2000)
    series_ids = {
        (a, c): pk
        for a, c, pk in Series.objects.filter(archive_id__in=archive_pks).values_list("archive_id", "code", "pk")
    }
    keys = [Keyword.make_key(k) for k in plan.keywords]
    names = dict(zip(keys, plan.keywords, strict=True))
    keyword_ids = _ids_by(Keyword, "key", keys, lambda key: Keyword(key=key, name=names[key]))
    persons = {p["short_id"]: p for p in plan.persons}
    person_ids = _ids_by(Person, "short_id", list(persons), lambda sid: Person(**persons[sid]))
    Affiliation.objects.bulk_create(
        [
            Affiliation(person_id=person_ids[p["short_id"]], position=k, name=name, share=share)
            for p, places in zip(plan.persons, plan.person_workplaces, strict=True)
            for k, (name, share) in enumerate(places)
        ],
        batch_size=2000,
    )
    reports = dict(vocab.NEP_REPORTS)
    report_ids = _ids_by(NepReport, "code", list(reports), lambda code: NepReport(code=code, name=reports[code]))
    return Ids(
        archives=archive_pks,
        series=[series_ids[(archive_pks[s.archive], s.code)] for s in plan.series],
        keywords=[keyword_ids[k] for k in keys],
        persons=[person_ids[p["short_id"]] for p in plan.persons],
        nep_reports=[report_ids[code] for code, _ in vocab.NEP_REPORTS],
    )


WRITTEN: list[type[Model]] = [
    Item,
    Authorship,
    ItemKeyword,
    Item.jel_codes.through,
    File,
    Reference,
    NepIssue,
    NepAnnouncement,
    MonthlyStat,
    Claim,
]


def generate_catalogue(
    items: int,
    seed: int,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] | None = None,
) -> Counter:
    """Generate and write the catalogue; returns rows written per table. Needs a catalogue without items."""
    if Item.objects.exists():
        raise CatalogueNotEmpty(
            f"the database already has {Item.objects.count():,} items: generate_catalogue only fills an "
            "empty catalogue (use a fresh database, or `manage.py flush`)"
        )
    say = progress or (lambda message: None)
    start = time.perf_counter()
    taken = set(Person.objects.values_list("short_id", flat=True))
    plan = plan_catalogue(items, seed, taken)
    say(f"planned {items:,} items, {len(plan.ref_targets):,} references in {time.perf_counter() - start:.1f} s")
    writer = RowWriter()
    with transaction.atomic():
        ids = write_lookups(plan)
    issue_base = (NepIssue.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows = ItemRows(plan, ids, writer, issue_base, now=timezone.now(), rng=stream(seed, "items"))
    written: Counter = Counter()
    started = time.perf_counter()
    ranges = [(lo, min(items, lo + batch_size)) for lo in range(0, items, batch_size)]
    # Generating a batch (Python) overlaps writing the previous one (mostly the database's time).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(rows.batch, *ranges[0])
        for k, (_, hi) in enumerate(ranges):
            batch = pending.result()
            if k + 1 < len(ranges):
                pending = pool.submit(rows.batch, *ranges[k + 1])
            with transaction.atomic():
                writer.begin_batch()
                for model, (fields, table_rows) in batch.items():
                    written[model._meta.label] += writer.write(model, fields, table_rows)
            elapsed = time.perf_counter() - started
            rate = hi / elapsed if elapsed else 0
            say(
                f"{hi:,}/{items:,} items, {written['catalogue.Reference']:,} references, "
                f"{rate:,.0f} items/s, eta {(items - hi) / rate if rate else 0:,.0f} s"
            )
    writer.reset_sequences([Item, NepIssue])
    say(f"{items:,} items written in {time.perf_counter() - started:,.0f} s; vacuum and analyze")
    # statistics first: the count and index statements below are planned from them (without,
    # the JEL anchors alone took over 7 minutes at 1M items)
    writer.analyze([Archive, Series, Keyword, JelCode, Person, Affiliation, NepReport, *WRITTEN])
    say("counts for the browse pages, then the search index")
    items_changed(everything=True, progress=lambda done, of: say(f"search index: {done:,}/{of:,} item ids"))
    writer.analyze([Series, Keyword, JelCode, ListAnchor, SearchEntry])
    return written
