"""The JSON API's server time for search and items, beside the HTML pages that answer the same.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=testserver .venv/bin/python bench/api.py

Search: bench/search.py's deterministic query set (words, phrases, surnames, OR/-not, a third
with filters and other sorts), each asked of /api/v1/search and of /search/ in turn. Items: a
deterministic sample (the most cited, the most referencing, the rest at random), each asked
of /api/v1/items/<handle> and of its page. In-process through the WSGI application, without
the page cache (the figures are those of a miss) and without the API's limit. Prints p50/p95
of each and the ratio API / page in the same run (these machines are shared and noisy), and
the queries each API answer made.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Requester, machine, percentile, setup_pages


def timed(requester, urls: list[str], repeat: int) -> tuple[list[float], list[int], list[tuple[int, str]]]:
    """Each url once to warm (its query count), then `repeat` timed requests; the times, the
    query counts and the non-200 answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, counts, bad = [], [], []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            status, _, _ = requester.get(url)
        counts.append(len(captured))
        if status != 200:
            bad.append((status, url))
            continue
        times += [requester.get(url)[1] for _ in range(repeat)]
    return times, counts, bad


def line(name: str, times: list[float], counts: list[int]) -> str:
    if not times:
        return f"{name:22} no answer 200"
    return (f"{name:22} {len(times):8} {percentile(times, 0.5):8.1f} {percentile(times, 0.95):8.1f} "
            f"{max(times):8.1f}   queries {min(counts)}-{max(counts)}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=120, help="search queries (default 120)")
    parser.add_argument("--items", type=int, default=150, help="items (default 150)")
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per address (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--walk", type=int, default=30, help="pages of 100 walked in the longest lists (default 30)")
    args = parser.parse_args()
    os.environ.setdefault("API_ANON_PER_MINUTE", "0")  # no limit on this one client,
    os.environ.setdefault("COSTLY_PAGES_PER_MINUTE", "0")  # nor on its searches of the page
    setup_pages()

    from django.db.models import Count

    from bench.search import query_set
    from catalogue.models import Archive, Item, Reference, SearchEntry

    total = SearchEntry.objects.count()
    if not total:
        print("the search index is empty: generate a catalogue first", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    high = Item.objects.order_by("-pk").values_list("pk", flat=True).first()
    titles = list(
        Item.objects.filter(pk__in=rng.sample(range(1, high + 1), min(400, high))).values_list("title", flat=True)
    )
    archives = list(Archive.objects.order_by("code").values_list("code", flat=True)[:50])
    queries = [urlencode(params) for _, params in query_set(rng, titles, archives, args.queries)]

    cited = list(Item.objects.order_by("-citation_count", "pk").values_list("pk", flat=True)[:10])
    referencing = list(
        Reference.objects.values("citing").annotate(n=Count("pk")).order_by("-n", "citing")
        .values_list("citing", flat=True)[:10]
    )  # fmt: skip
    ids = list(dict.fromkeys(cited + referencing))
    ids += [pk for pk in rng.sample(range(1, high + 1), min(args.items * 2, high)) if pk not in ids][
        : args.items - len(ids)
    ]
    items = list(Item.objects.select_related("series__archive").filter(pk__in=ids, withdrawn_at=None))

    requester = Requester()
    runs = {
        "search, API": [f"/api/v1/search?{q}" for q in queries],
        "search, page": [f"/search/?{q}" for q in queries],
        "item, API": [f"/api/v1/items/{i.handle}" for i in items],
        "item, page": [i.get_absolute_url() for i in items],
    }
    results = {name: timed(requester, urls, args.repeat) for name, urls in runs.items()}

    print(f"API against pages: {len(queries)} searches, {len(items)} items, {args.repeat} timed requests each; "
          f"{Item.objects.count():,} items; {machine()}")  # fmt: skip
    print(f"{'':22} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, (times, counts, bad) in results.items():
        print(line(name, times, counts))
        for status, url in bad[:5]:
            print(f"  status {status}: {url}")
    for what in ("search", "item"):
        api, page = results[f"{what}, API"][0], results[f"{what}, page"][0]
        print(f"{what}: API / page p50 {percentile(api, 0.5) / percentile(page, 0.5):.2f}, "
              f"p95 {percentile(api, 0.95) / percentile(page, 0.95):.2f}")  # fmt: skip
    walk_lists(requester, args.walk)
    return 0


def walk_lists(requester, pages: int) -> None:
    """The longest lists walked `pages` pages of 100 deep by their cursors: the time of each page."""
    import json
    from urllib.parse import urlsplit

    from catalogue.models import JelCode, Series

    series = Series.objects.select_related("archive").order_by("-item_count").first()
    code = JelCode.objects.filter(parent=None).order_by("-item_count").first()
    lists = [("authors", "/api/v1/authors?limit=100", None), ("archives", "/api/v1/archives?limit=100", None)]
    if series:
        path = f"/api/v1/series/{series.archive.code}/{series.code}?limit=100"
        lists.append((f"series {series.handle} ({series.item_count:,})", path, "items"))
    if code:
        lists.append((f"JEL {code.code} ({code.item_count:,})", f"/api/v1/jel/{code.code}?limit=100", "items"))
    print(f"lists walked by cursor, {pages} pages of 100:")
    for name, url, part in lists:
        times, rows = [], 0
        for _ in range(pages):
            status, ms, body = requester.get(url)
            if status != 200:
                print(f"  status {status}: {url}")
                break
            times.append(ms)
            page = json.loads(body)[part] if part else json.loads(body)
            rows += len(page["items"])
            if not page["next"]:
                break
            parts = urlsplit(page["next"])
            url = f"{parts.path}?{parts.query}"
        print(f"  {name:40} {len(times):3} pages, {rows:6,} rows: p50 {percentile(times, 0.5):6.1f} ms, "
              f"last {times[-1]:6.1f} ms, max {max(times):6.1f} ms")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
