"""Search server time over a fixed set of realistic queries, against a generated catalogue.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=testserver .venv/bin/python bench/search.py

The query set is deterministic (`--seed`) and drawn from the generator's own vocabulary and
from titles in the database: single words, quoted phrases, author surnames, two-word
queries, `OR` and `-exclusion`; a third of them with filters (type, years, JEL code,
archive, free download) and other sorts. Every page carries facet counts. Each query is
requested through the WSGI application in-process: once (its query count, and the "first"
time), then `--repeat` more times. Budget (issue 3): p95 under 150 ms, p50 under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Requester, machine, percentile, setup_pages

P95_BUDGET_MS = 150.0
P50_BUDGET_MS = 50.0


def query_set(rng: random.Random, titles: list[str], archives: list[str], n: int) -> list[tuple[str, dict]]:
    """(category, query-string parameters) for n queries."""
    from catalogue.synthetic import vocab

    topic_words = sorted({w for t in vocab.TOPICS for w in t.split() if len(w) > 3})
    singles = (
        topic_words + sorted({p for p in vocab.PLACES if " " not in p}) + sorted({m.split()[0] for m in vocab.METHODS})
    )
    surnames = sorted({name for name in vocab.LAST_NAMES if " " not in name})

    def phrase() -> str:
        words = rng.choice(titles).replace('"', "").split()
        k = rng.choice([2, 2, 3])
        start = rng.randrange(max(1, len(words) - k + 1))
        return '"' + " ".join(words[start : start + k]) + '"'

    makers = [
        ("word", lambda: rng.choice(singles)),
        ("phrase", phrase),
        ("surname", lambda: rng.choice(surnames)),
        ("two words", lambda: f"{rng.choice(singles)} {rng.choice(singles)}"),
        ("surname + word", lambda: f"{rng.choice(surnames)} {rng.choice(singles)}"),
        ("or / not", lambda: rng.choice([f"{rng.choice(singles)} OR {rng.choice(singles)}",
                                         f"{rng.choice(singles)} -{rng.choice(singles)}"])),
    ]  # fmt: skip

    def filters() -> dict:
        pick = rng.choice(["type", "years", "jel", "jel2", "archive", "free", "sort", "sort", "two"])
        if pick == "type":
            return {"type": rng.choice("paahbc")}
        if pick == "years":
            low = rng.randrange(1990, 2020)
            return {"year_from": low, "year_to": low + rng.choice([0, 4, 9])}
        if pick == "jel":
            return {"jel": rng.choice("CDEFGHIJLOR")}
        if pick == "jel2":
            return {"jel": rng.choice("CDEFGHIJLOR") + str(rng.randrange(1, 9))}
        if pick == "archive":
            return {"archive": rng.choice(archives)}
        if pick == "free":
            return {"free": "on"}
        if pick == "sort":
            return {"sort": rng.choice(["newest", "cited", "downloads"])}
        return {"type": rng.choice("pa"), "sort": "cited", "year_from": rng.randrange(1995, 2015)}

    out = []
    for i in range(n):
        category, make = makers[i % len(makers)]
        params = {"q": make()}
        if (i // len(makers)) % 3 == 2:
            params |= filters()
            category += " + filters"
        out.append((category, params))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=600, help="queries in the set (default 600)")
    parser.add_argument("--repeat", type=int, default=2, help="timed repeats per query after the first (default 2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=8, help="slowest queries to list")
    args = parser.parse_args()
    setup_pages()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalogue.models import Archive, Item, SearchEntry

    total = SearchEntry.objects.count()
    if not total:
        print("the search index is empty: manage.py rebuild_search_index", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    high = Item.objects.order_by("-pk").values_list("pk", flat=True).first()
    titles = list(Item.objects.filter(pk__in=rng.sample(range(1, high + 1), 400)).values_list("title", flat=True))
    archives = list(Archive.objects.order_by("?").values_list("code", flat=True)[:50])
    queries = query_set(rng, titles, archives, args.queries)

    requester = Requester()

    def request(params: dict) -> tuple[int, float, bytes]:
        return requester.get("/search/?" + urlencode(params))

    first: list[float] = []
    every: list[float] = []
    by_category: dict[str, list[float]] = {}
    counts, slowest, bad, empty = [], [], [], 0
    started = time.perf_counter()
    for category, params in queries:
        with CaptureQueriesContext(connection) as captured:
            status, ms, body = request(params)
        counts.append(len(captured))
        if status != 200:
            bad.append((status, params))
            continue
        empty += b"No results" in body
        runs = [ms] + [request(params)[1] for _ in range(args.repeat)]
        first.append(ms)
        every.extend(runs)
        by_category.setdefault(category, []).extend(runs)
        slowest.append((statistics.median(runs), params))
    elapsed = time.perf_counter() - started

    print(f"search: {len(queries)} queries x {1 + args.repeat} requests in {elapsed:.0f} s, "
          f"{total:,} items in {connection.vendor} {connection.settings_dict['NAME']}; {machine()}")  # fmt: skip
    print(f"{'':26} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for category in sorted(by_category):
        t = by_category[category]
        print(f"{category:26} {len(t):8} {percentile(t, 0.5):8.1f} {percentile(t, 0.95):8.1f} {max(t):8.1f}")
    p50, p95 = percentile(every, 0.5), percentile(every, 0.95)
    f50, f95 = percentile(first, 0.5), percentile(first, 0.95)
    print(f"{'first request of each':26} {len(first):8} {f50:8.1f} {f95:8.1f} {max(first):8.1f}")
    print(f"{'all':26} {len(every):8} {p50:8.1f} {p95:8.1f} {max(every):8.1f}")
    print(f"queries per page: min {min(counts)}, max {max(counts)}; pages with no results: {empty}")
    print("slowest (median ms):")
    for ms, params in sorted(slowest, key=lambda s: s[0], reverse=True)[: args.show]:
        print(f"  {ms:7.1f}  {urlencode(params)}")
    for status, params in bad:
        print(f"  status {status}: {urlencode(params)}")
    print(f"budget: p50 < {P50_BUDGET_MS:g} ms {'PASS' if p50 < P50_BUDGET_MS else 'FAIL'}; "
          f"p95 < {P95_BUDGET_MS:g} ms {'PASS' if p95 < P95_BUDGET_MS else 'FAIL'}; non-200: {len(bad)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
