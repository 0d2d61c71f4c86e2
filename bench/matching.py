"""Reference matching against a generated catalogue: precision, recall and speed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        .venv/bin/python bench/matching.py [--present 2000] [--absent 500]

Draws `--present` items at random from the catalogue (title, year, authors, series name)
and writes `--absent` works that are not in it, turns each into a reference with the noise
of real reference lists (catalogue.citations.labelled: typos, dropped subtitles, initials,
"et al.", missing or shifted years, abbreviated journals, half with only a raw text), adds
them to one citing item, runs the matcher on them, and prints precision, recall and
references per second. Everything it writes is rolled back at the end.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django


class RollBack(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--present", type=int, default=2000)
    parser.add_argument("--absent", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-misses", type=int, default=0, help="print this many missed references")
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction

    from catalogue.citations.labelled import Work, labelled_set, quality
    from catalogue.citations.matching import match_references
    from catalogue.models import Authorship, Item, Reference
    from catalogue.synthetic import text

    rng = random.Random(args.seed)
    high = Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = sorted(set(rng.sample(range(1, high + 1), min(args.present, high))))
    rows = Item.objects.filter(pk__in=picked).values_list("pk", "title", "year", "series__name")
    names: dict[int, list[str]] = {}
    for item_id, name in Authorship.objects.filter(item_id__in=picked).order_by("position").values_list("item", "name"):
        names.setdefault(item_id, []).append(name)
    present = [Work(pk, title, year, names.get(pk, []), series) for pk, title, year, series in rows]
    titles = {w.title.lower() for w in present}
    absent = []
    while len(absent) < args.absent:
        title = text.title(rng)
        if title.lower() not in titles and not Item.objects.filter(title__iexact=title).exists():
            people = [text.full_name(*text.person_name(rng)) for _ in range(rng.randint(1, 3))]
            absent.append(Work(None, title, rng.randint(1990, 2024), people, "Review of Economic Studies"))
    cases = labelled_set(present, absent, rng)
    print(f"matching: {len(present):,} references to catalogue items and {len(absent):,} to absent works, "
          f"against {high:,} items in {connection.vendor} {connection.settings_dict['NAME']}; {machine()}")  # fmt: skip
    try:
        with transaction.atomic():
            citing = Item.objects.order_by("pk").first()
            Reference.objects.filter(citing=citing).delete()
            Reference.objects.bulk_create(
                Reference(citing=citing, position=i, **case.fields) for i, case in enumerate(cases)
            )
            start = time.perf_counter()
            report = match_references(citing=[citing.pk])
            seconds = time.perf_counter() - start
            by_position = dict(Reference.objects.filter(citing=citing).values_list("position", "status"))
            targets = dict(Reference.objects.filter(citing=citing).values_list("position", "target"))
            outcomes = [(by_position[i], targets[i]) for i in range(len(cases))]
            scores = dict(Reference.objects.filter(citing=citing).values_list("position", "score"))
            raise RollBack
    except RollBack:
        pass
    q = quality(cases, outcomes)
    print(f"{report.seen:,} references matched in {seconds:.1f} s: {report.seen / seconds:,.0f} references/s")
    print(q.summary())
    shown = 0
    for i, case in enumerate(cases):
        status, target = outcomes[i]
        if shown >= args.show_misses or case.target is None or (status == "matched" and target == case.target):
            continue
        shown += 1
        work = next(w for w in present if w.pk == case.target)
        fields = {k: v for k, v in case.fields.items() if k != "raw_text"}
        print(f"- {status} (score {scores[i]}, target {'right' if target == case.target else target}): "
              f"{case.fields.get('raw_text', '')[:160]!r}\n    fields {fields}"
              f"\n    is: {work.title!r} {work.year} {work.authors}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
