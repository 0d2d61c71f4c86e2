"""RePEc archive files at scale: the biggest series file streamed by gunicorn, its time and the
worker's memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m SECRET_KEY=bench \\
        .venv/bin/python bench/repec.py

Reads only. Starts gunicorn (one sync worker, loopback only) on the catalogue of DATABASE_URL,
finds the series with the most items (kept counts), then over HTTP as RePEc's harvester would:
its archive's folder, `<code>arch.rdf`, `<code>seri.rdf`, the series' folder and its file, the
file read chunk by chunk and dropped, RUNS times. Prints the seconds of each, the file's size,
templates and templates/s, and the worker's resident memory before the first file, after the
last and its peak (VmHWM): the file streams in pages of catalogue.repec.files.CHUNK items, so
the peak must not grow with the size of the series. The same for a small series, to compare.

`--harvest-into DATABASE_URL` then harvests the biggest series' archive from gunicorn with the
project's harvester into that database (which must not hold the archive; nothing is queued:
AFTER_IMPORT is off), times it, and compares each series file made from the harvested records
with the one served, byte for byte (Author-Person lines left out: persons are not in archives).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, machine, serve, setup_django, stop_server

RUNS = 3


def start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PAGE_CACHE_SECONDS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    command = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    return serve([*command, "--timeout", "600", "--log-level", "warning"], env, f"http://127.0.0.1:{port}/healthz")


def worker_memory(server: subprocess.Popen) -> tuple[int, int]:
    """(VmRSS, VmHWM) in MB of gunicorn's worker, the master's child."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text().splitlines()
    values = {line.split(":")[0]: int(line.split()[1]) // 1024 for line in status if line.startswith("Vm")}
    return values["VmRSS"], values["VmHWM"]


def fetch(url: str) -> tuple[float, int, int]:
    """(seconds, bytes, templates) of one GET, read 64 KB at a time."""
    started = time.perf_counter()
    size = templates = 0
    mark = b"\nTemplate-Type:"
    tail = b""  # the end of the last chunk, too short to hold a whole mark: none is counted twice
    with urllib.request.urlopen(url, timeout=600) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        while chunk := response.read(65536):
            size += len(chunk)
            templates += (tail + chunk).count(mark)
            tail = chunk[-(len(mark) - 1) :]
    return time.perf_counter() - started, size, templates


def digest(body: bytes) -> str:
    """SHA-256 of a series file without its Author-Person and Editor-Person lines."""
    lines = [line for line in body.split(b"\n") if not line.startswith((b"Author-Person:", b"Editor-Person:"))]
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def served_digests(base: str, archive: str) -> dict[str, tuple[str, int]]:
    """series code -> (digest, templates) of each series file of the archive, as served."""
    from catalogue.models import Series

    found = {}
    for code in Series.objects.filter(archive__code=archive).order_by("code").values_list("code", flat=True):
        try:
            with urllib.request.urlopen(f"{base}/{archive}/{code}/{code}.rdf", timeout=600) as response:
                body = response.read()
        except urllib.error.HTTPError:
            continue  # no public items
        found[code] = (digest(body), body.count(b"\nTemplate-Type:"))
    return found


HARVEST_BACK = """
import json, sys, time
sys.path.insert(0, sys.argv[4])
from bench.common import setup_django
setup_django()
from django.test import Client
from catalogue.harvest import harvest_archive
from catalogue.models import Archive, Item
from bench.repec import digest
code, url, codes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
if Archive.objects.filter(code=code).exists():
    raise SystemExit(f"the target database already holds the archive {code}")
archive = Archive.objects.create(code=code, handle=f"RePEc:{code}", name=code, url=url)
started = time.perf_counter()
run = harvest_archive(archive)
seconds = time.perf_counter() - started
client, made = Client(HTTP_HOST="127.0.0.1"), {}
for series in codes:
    body = b"".join(client.get(f"/repec/{code}/{series}/{series}.rdf").streaming_content)
    made[series] = digest(body)
items = Item.objects.filter(series__archive=archive).count()
print(json.dumps({"status": run.status, "errors": run.errors[:500], "files": run.files_fetched,
                  "seconds": seconds, "items": items, "digests": made}))
"""


def harvest_back(target: str, base: str, archive: str) -> None:
    """Harvest `archive` from the server at `base` into the database `target` (a child process,
    Django set up on it), and compare the series files made there with those served."""
    import json
    import tempfile

    served = served_digests(base, archive)
    env = {**os.environ, "DATABASE_URL": target, "HARVEST_ALLOW_PRIVATE": "true", "AFTER_IMPORT": "",
           "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "PAGE_CACHE_SECONDS": "0",
           "SECURE_SSL_REDIRECT": "false"}  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".py") as script:
        script.write(HARVEST_BACK)
        script.flush()
        command = [sys.executable, script.name, archive, f"{base}/{archive}/", json.dumps(sorted(served)), str(ROOT)]
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(result.stderr[-2000:])
    got = json.loads(result.stdout.strip().splitlines()[-1])
    templates = sum(n for _, n in served.values())
    rate = got["items"] / got["seconds"]
    print(f"harvested {archive} back: {got['status']}, {got['files']} files, {got['items']:,} items "
          f"(served {templates:,} templates) in {got['seconds']:.1f} s, {rate:,.0f} items/s")  # fmt: skip
    if got["errors"]:
        print(f"  errors: {got['errors']}")
    differ = [code for code, (sha, _) in served.items() if got["digests"].get(code) != sha]
    print(f"  series files made again from the harvested records: {len(served) - len(differ)} of {len(served)} "
          f"identical{'; differ: ' + ', '.join(differ) if differ else ''}")  # fmt: skip


