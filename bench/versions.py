"""Versions of a work at scale, against a generated catalogue (issue 20): stated links between
pairs of cited items written in bulk, their groups made as the importer makes them (a batch of
1,000 items at a time: time and statements a batch), the groups' citations recounted, then the
pages that count a work once (item page of a grouped item, the item ranking by citations, the
author with the most works) timed with their query counts, and a full `person_totals`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> DEBUG=false SECRET_KEY=bench \\
        .venv/bin/python bench/versions.py [--pairs 10000] [--repeat 20]

It writes VersionLink rows (source `stated`, field `x-bench`) and removes them at the end,
regrouping what they grouped. Budget: statements a batch constant; pages at their pinned counts
(item 11, author 6, rankings 4).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Requester, item_total, machine, percentile, setup_pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=10_000, help="version pairs to link (default 10,000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    args = parser.parse_args()
    setup_pages()

    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from catalogue.changes.versions import recount_groups, regroup
    from catalogue.models import Authorship, Item, VersionLink
    from catalogue.stats import months
    from catalogue.stats.rollups import person_totals

    total = item_total()
    if not total:
        return 1
    print(f"versions: {total:,} items in {connection.vendor} {connection.settings_dict['NAME']}; {machine()}")
    cited = list(
        Item.objects.filter(citation_count__gt=0, version_group=None)
        .order_by("pk")
        .values_list("pk", "handle_key")[: 2 * args.pairs]
    )
    pairs = list(zip(cited[0::2], cited[1::2], strict=False))
    VersionLink.objects.filter(field="x-bench").delete()  # a run stopped half-way
    VersionLink.objects.bulk_create(
        [VersionLink(item_id=a, other_key=b_key, field="x-bench") for (a, _), (_, b_key) in pairs], batch_size=5000
    )
    ids = [pk for pair in pairs for pk, _ in pair]
    batch_times, statements = [], []
    for start in range(0, len(ids), 1000):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            regroup(ids[start : start + 1000])
            batch_times.append(time.perf_counter() - began)
        statements.append(len(queries))
    grouped = Item.objects.filter(version_group__isnull=False).count()
    print(
        f"regroup, {len(pairs):,} pairs in batches of 1,000 items: {grouped:,} items grouped; a batch p50 "
        f"{percentile(batch_times, 0.5) * 1000:.0f} ms, p95 {percentile(batch_times, 0.95) * 1000:.0f} ms, "
        f"{min(statements)}-{max(statements)} statements"
    )
    groups = list(Item.objects.filter(version_group__isnull=False).values_list("version_group", flat=True).distinct())
    began = time.perf_counter()
    recount_groups(groups)
    print(f"recount_groups, {len(groups):,} groups: {time.perf_counter() - began:.2f} s")
    began = time.perf_counter()
    person_totals(months.last_complete_month(months.today()))
    print(f"person_totals (all authors, a work once): {time.perf_counter() - began:.1f} s")

    member = Item.objects.filter(version_group__isnull=False).select_related("series__archive").first()
    top_author = (
        Authorship.objects.filter(person__isnull=False)
        .values("person__short_id")
        .annotate(n=Count("item"))
        .order_by("-n")
        .first()
    )
    pages = {
        "item page of a grouped item": member.get_absolute_url() if member else "",
        "item ranking by citations": "/stats/top/items.html?by=citations",
        "item ranking by citations, page 20": "/stats/top/items.html?by=citations&page=20",
        "author with the most works": f"/e/{top_author['person__short_id']}.html" if top_author else "",
    }
    requester = Requester()
    for label, url in pages.items():
        if not url:
            continue
        page_queries: list[str] = []

        def count(execute, sql, params, many, context, page_queries=page_queries):
            page_queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):  # the query log misses the request's queries here
            status = requester.get(url)[0]
        times = [requester.get(url)[1] for _ in range(args.repeat)]
        print(
            f"{label} ({url}): {status}, {len(page_queries)} queries, p50 {percentile(times, 0.5):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms"
        )

    VersionLink.objects.filter(field="x-bench").delete()
    began = time.perf_counter()
    for start in range(0, len(ids), 5000):
        regroup(ids[start : start + 5000])
    print(f"links removed, regrouped in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
