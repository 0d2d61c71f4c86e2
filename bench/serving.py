"""Serving: requests/s of cached and uncached pages against the static limit, under gunicorn as the Procfile runs it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m SECRET_KEY=bench \\
        REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/serving.py [--seconds 20] [--connections 16,64]

Issue 17's benchmark. Starts the Procfile's `web` line (gunicorn, gthread, WEB_CONCURRENCY
workers x 4 threads, --max-requests as written there) on 127.0.0.1:--port, DEBUG off, the
page cache in Redis (REDIS_URL: required, as in production), then drives with wrk, for
--seconds each, at each number of --connections, each page after a run of the static copy
(the bytes of an item page, written under STATIC_ROOT and served by whitenoise: the limit,
measured as loaded as the page's runs on a machine whose load moves):

  item      one item page
  items50   50 item pages of distinct items, in rotation
  home      the home page
  series    a series page (the biggest series)
  search    a search (one query)

each warm (every page requested once beforehand, so every request is a page cache hit) and
cold (each request names a host of its own, `c<run>-<thread>-<n>.cold.test`, allowed
for the server: the page cache's key holds the host, so every request is a miss that
renders from the database and stores the page, as the first request after a write does).
Prints per run, ratio first, the ratio to the static run just before it, requests/s, p50
and p99, non-2xx answers and the page cache's hits; then the ratios in one table, and the
resident memory (VmRSS) of each gunicorn worker at the end and the most each reached while
running (sampled every 0.5 s; a worker restarted by --max-requests is a new pid). Targets
(issue 17): cached item pages at least 0.5 of the static limit, zero non-2xx, workers under
150 MB.

wrk sends no Accept-Encoding: the static copy and the pages go out uncompressed alike.
The throttle of costly pages (COSTLY_PAGES_PER_MINUTE) is off for the server: every request
comes from one address here, and search is a costly page; PAGE_CACHE_SECONDS defaults to 600
so that the cold runs' entries leave Redis soon. Needs wrk (`apt-get install -y wrk`).
A quick run: `--seconds 3 --connections 16`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import WRK_TALLY, machine, run_wrk, serve, setup_django, stop_server
from bench.load import procfile_web

TARGET_RATIO = 0.5
TARGET_RSS_MB = 150.0
PAGES = ("item", "items50", "home", "series", "search")
SEARCH = "/search/?q=growth"
# Rotation over the run's paths (each thread from its own offset); a cold run names a host of
# its own in every request (the page cache's key holds the host). Every thread counts statuses
# and hits; done() adds them up.
LUA = (
    """
local paths = {%(paths)s}
local cold = %(cold)s
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  n = id * 7
  s2, s3, s4, s5, hits = 0, 0, 0, 0, 0