def targets() -> list[tuple[str, int, str, str]]:
    """(label, items, archive code, series code): the biggest series and a small one."""
    from catalogue.models import Series

    ordered = Series.objects.filter(item_count__gt=0).select_related("archive")
    biggest = ordered.order_by("-item_count").first()
    small = ordered.filter(item_count__gte=20).order_by("item_count").first()
    if biggest is None:
        raise SystemExit("no series with items: generate a catalogue first (manage.py generate_catalogue)")
    found = [("biggest", biggest)] + ([("small", small)] if small else [])
    return [(label, s.item_count, s.archive.code, s.code) for label, s in found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--harvest-into", metavar="DATABASE_URL", help="harvest the biggest archive back into it")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        print("set DATABASE_URL to a generated catalogue", file=sys.stderr)
        return 2
    setup_django()
    from catalogue.models import Item

    print(machine())
    print(f"items: {Item.objects.count():,}")
    chosen = targets()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    server = start_server(args.port)
    base = f"http://127.0.0.1:{args.port}/repec"
    try:
        for label, items, archive, series in chosen:
            for path in (
                f"{archive}/",
                f"{archive}/{archive}arch.rdf",
                f"{archive}/{archive}seri.rdf",
                f"{archive}/{series}/",
            ):
                seconds, size, _ = fetch(f"{base}/{path}")
                print(f"  /repec/{path}: {seconds * 1000:.0f} ms, {size:,} bytes")
            before = worker_memory(server)
            runs = [fetch(f"{base}/{archive}/{series}/{series}.rdf") for _ in range(RUNS)]
            rss, peak = worker_memory(server)
            times = [run[0] for run in runs]
            _, size, templates = runs[-1]
            median = statistics.median(times)
            print(
                f"{label} series {archive}/{series} ({items:,} items kept count): {templates:,} templates, "
                f"{size / 1e6:.1f} MB; median {median:.2f} s (best {min(times):.2f}, worst {max(times):.2f}), "
                f"{templates / median:,.0f} templates/s, {size / 1e6 / median:.1f} MB/s"
            )
            print(f"  worker memory: {before[0]} MB before, {rss} MB after, peak {peak} MB")
        if args.harvest_into:
            harvest_back(args.harvest_into, base, chosen[0][2])
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
