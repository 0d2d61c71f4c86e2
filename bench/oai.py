"""OAI-PMH harvest speed and server memory: ListRecords (and ListIdentifiers) over a whole catalogue.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy of bench_gen_1m with migration 0029> \\
        SECRET_KEY=bench .venv/bin/python bench/oai.py --records 50000 --verb ListRecords

Starts gunicorn (one sync worker, loopback only) on the catalogue of DATABASE_URL and harvests
/oai over HTTP as a harvester does: the first request, then each resumptionToken, reading every
page with lxml, until `--records` records (0: the whole list). Prints records/s overall and per
thousand, the worst page time, and the worker's resident memory after the first page and at the
end, with its peak (VmHWM): a page is OAI_PAGE_SIZE records, so memory must stay flat whatever
the length of the harvest. Reads only: any catalogue will do, but without the index
item_oai_datestamp (migration 0029) every page sorts the whole item table.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, serve, stop_server

OAI = "{http://www.openarchives.org/OAI/2.0/}"


def start_server(port: int, page_size: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "OAI_PAGE_SIZE": str(page_size),
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    command = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    return serve(
        [*command, "--timeout", "120", "--log-level", "warning"], env, f"http://127.0.0.1:{port}/oai?verb=Identify"
    )


def worker_memory(server: subprocess.Popen) -> tuple[int, int]:
    """(VmRSS, VmHWM) in MB of gunicorn's worker, the master's child."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text().splitlines()
    values = {line.split(":")[0]: int(line.split()[1]) // 1024 for line in status if line.startswith("Vm")}
    return values["VmRSS"], values["VmHWM"]


def harvest(base: str, verb: str, prefix: str, limit: int, server: subprocess.Popen) -> None:
    query = {"verb": verb, "metadataPrefix": prefix}
    element = "record" if verb == "ListRecords" else "header"
    count, pages, worst, started, first_memory, total = 0, 0, 0.0, time.perf_counter(), None, None
    marks: list[tuple[int, float]] = []
    step = 10000 if 0 < limit <= 100000 else 100000  # a rate printed every `step` records
    while True:
        t = time.perf_counter()
        body = urllib.request.urlopen(f"{base}?{urllib.parse.urlencode(query)}", timeout=120).read()
        root = etree.fromstring(body)
        worst = max(worst, time.perf_counter() - t)
        error = root.find(f"{OAI}error")
        if error is not None:
            raise SystemExit(f"{error.get('code')}: {error.text}")
        listing = root.find(f"{OAI}{verb}")
        count += len(listing.findall(f"{OAI}{element}"))
        pages += 1
        token = listing.find(f"{OAI}resumptionToken")
        if pages == 1:
            first_memory = worker_memory(server)
            total = token.get("completeListSize") if token is not None else count
        if count // step > len(marks):
            marks.append((count, time.perf_counter() - started))
        if token is None or not token.text or (limit and count >= limit):
            break
        query = {"verb": verb, "resumptionToken": token.text}
    elapsed = time.perf_counter() - started
    rss, peak = worker_memory(server)
    print(f"{verb} {prefix}: {count:,} of completeListSize {total} in {pages:,} pages, {elapsed:.1f} s")
    print(f"  {count / elapsed:,.0f} records/s; worst page {worst * 1000:.0f} ms; {len(body):,} bytes a page")
    print("  at " + ", ".join(f"{n:,}: {n / s:,.0f}/s" for n, s in marks))
    print(f"  worker memory: {first_memory[0]} MB after the first page, {rss} MB at the end, peak {peak} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verb", choices=["ListRecords", "ListIdentifiers"], default="ListRecords")
    parser.add_argument("--prefix", default="oai_dc", help="metadataPrefix (oai_dc, redif)")
    parser.add_argument("--records", type=int, default=50000, help="stop after this many (0: all)")
    parser.add_argument("--page-size", type=int, default=100, help="OAI_PAGE_SIZE of the server")
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        print("set DATABASE_URL to a generated catalogue", file=sys.stderr)
        return 2
    # a timeout's SIGTERM ends the run through `finally`, so that gunicorn stops with it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    server = start_server(args.port, args.page_size)
    try:
        harvest(f"http://127.0.0.1:{args.port}/oai", args.verb, args.prefix, args.records, server)
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