end
request = function()
  n = n + 1
  local host = "127.0.0.1"
  if cold then host = "c%(run)s-" .. id .. "-" .. n .. ".cold.test" end
  return wrk.format("GET", paths[n %% #paths + 1], {["Host"] = host})
end
"""
    + WRK_TALLY
)


@dataclass
class Run:
    page: str
    state: str  # "warm", "cold" or "" (static)
    connections: int
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    socket_errors: int = 0
    hits: int = 0
    limit: float = 0.0  # the static copy's requests/s in the run just before

    @property
    def ratio(self) -> float:
        return self.requests_per_s / self.limit if self.limit else 0.0

    @property
    def label(self) -> str:
        return f"{self.page} {self.state}".strip()

    @property
    def non_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != "2xx") + self.socket_errors


class Workers:
    """The RSS of the gunicorn master's children, sampled in a thread: the most seen per pid."""

    def __init__(self, master: int) -> None:
        self.master, self.peak, self.stopping = master, {}, threading.Event()
        self.thread = threading.Thread(target=self.sample_loop, daemon=True)
        self.thread.start()

    def pids(self) -> list[int]:
        path = Path(f"/proc/{self.master}/task/{self.master}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    @staticmethod
    def rss_mb(pid: int) -> float | None:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        return int(found.group(1)) / 1024 if found else None

    def sample(self) -> dict[int, float]:
        now = {}
        for pid in self.pids():
            rss = self.rss_mb(pid)
            if rss is not None:
                now[pid] = rss
                self.peak[pid] = max(rss, self.peak.get(pid, 0.0))
        return now

    def sample_loop(self) -> None:
        while not self.stopping.wait(0.5):
            self.sample()

    def stop(self) -> dict[int, float]:
        self.stopping.set()
        self.thread.join()
        return self.sample()


def choose_paths() -> dict[str, list[str]]:
    """The pages' paths, from the catalogue: items spread over the id range, the biggest series."""
    from catalogue.models import Item, Series

    last = Item.objects.order_by("-pk").values_list("pk", flat=True).first()
    if not last:
        raise SystemExit("no items: point DATABASE_URL at a catalogue (manage.py generate_catalogue)")
    step = max(1, last // 60)
    chosen = Item.objects.filter(pk__in=range(step // 2, last + 1, step), withdrawn_at=None)
    items = [item.get_absolute_url() for item in chosen.select_related("series__archive").order_by("pk")[:50]]
    series = Series.objects.select_related("archive").order_by("-item_count", "pk").first()
    return {
        "item": items[:1],
        "items50": items,
        "home": ["/"],
        "series": [series.get_absolute_url()] if series else ["/"],
        "search": [SEARCH],
    }


def write_static_copy(item_path: str, static_root: Path) -> tuple[Path, str, int]:
    """The item page's bytes as rendered (in-process), under STATIC_ROOT for whitenoise."""
    from django.test import Client

    folder = static_root / "bench-serving"
    folder.mkdir(parents=True, exist_ok=True)
    response = Client().get(item_path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise SystemExit(f"{item_path}: {response.status_code}")
    name = f"item-{os.getpid()}.html"
    (folder / name).write_bytes(response.content)
    return folder / name, f"/static/bench-serving/{name}", len(response.content)


def wrk(paths: list[str], args: argparse.Namespace, seconds: int, connections: int, cold: str = "") -> str:
    quoted = ", ".join(f'"{path}"' for path in paths)
    script = LUA % {"paths": quoted, "cold": "true" if cold else "false", "run": cold or "0"}
    return run_wrk(script, args.port, args.threads, connections, seconds, args.timeout)


def parse(run: Run, output: str) -> Run:
    run.requests_per_s = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    s2, s3, s4, s5 = (int(n) for n in re.search(r"STATUSES (\d+) (\d+) (\d+) (\d+)", output).groups())
    run.statuses = {"2xx": s2, "3xx": s3, "4xx": s4, "5xx": s5}
    run.p50_ms, run.p99_ms = (int(us) / 1000 for us in re.search(r"PERCENTILES (\d+) (\d+)", output).groups())
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    run.socket_errors = sum(int(n) for n in errors.groups()) if errors else 0  # absent when all are 0
    run.hits = int(re.search(r"CACHEHITS (\d+)", output).group(1))
    return run


def warm(port: int, paths: list[str]) -> None:
    """Each page once, so that the warm run finds it cached."""
    import urllib.request

    for path in paths:  # with wrk's Host header: the page cache's key holds the host
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            answer.read()


def line(run: Run) -> str:
    total = max(1, sum(run.statuses.values()))
    ratio = f"{run.ratio:5.2f}"
    statuses = " ".join(f"{k} {v}" for k, v in run.statuses.items() if v or k == "2xx")
    return (
        f"{ratio}  {run.label:14} c{run.connections:<3} {run.requests_per_s:8.1f} req/s  p50 {run.p50_ms:7.1f} ms  "
        f"p99 {run.p99_ms:7.1f} ms  non-2xx {run.non_2xx}  [{statuses}]  hits {run.hits / total:4.0%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20, help="per run (default 20)")
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's timeout, seconds")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--port", type=int, default=8772)
    parser.add_argument("--max-requests", help="instead of the Procfile's --max-requests (its jitter becomes a tenth)")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit(
            "REDIS_URL is required: the page cache lives in Redis in production (use a database of your own)"
        )
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    os.environ.setdefault("PAGE_CACHE_SECONDS", "600")
    os.environ["COSTLY_PAGES_PER_MINUTE"] = "0"
    # the manifest's hashed names need collectstatic; as bench/load.py, unless told otherwise
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    setup_django(DEBUG="false", SECURE_SSL_REDIRECT="false")
    from django.conf import settings

    from catalogue.models import Item

    pages = [page.strip() for page in args.pages.split(",")]
    connections = [int(n) for n in args.connections.split(",")]
    paths = choose_paths()
    static_file, static_path, size = write_static_copy(paths["item"][0], Path(settings.STATIC_ROOT))
    paths["static"] = [static_path]
    print(
        f"{Item.objects.count():,} items; gunicorn as the Procfile runs it; wrk {args.threads} threads, "
        f"{args.seconds} s a run; {machine()}; load average {os.getloadavg()[0]:.1f} before"
    )
    print(f"item page {paths['item'][0]} ({size:,} bytes; its static copy at {static_path})")
    print(f"page cache: Redis ({os.environ['REDIS_URL']}), pages kept {os.environ['PAGE_CACHE_SECONDS']} s")
    print(
        f"targets: cached item pages >= {TARGET_RATIO} of the static limit, zero non-2xx, "
        f"workers < {TARGET_RSS_MB:.0f} MB"
    )
    hosts = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env = {**os.environ, "DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "ALLOWED_HOSTS": f"{hosts},.cold.test"}
    command = procfile_web(args.port)
    if args.max_requests:
        command[command.index("--max-requests") + 1] = args.max_requests
        command[command.index("--max-requests-jitter") + 1] = str(int(args.max_requests) // 10)
    print("server:", " ".join(command[1:]))
    server = serve(command, env, f"http://127.0.0.1:{args.port}/healthz")
    workers = Workers(server.pid)
    runs: list[Run] = []
    stamp = f"{int(time.time()):x}"
    try:
        wrk(paths["item"], args, 2, 4)  # start-up: the workers' first requests
        print("\nratio  run            conns")
        for conns in connections:
            for page in pages:  # each page after a run of the static copy: its limit, as loaded as it
                static = parse(Run("static", "", conns), wrk(paths["static"], args, args.seconds, conns))
                static.limit = static.requests_per_s
                runs.append(static)
                print(line(static), flush=True)
                for state in ("warm", "cold"):
                    if state == "warm":
                        warm(args.port, paths[page])
                    cold = f"{stamp}-{len(runs)}" if state == "cold" else ""
                    run = parse(Run(page, state, conns), wrk(paths[page], args, args.seconds, conns, cold))
                    run.limit = static.requests_per_s
                    runs.append(run)
                    print(line(run), flush=True)
    finally:
        rss_end = workers.stop()
        stop_server(server)
        static_file.unlink(missing_ok=True)
    summary(runs, connections, rss_end, workers.peak)


def megabytes(by_pid: dict[int, float]) -> str:
    return ", ".join(f"{pid} {mb:.0f} MB" for pid, mb in sorted(by_pid.items()))


def summary(runs: list[Run], connections: list[int], rss_end: dict[int, float], rss_peak: dict[int, float]) -> None:
    print("\nratio to the static limit (requests/s, each against the static run just before it), by connections:")
    labels = list(dict.fromkeys(run.label for run in runs if run.page != "static"))
    print(f"{'page':16}" + "".join(f"{'c' + str(c):>8}" for c in connections))
    for label in labels:
        found = [next((r for r in runs if r.label == label and r.connections == c), None) for c in connections]
        print(f"{label:16}" + "".join(f"{r.ratio:8.2f}" if r else f"{'-':>8}" for r in found))
    for conns in connections:
        limits = sorted(r.requests_per_s for r in runs if r.page == "static" and r.connections == conns)
        if limits:
            print(f"static limit, c{conns}: {limits[0]:.0f}-{limits[-1]:.0f} requests/s over {len(limits)} runs")
    cached_items = [r for r in runs if r.page in ("item", "items50") and r.state == "warm"]
    worst = min((r.ratio for r in cached_items), default=0.0)
    non_2xx = sum(r.non_2xx for r in runs)
    print(f"\nworkers' RSS at the end: {megabytes(rss_end)}")
    seen = sorted(rss_peak.values())
    if seen:
        print(
            f"workers' RSS while running: {len(seen)} workers seen (a worker that --max-requests restarts is a new "
            f"one), the most each reached: median {seen[len(seen) // 2]:.0f} MB, largest {seen[-1]:.0f} MB"
        )
    peak = max(rss_peak.values(), default=0.0)
    print(
        f"targets: cached item pages {worst:.2f} of the limit ({'PASS' if worst >= TARGET_RATIO else 'MISS'}); "
        f"non-2xx {non_2xx} ({'PASS' if not non_2xx else 'MISS'}); "
        f"largest worker {peak:.0f} MB ({'PASS' if peak < TARGET_RSS_MB else 'MISS'})"
    )


if __name__ == "__main__":
    main()
