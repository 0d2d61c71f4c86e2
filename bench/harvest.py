"""Harvesting throughput: a first harvest against import_redif on the same files, an unchanged
re-harvest, and a re-harvest with 1% of the files changed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=false SECRET_KEY=bench \\
        .venv/bin/python bench/harvest.py --items 100000 --files 1000

Writes a deterministic ReDIF archive `bnc` (its arch and seri files, --series series folders,
--files item files among them, --items paper templates with authors, abstracts, keywords and
JEL codes, as bench/import_redif.py writes them) to a temporary folder, and serves it from a
threaded http.server on 127.0.0.1 (the test suite's server: directory listings, ETag,
Last-Modified, 304). On a scratch database (bench_harvest_<pid>, dropped at the end unless
--keep): imports the folder with the importer as `manage.py import_redif` does, empties the
database (flush), then harvests the archive over HTTP, re-harvests it unchanged, changes 1%
of the files and harvests again. HARVEST_DELAY is 0 here: a real harvest adds its pause
(1 s by default) before every request, which the figures leave out (and print).
Targets (issue 15): the first harvest at least 80% of import_redif's items/s; the unchanged
re-harvest under 10 s at 100,000 items in 1,000 files.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, scratch_database


def write_archive(top: Path, url: str, items: int, files: int, series: int, changed: frozenset[int] = frozenset()):
    """The archive `bnc` in `top`; the item files in `changed` (by number) get other titles."""
    from catalogue.synthetic import text, vocab

    top.mkdir(parents=True, exist_ok=True)
    (top / "bncarch.rdf").write_text(
        "Template-Type: ReDIF-Archive 1.0\nHandle: RePEc:bnc\nName: Bench University\n"
        f"Maintainer-Email: repec@example.org\nURL: {url}\n"
    )
    codes = [f"s{n:05d}" for n in range(series)]
    (top / "bncseri.rdf").write_text(
        "\n".join(
            f"Template-Type: ReDIF-Series 1.0\nName: Series {code}\nMaintainer-Email: repec@example.org\n"
            f"Type: ReDIF-Paper\nHandle: RePEc:bnc:{code}\n"
            for code in codes
        )
    )
    keywords = vocab.TOPICS + vocab.KEYWORD_EXTRA
    jel = [c for c in vocab.JEL_NAMES if len(c) == 3]
    per_file = items // files
    for f in range(files):
        rng = random.Random(f"bench-harvest:{f}")
        code = codes[f % series]
        templates = []
        for i in range(per_file):
            number = f"{f:05d}-{i:04d}"
            title = text.title(rng) + (" (revised)" if f in changed else "")
            lines = ["Template-Type: ReDIF-Paper 1.0", f"Title: {title}"]
            for _ in range(rng.randint(1, 4)):
                first, middle, last = text.person_name(rng)
                lines.append(f"Author-Name: {text.full_name(first, middle, last)}")
            lines += [
                f"Abstract: {text.abstract(rng)}",
                "Keywords: " + "; ".join(rng.sample(keywords, rng.randint(2, 6))),
                "Classification-JEL: " + ", ".join(rng.sample(jel, rng.randint(1, 3))),
                f"Creation-Date: {1990 + rng.randint(0, 35)}-{rng.randint(1, 12):02d}",
                f"Number: {number}",
                f"File-URL: https://example.org/bnc/{code}/{number}.pdf",
                "File-Format: application/pdf",
                f"Handle: RePEc:bnc:{code}:{number}",
            ]
            templates.append("\n".join(lines) + "\n")
        path = top / code / f"f{f:05d}.rdf"
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n".join(templates))


def harvest(label: str, items: int, server) -> None:
    from catalogue.harvest import harvest_archives

    server.log.clear()
    start = time.perf_counter()
    (run,) = harvest_archives(["bnc"])
    seconds = time.perf_counter() - start
    conditional = sum(1 for _, c, _ in server.log if c)
    print(
        f"{label:30} {seconds:8.2f} s {items / seconds if run.items_created else 0:10,.0f} items/s   "
        f"{run.status}; requests {run.requests} ({conditional} conditional); files fetched {run.files_fetched}, "
        f"unchanged {run.files_unchanged}; items created {run.items_created}, updated {run.items_updated}"
    )
    for line in run.error_lines[:3]:
        print("  error:", line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=1000, help="item files (default 1000)")
    parser.add_argument("--series", type=int, default=100, help="series folders the files are spread over")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must name a PostgreSQL server (any database on it)", file=sys.stderr)
        return 2
    name = f"bench_harvest_{os.getpid()}"
    with scratch_database(base, name, keep=args.keep) as url, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(DATABASE_URL=url, DATABASE_POOL="false", HARVEST_DELAY="0", HARVEST_ALLOW_PRIVATE="true")
        os.environ.setdefault("SECRET_KEY", "bench")
        from bench.common import setup_django

        setup_django()
        from django.core.management import call_command

        from catalogue.ingest.importer import Importer
        from catalogue.models import Archive
        from tests.harvest.servers import Server

        call_command("migrate", verbosity=0)
        root = Path(tmp) / "www"
        server = Server(root)
        try:
            archive_url = f"{server.url}/RePEc/bnc/"
            top = root / "RePEc" / "bnc"
            start = time.perf_counter()
            write_archive(top, archive_url, args.items, args.files, args.series)
            size = sum(p.stat().st_size for p in top.rglob("*.rdf"))
            took = time.perf_counter() - start
            print(f"wrote {args.items:,} templates in {args.files:,} files under {args.series} series folders "
                  f"({size / 1e6:.1f} MB) in {took:.1f} s; database {name}; {machine()}")  # fmt: skip

            start = time.perf_counter()
            report = Importer().import_paths([top])
            seconds = time.perf_counter() - start
            print(f"{'import_redif (Importer)':30} {seconds:8.2f} s {args.items / seconds:10,.0f} items/s   "
                  f"{report.summary()}")  # fmt: skip
            call_command("flush", interactive=False, verbosity=0)
            Archive.objects.create(code="bnc", handle="RePEc:bnc", name="Bench University", url=archive_url)

            harvest("first harvest", args.items, server)
            harvest("re-harvest, unchanged", args.items, server)
            changed = frozenset(random.Random(1).sample(range(args.files), max(1, args.files // 100)))
            write_archive(top, archive_url, args.items, args.files, args.series, changed)  # all rewritten
            harvest(f"re-harvest, {len(changed)} files changed", args.items, server)
        finally:
            server.stop()
        if args.keep:
            print(f"kept database {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
