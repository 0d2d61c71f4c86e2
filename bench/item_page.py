"""Item page server time and query count against a generated catalogue.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=testserver .venv/bin/python bench/item_page.py --samples 200

Picks a deterministic sample of items (the most cited, those with the most references, the
rest at random by id), calls the WSGI application in-process for each page `--repeat` times
and prints p50/p95/max server time (request in, body out, connection released), the CPU
time of this process a request (Python's share, which other work on the machine inflates
far less than the wall clock: compare code with it on a busy machine) and the number of
queries a page makes. Budget (docs: /work/shared/DESIGN.md): p50 under 15 ms at
full scale on PostgreSQL, at most 12 queries whatever the item.

The cache is cleared before each timed request when it is the local-memory cache, so that
the figures are those of a page built from the database (pass --warm-cache to keep it).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Requester, item_total, machine, percentile, setup_pages

QUERY_BUDGET = 12
P50_BUDGET_MS = 15.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200, help="items to request (default 200)")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per item (default 5)")
    parser.add_argument("--top", type=int, default=10, help="most-cited and most-referencing items to include")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random part of the sample")
    parser.add_argument("--warm-cache", action="store_true", help="do not clear the local-memory cache")
    args = parser.parse_args()
    setup_pages()

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count, Max, Min
    from django.test.utils import CaptureQueriesContext

    from catalogue.models import Item, Reference

    total = item_total()
    if not total:
        return 2

    # -- the sample ----------------------------------------------------------------------
    started = time.perf_counter()
    cited = list(Item.objects.order_by("-citation_count", "pk").values_list("pk", flat=True)[: args.top])
    referencing = list(
        Reference.objects.values("citing")
        .annotate(n=Count("pk"))
        .order_by("-n", "citing")
        .values_list("citing", flat=True)[: args.top]
    )
    special = list(dict.fromkeys(cited + referencing))
    bounds = Item.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    rng = random.Random(args.seed)
    wanted = max(0, args.samples - len(special))
    candidates = rng.sample(range(bounds["lo"], bounds["hi"] + 1), min(wanted * 2, bounds["hi"] - bounds["lo"] + 1))
    found = set(Item.objects.filter(pk__in=candidates).values_list("pk", flat=True))
    randoms = [pk for pk in candidates if pk in found and pk not in special][:wanted]
    items = Item.objects.select_related("series__archive").in_bulk(special + randoms)
    group = dict.fromkeys(cited, "most cited") | {pk: "most references" for pk in referencing if pk not in cited}
    sample = [
        (items[pk].get_absolute_url(), group.get(pk, "random"), items[pk].citation_count) for pk in special + randoms
    ]
    print(f"sample of {len(sample)} items chosen in {time.perf_counter() - started:.1f} s")

    # -- the requests --------------------------------------------------------------------
    clear = not args.warm_cache and "LocMemCache" in settings.CACHES["default"]["BACKEND"]
    requester = Requester(before=cache.clear if clear else None)

    cpu: list[float] = []  # this process's CPU time a request: what the machine's other load barely moves

    def request(url: str) -> tuple[int, float]:
        started = time.process_time()
        status, ms, _ = requester.get(url)
        cpu.append((time.process_time() - started) * 1000)
        return status, ms

    times: dict[str, list[float]] = {}
    queries: list[tuple[int, str]] = []
    slowest: list[tuple[float, str, int]] = []
    bad = []
    for url, kind, citations in sample:
        with CaptureQueriesContext(connection) as captured:
            status, _ = request(url)  # warm-up, counted
        queries.append((len(captured), url))
        cpu.pop()  # the warm-up's
        if status != 200:
            bad.append((status, url))
            continue
        runs = [request(url)[1] for _ in range(args.repeat)]
        times.setdefault(kind, []).extend(runs)
        slowest.append((statistics.median(runs), url, citations))

    every = [t for runs in times.values() for t in runs]
    vendor = f"{connection.vendor} {connection.settings_dict['NAME']}"
    print(f"\nitem page: {len(sample)} items x {args.repeat} requests, {total:,} items in {vendor}; {machine()}")
    if clear:
        print("(local-memory cache cleared before each request)")
    print(f"{'':18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in ["most cited", "most references", "random"]:
        if kind in times:
            t = times[kind]
            print(f"{kind:18} {len(t):8} {percentile(t, 0.5):8.1f} {percentile(t, 0.95):8.1f} {max(t):8.1f}")
    p50, p95 = percentile(every, 0.5), percentile(every, 0.95)
    print(f"{'all':18} {len(every):8} {p50:8.1f} {p95:8.1f} {max(every):8.1f}")
    cpu_p50, cpu_p95 = percentile(cpu, 0.5), percentile(cpu, 0.95)
    print(f"{'all, CPU time':18} {len(cpu):8} {cpu_p50:8.1f} {cpu_p95:8.1f} {max(cpu):8.1f}")
    counts = [n for n, _ in queries]
    print(f"queries per page: min {min(counts)}, max {max(counts)}, median {statistics.median(counts):.0f}")
    print("slowest pages (median ms, citations):")
    for ms, url, citations in sorted(slowest, reverse=True)[:5]:
        print(f"  {ms:7.1f}  {citations:6,}  {url}")
    for status, url in bad:
        print(f"  status {status}: {url}")
    ok_time, ok_queries = p50 < P50_BUDGET_MS, max(counts) <= QUERY_BUDGET
    print(f"budget: p50 < {P50_BUDGET_MS:g} ms {'PASS' if ok_time else 'FAIL'}; "
          f"queries <= {QUERY_BUDGET} {'PASS' if ok_queries else 'FAIL'}; non-200 pages: {len(bad)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
