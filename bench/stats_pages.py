"""refresh_stats and the statistics pages against a generated catalogue: the refresh's time,
then server time and queries of the series, author and ranking pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=testserver .venv/bin/python bench/stats_pages.py \\
        [--refresh] [--today 2026-01-15] [--repeat 20]

--refresh runs a full `refresh_stats` first and prints its time (the catalogue must be
migrated to 0022; the generated statistics end in 2025-12, so `--today 2026-01-15` makes
that the "last month" of the totals the rankings read). Pages: the series with the most items
and a typical one (the 1,000th), the registered author with the most works and the 1,000th,
the item rankings (downloads and views for each period, citations, page 20) and the author
rankings. Each page is requested once under CaptureQueriesContext (the query count), then
`--repeat` times round robin through Django's WSGI handler in-process (request in, body out).
Budget: a constant number of queries per page; p95 well under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Requester, machine, percentile, setup_pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--refresh", action="store_true", help="run a full refresh_stats first and time it")
    parser.add_argument("--today", type=datetime.date.fromisoformat, help="the refresh's today (YYYY-MM-DD)")
    args = parser.parse_args()
    setup_pages()

    from django.db import connection

    from catalogue.models import MonthlyStat, PersonStatTotals, Series, StatRollup
    from catalogue.stats import months
    from catalogue.stats.rollups import refresh_all

    vendor = f"{connection.vendor} {connection.settings_dict['NAME']}"
    print(f"statistics: {MonthlyStat.objects.count():,} monthly rows in {vendor}; {machine()}")
    if args.refresh:
        start = time.perf_counter()
        done = refresh_all(args.today or months.today())
        print(f"refresh_stats (full): {time.perf_counter() - start:.1f} s: {done}")

    by_items = Series.objects.select_related("archive").order_by("-item_count", "pk")
    big, typical = by_items[0], by_items[999]
    persons = PersonStatTotals.objects.select_related("person").order_by("-views_all", "person_id")
    busy, other = persons[0].person, persons[999].person

    def series_page(series) -> str:
        return f"/stats/s/{series.archive.code}/{series.code}.html"

    def months_of(scope: str, pk: int) -> str:
        return f"{StatRollup.objects.filter(scope=scope, scope_id=pk).count()} months"

    pages = [
        (f"series {big.handle} ({big.item_count:,} items)", series_page(big), months_of("series", big.pk)),
        (f"series, 1,000th ({typical.item_count:,} items)", series_page(typical), months_of("series", typical.pk)),
        (f"author {busy.short_id} (most views)", f"/stats/e/{busy.short_id}.html", months_of("person", busy.pk)),
        (f"author {other.short_id} (1,000th)", f"/stats/e/{other.short_id}.html", months_of("person", other.pk)),
    ]
    for by in ("downloads", "views"):
        for period in ("month", "year", "all"):
            pages.append((f"top items {by} {period}", f"/stats/top/items.html?by={by}&period={period}", ""))
    pages += [
        ("top items citations", "/stats/top/items.html?by=citations", ""),
        ("top items downloads, page 20", "/stats/top/items.html?by=downloads&period=all&page=20", ""),
        ("top authors downloads year", "/stats/top/authors.html?by=downloads&period=year", ""),
        ("top authors citations", "/stats/top/authors.html?by=citations", ""),
        ("top authors views, page 20", "/stats/top/authors.html?by=views&period=all&page=20", ""),
    ]
    queries, times, bad = _measure(pages, args.repeat)
    print(f"{args.repeat} requests a page")
    print(f"{'page':44} {'rollup':>10} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}")
    for name, url, rows in pages:
        t = times[url]
        print(f"{name:44} {rows:>10} {percentile(t, 0.5):8.1f} {percentile(t, 0.95):8.1f} {queries[url]:7}")
    for status, url in bad:
        print(f"  status {status}: {url}")
    return 1 if bad else 0


def _measure(pages: list[tuple], repeat: int) -> tuple[dict, dict, list]:
    """Each page's queries (on a warm-up request), its `repeat` times in ms, and the pages not 200."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    requester = Requester()
    queries, bad = {}, []
    for _name, url, _rows in pages:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            status, _, _ = requester.get(url)
        queries[url] = len(captured)
        if status != 200:
            bad.append((status, url))
    times: dict[str, list[float]] = {url: [] for _, url, _ in pages}
    for _ in range(repeat):  # round robin
        for _name, url, _rows in pages:
            times[url].append(requester.get(url)[1])
    return queries, times, bad


if __name__ == "__main__":
    sys.exit(main())
