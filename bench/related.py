"""Most related items for a whole generated catalogue, then incrementally: time and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        .venv/bin/python bench/related.py [--changed 100] [--skip-full]

Runs `compute_related()` over every counted citation (rewriting every item's list), then
`compute_related(changed=...)` for `--changed` citing items drawn at random (what a run
after an import recomputes: their lists and those of the items near them). Prints each
phase's time, the rows written and the peak resident memory of the process. Budget (issue
4): the whole catalogue at 1,000,000 items and 10,000,000 references in at most 10 minutes.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django

BUDGET_S = 600


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changed", type=int, default=100, help="citing items changed for the incremental run")
    parser.add_argument("--skip-full", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from catalogue.citations.related import compute_related
    from catalogue.models import Item, Reference

    items, references = Item.objects.count(), Reference.objects.count()
    print(f"related items: {items:,} items, {references:,} references in {connection.vendor} "
          f"{connection.settings_dict['NAME']}; {machine()}")  # fmt: skip
    if not args.skip_full:
        start = time.perf_counter()
        report = compute_related()
        seconds = time.perf_counter() - start
        verdict = "PASS" if seconds <= BUDGET_S else "FAIL"
        print(f"full run      {seconds:8.1f} s  {report.summary()}; peak RSS {peak_mb():,.0f} MB")
        print(f"budget: whole catalogue in at most {BUDGET_S} s {verdict}")
    counted = Reference.objects.filter(status__in=Reference.Status.counted()).values_list("citing_id", flat=True)
    ids = sorted(set(counted.order_by("citing_id")[:200_000]))
    changed = random.Random(args.seed).sample(ids, min(args.changed, len(ids)))
    start = time.perf_counter()
    report = compute_related(changed=changed)
    seconds = time.perf_counter() - start
    print(f"incremental   {seconds:8.1f} s  ({len(changed):,} citing items changed) {report.summary()}; "
          f"peak RSS {peak_mb():,.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
