"""The open-data dump at scale: time, records/s and peak memory of a full dump, kind by kind.

Run against a generated catalogue; it only reads the database and writes the dump where it is
told (never into the catalogue's OPEN_DATA_DIR unless asked), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        .venv/bin/python bench/opendata.py --to /tmp/opendata-bench

Each kind is written as the job writes it (catalogue.opendata.writer.write_kind, chunks of
CHUNK_SIZE rows read by keyset, gzipped as they come), into a scratch generation under --to;
then the whole dump once more through opendata.dump() (the snapshot, the manifest, the swap).
Memory: the process's resident set (ru_maxrss) after Django's set-up, after each kind, and at
the end: a dump in constant memory leaves it flat whatever the number of items.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import item_total, machine, setup_django


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", type=Path, default=Path(tempfile.gettempdir()) / "opendata-bench")
    parser.add_argument("--chunk-size", type=int, default=0, help="rows a query (default: the writer's)")
    parser.add_argument("--keep", action="store_true", help="keep the dump written under --to")
    args = parser.parse_args()
    setup_django(SECURE_SSL_REDIRECT="false", PAGE_CACHE_SECONDS="0")
    from catalogue import opendata
    from catalogue.opendata import records, writer

    chunk = args.chunk_size or writer.CHUNK_SIZE
    print(machine())
    print(f"items: {item_total():,}; chunk size {chunk:,}; writing under {args.to}")
    print(f"resident set after set-up: {rss_mb():.0f} MB")
    args.to.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".bench-", dir=args.to))
    total_records = total_bytes = 0
    total_seconds = 0.0
    print(f"{'kind':<11} {'records':>12} {'MB (gz)':>9} {'seconds':>8} {'records/s':>10} {'peak RSS MB':>12}")
    try:
        for kind in records.KINDS:
            started = time.perf_counter()
            entry = writer.write_kind(kind, scratch, chunk, time.time())
            seconds = time.perf_counter() - started
            total_records += entry["records"]
            total_bytes += entry["bytes"]
            total_seconds += seconds
            rate = entry["records"] / seconds if seconds else 0
            print(
                f"{kind.name:<11} {entry['records']:>12,} {entry['bytes'] / 1e6:>9.1f} {seconds:>8.1f} "
                f"{rate:>10,.0f} {rss_mb():>12.0f}"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"{'all kinds':<11} {total_records:>12,} {total_bytes / 1e6:>9.1f} {total_seconds:>8.1f} "
        f"{total_records / total_seconds:>10,.0f} {rss_mb():>12.0f}"
    )
    started = time.perf_counter()
    written = opendata.dump(args.to, chunk_size=chunk)
    seconds = time.perf_counter() - started
    print(f"opendata.dump() whole (snapshot, manifest, swap): {seconds:.1f} s; peak RSS {rss_mb():.0f} MB")
    print(written.summary())
    if not args.keep:
        shutil.rmtree(args.to, ignore_errors=True)


if __name__ == "__main__":
    main()
