"""Browse pages' server time and query counts against a generated catalogue: first page vs a deep page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_browse DEBUG=false SECRET_KEY=bench \\
        SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=testserver .venv/bin/python bench/browse_pages.py

Picks the biggest lists (the series with the most items, the JEL code with the most, the
biggest three-character JEL code, the keyword with the most items, the registered author with
the most works), and for each times page 1 and page `--deep` (2,000; or the last page when
the list is shorter) through Django's WSGI handler in-process, `--repeat` times, and prints
p50/p95 server time (request in, body out) and the queries each page made. Also the home page
(cold: its cached counts cleared; warm: from the cache), the archives list and the JEL tree.
Budget (docs: /work/shared/DESIGN.md): a constant number of queries whatever the list's size;
a deep page about as fast as the first.

Counts and anchors must be up to date (`manage.py refresh_counts` after generating a
catalogue with an older version; generate_catalogue and the importer keep them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Requester, item_total, machine, percentile, setup_pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--deep", type=int, default=2000, help="the deep page (default 2,000)")
    args = parser.parse_args()
    setup_pages()

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    from catalogue.models import Authorship, JelCode, Keyword, Person, Series

    total = item_total()
    if not total:
        return 2
    size = settings.PAGE_SIZE

    def last_page(n: int) -> int:
        return max(1, -(-n // size))

    # -- the pages ---------------------------------------------------------------------
    series = Series.objects.select_related("archive").order_by("-item_count", "pk").first()
    jel = JelCode.objects.order_by("-item_count", "code").first()
    leaf = JelCode.objects.filter(code__regex=r"^...$").order_by("-item_count", "code").first()
    keyword = Keyword.objects.order_by("-item_count", "pk").first()
    prolific = (
        Authorship.objects.exclude(person=None)
        .values("person")
        .annotate(n=Count("item", distinct=True))
        .order_by("-n", "person")
    )
    top, typical = prolific[0], prolific[999]  # the most prolific author, and the 1,000th
    person, other = Person.objects.get(pk=top["person"]), Person.objects.get(pk=typical["person"])
    lists = [
        (f"series {series.handle}", series.get_absolute_url(), series.item_count),
        (f"JEL {jel.code}", jel.get_absolute_url(), jel.item_count),
        (f"JEL {leaf.code}", leaf.get_absolute_url(), leaf.item_count),
        (f"keyword {keyword.name[:20]}", keyword.get_absolute_url(), keyword.item_count),
        (f"author {person.short_id}", person.get_absolute_url(), top["n"]),
        (f"author {other.short_id} (1,000th)", other.get_absolute_url(), typical["n"]),
    ]
    pages = []
    for name, url, n in lists:
        deep = min(args.deep, last_page(n))
        pages.append((name, f"{n:,} rows", url, 1))
        pages.append((name, f"{n:,} rows", f"{url}?page={deep}", deep))
    pages += [
        ("archives list", "", "/s/", 1),
        ("JEL tree", "", "/j/", 1),
        ("home (warm cache)", "", "/", 1),
        ("home (cold cache)", "", "/", 1),
    ]

    vendor = f"{connection.vendor} {connection.settings_dict['NAME']}"
    print(f"browse pages: {total:,} items in {vendor}; {machine()}; {args.repeat} requests a page")
    print(f"{'page':26} {'list':>13} {'page no.':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}")
    queries, times, bad = _measure(pages, args.repeat)
    for name, rows, url, number in pages:
        t = times[url, name]
        p50, p95 = percentile(t, 0.5), percentile(t, 0.95)
        print(f"{name:26} {rows:>13} {number:8,} {p50:8.1f} {p95:8.1f} {queries[url, name]:7}")
    for status, url in bad:
        print(f"  status {status}: {url}")
    return 1 if bad else 0


def _measure(pages: list[tuple], repeat: int) -> tuple[dict, dict, list]:
    """Each page's queries (on a warm-up request), its `repeat` times in ms, and the pages not 200."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    warm_requester, cold_requester = Requester(), Requester(before=cache.clear)

    def request(url: str, clear: bool) -> tuple[int, float]:
        return (cold_requester if clear else warm_requester).get(url)[:2]

    bad, queries = [], {}
    for name, _rows, url, _number in pages:
        cold = name.endswith("(cold cache)")
        if not cold:
            request(url, clear=False)  # fills the counts' cache for the warm home page
        reset_queries()  # the handler clears the log when a request starts: count from an empty log
        with CaptureQueriesContext(connection) as captured:
            status, _ = request(url, clear=cold)  # warm-up, counted
        queries[url, name] = len(captured)  # now: the next request clears the log the count reads
        if status != 200:
            bad.append((status, url))
    # Round robin, so that a slow moment of the machine spreads over every page alike.
    times: dict[tuple, list[float]] = {key: [] for key in queries}
    for _ in range(repeat):
        for name, _rows, url, _number in pages:
            times[url, name].append(request(url, clear=name.endswith("(cold cache)"))[1])
    return queries, times, bad


if __name__ == "__main__":
    sys.exit(main())
