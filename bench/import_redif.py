"""ReDIF import throughput: first import, re-import unchanged, re-import with 10% changed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=false SECRET_KEY=bench \\
        .venv/bin/python bench/import_redif.py --items 20000

Writes a deterministic synthetic ReDIF archive (an archive, four series, --items paper and
article templates with authors, abstracts, keywords, JEL codes and files, 1,000 templates a
file) to a temporary folder, creates a database bench_import_<pid> on the server DATABASE_URL
names, migrates it, imports with catalogue.ingest.importer.Importer and prints items per
second for each pass, and how long reading alone (parse + records, no database) takes. The
database is dropped at the end (--keep keeps it). --profile prints where each pass spends
its time (cProfile of the importing process, not of its reader process; the passes are
slower then); --single-process reads in the importing process. Budget: 5,000 items/s into
PostgreSQL for the first import.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, scratch_database

BUDGET = 5000
PER_FILE = 1000
SERIES = [
    ("wpaper", "paper", "Working Papers"),
    ("dpaper", "paper", "Discussion Papers"),
    ("jregec", "article", "Journal of Regional Economics"),
    ("ecolet", "article", "Economics Letters"),
]


def redif_archive(folder: Path, items: int, seed: int, changed: set[int] = frozenset()) -> None:
    """Write the archive `bnc` to folder; items in `changed` get another title and abstract."""
    from catalogue.synthetic import text, vocab

    rng = random.Random(f"bench-import:{seed}")
    top = folder / "bnc"
    top.mkdir(parents=True, exist_ok=True)
    (top / "bncarch.rdf").write_text(
        "Template-Type: ReDIF-Archive 1.0\nHandle: RePEc:bnc\nName: Bench University, Department of Economics\n"
        "Maintainer-Name: Bench Maintainer\nMaintainer-Email: repec@example.org\nURL: https://example.org/RePEc/bnc/\n",
        encoding="utf-8",
    )
    series = []
    for code, kind, name in SERIES:
        series.append(
            f"Template-Type: ReDIF-Series 1.0\nName: {name}\nProvider-Name: Bench University\n"
            f"Maintainer-Email: repec@example.org\nType: ReDIF-{kind.title()}\nHandle: RePEc:bnc:{code}\n"
        )
    (top / "bncseri.rdf").write_text("\n".join(series), encoding="utf-8")
    keywords = vocab.TOPICS + vocab.KEYWORD_EXTRA
    jel = [c for c in vocab.JEL_NAMES if len(c) == 3]
    numbers: dict[tuple[str, int], int] = {}
    pages: dict[tuple[str, int], int] = {}
    chunk: list[str] = []
    for i in range(items):
        code, kind, name = SERIES[i % len(SERIES)]
        year = 1990 + rng.randint(0, 35)
        title = text.title(rng)
        abstract = text.abstract(rng)
        if i in changed:
            title, abstract = f"{title} (revised)", f"{abstract} This version adds new results."
        lines = [f"Template-Type: ReDIF-{kind.title()} 1.0", f"Title: {title}"]
        for _ in range(rng.randint(1, 4)):
            first, middle, last = text.person_name(rng)
            lines.append(f"Author-Name: {text.full_name(first, middle, last)}")
            if rng.random() < 0.3:
                lines.append(f"Author-Workplace-Name: {text.institution_name(rng)}")
        lines.append(f"Abstract: {abstract}")
        lines.append("Keywords: " + "; ".join(rng.sample(keywords, rng.randint(2, 6))))
        lines.append("Classification-JEL: " + ", ".join(rng.sample(jel, rng.randint(1, 3))))
        if kind == "paper":
            numbers[(code, year)] = n = numbers.get((code, year), 0) + 1
            number = f"{year}-{n:03d}"
            lines += [
                f"Creation-Date: {year}-{rng.randint(1, 12):02d}",
                f"Number: {number}",
                f"Length: {rng.randint(10, 60)} pages",
            ]
            handle = f"RePEc:bnc:{code}:{number}"
        else:
            volume, issue = year - 1970, rng.randint(1, 4)
            first_page = pages.get((code, year), 1)
            last_page = first_page + rng.randint(5, 30)
            pages[(code, year)] = last_page + 1
            lines += [f"Journal: {name}", f"Volume: {volume}", f"Issue: {issue}", f"Pages: {first_page}-{last_page}",
                      f"Year: {year}", f"DOI: 10.9999/{code}.{year}.{first_page}"]  # fmt: skip
            handle = f"RePEc:bnc:{code}:v:{volume}:y:{year}:i:{issue}:p:{first_page}-{last_page}"
        lines += [f"File-URL: https://example.org/bnc/{code}/{i}.pdf", "File-Format: application/pdf",
                  "File-Function: Full text", f"Handle: {handle}"]  # fmt: skip
        chunk.append("\n".join(lines) + "\n")
        if len(chunk) == PER_FILE or i == items - 1:
            (top / f"items{i // PER_FILE:05d}.rdf").write_text("\n".join(chunk), encoding="utf-8")
            chunk = []


def read_only(folder: Path) -> float:
    """Seconds to parse and validate every template, without the database."""
    from catalogue.ingest.importer import redif_files
    from catalogue.redif.parser import ReDIFError, parse_file
    from catalogue.redif.records import to_record

    start = time.perf_counter()
    for path in redif_files([folder]):
        for template in parse_file(path):
            if not isinstance(template, ReDIFError):
                to_record(template)
    return time.perf_counter() - start


def run(label: str, folder: Path, items: int, batch_size: int, profile: bool, single_process: bool) -> None:
    from catalogue.ingest.importer import Importer

    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    options = {"parallel_min_bytes": None} if single_process else {}
    report = Importer(batch_size=batch_size, **options).import_paths([folder])
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    print(f"{label:28} {seconds:8.2f} s {items / seconds:10,.0f} items/s   {report.summary()}")
    if report.errors:
        print("  first errors:", *report.errors[:3], sep="\n  ")
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(30)
        print(out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=20000, help="item templates (default 20000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=1000, help="the importer's batch size (default 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--profile", action="store_true", help="print cProfile statistics of each pass")
    parser.add_argument(
        "--search-index",
        choices=["thread", "inline", "none"],
        default="thread",
        help="index beside the writing (default), in each batch's transaction, or not at all (its cost, by difference)",
    )
    parser.add_argument(
        "--single-process", action="store_true", help="read in the importing process (no reader process)"
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must name a PostgreSQL server (any database on it)", file=sys.stderr)
        return 2
    name = f"bench_import_{os.getpid()}"
    with scratch_database(base, name, keep=args.keep) as url, tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = url
        os.environ["DATABASE_POOL"] = "false"
        os.environ.setdefault("SECRET_KEY", "bench")
        from bench.common import setup_django

        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from catalogue.ingest import importer
        from catalogue.search import indexing

        if args.search_index == "none":
            importer.index_items = indexing.index_items = lambda ids: None
        if args.search_index != "thread":
            importer.IndexingThread = lambda: None  # the importer then indexes in each batch
        folder = Path(tmp)
        start = time.perf_counter()
        redif_archive(folder, args.items, args.seed)
        size = sum(p.stat().st_size for p in folder.rglob("*.rdf"))
        print(f"wrote {args.items:,} templates ({size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s; "
              f"database {name}; {machine()}")  # fmt: skip
        seconds = read_only(folder)
        print(f"{'reading only (no database)':28} {seconds:8.2f} s {args.items / seconds:10,.0f} items/s")
        run("first import", folder, args.items, args.batch_size, args.profile, args.single_process)
        run("re-import, unchanged", folder, args.items, args.batch_size, args.profile, args.single_process)
        changed = set(random.Random(args.seed).sample(range(args.items), args.items // 10))
        redif_archive(folder, args.items, args.seed, changed)
        run("re-import, 10% changed", folder, args.items, args.batch_size, args.profile, args.single_process)
        if args.keep:
            print(f"kept database {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
