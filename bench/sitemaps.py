"""Sitemaps at scale: the time and peak memory of the index and of each section's largest file.

Run against a generated catalogue (read only: this script writes nothing), for example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m .venv/bin/python bench/sitemaps.py

Each file is requested in-process through Django's test client (the page cache off), its
streamed body read chunk by chunk and dropped, as a server would send it. Time: the whole
request, three runs each, best and worst, without tracing; memory: one more run under
tracemalloc (which slows Python several times), its peak of Python allocations (the rows, the
chunks) while the file is made.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import item_total, machine, setup_pages

RUNS = 3


def measure(client, address: str, traced: bool = False) -> tuple[float, float, int, int]:
    """(seconds, peak MB, bytes, addresses) of one request for `address`."""
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(address)
    size = urls = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
        urls += chunk.count(b"<loc>")
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1e6 if traced else 0.0
    tracemalloc.stop()
    if response.status_code != 200:
        raise SystemExit(f"{address}: HTTP {response.status_code}")
    return seconds, peak, size, urls


def main() -> None:
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
    setup_pages()
    from django.test import Client
    from django.urls import reverse

    from catalogue.browse.sitemaps import SECTIONS

    print(machine())
    print(f"items: {item_total():,}")
    client = Client()
    targets = [("index", reverse("sitemap_index"))]
    for name, section in SECTIONS.items():
        numbers = section.file_numbers()
        if numbers:
            # the last full file: the deepest keyset range that holds 50,000 ids
            number = numbers[-2] if len(numbers) > 1 else numbers[-1]
            targets.append(
                (
                    f"{name} (file {number} of {len(numbers)})",
                    reverse("sitemap_section", kwargs={"section": name, "number": number}),
                )
            )
    print(f"{'file':<28} {'best s':>8} {'worst s':>8} {'peak MB':>8} {'KB':>8} {'addresses':>10}")
    for label, address in targets:
        runs = [measure(client, address) for _ in range(RUNS)]
        times = [run[0] for run in runs]
        _, peak, size, urls = measure(client, address, traced=True)
        print(f"{label:<28} {min(times):>8.3f} {max(times):>8.3f} {peak:>8.1f} {size / 1000:>8.0f} {urls:>10,}")


if __name__ == "__main__":
    main()
