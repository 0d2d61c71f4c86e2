"""Load: wrk against the item page, home and search, under gunicorn as the Procfile runs it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m SECRET_KEY=bench \\
        .venv/bin/python bench/load.py [--seconds 60] [--connections 100] [--pages item,home,search]

Starts the Procfile's `web` line (gunicorn, gthread, WEB_CONCURRENCY workers x 4 threads) on
127.0.0.1:--port with DEBUG off against the DATABASE_URL given (a generated catalogue:
`manage.py generate_catalogue`), then drives each page in turn with wrk (--connections
connections over --threads threads for --seconds seconds, after a short warm-up): the item
page spread over --items items of the catalogue, home, and search over a few queries. Prints
per page requests/s, p50/p99 latency, responses by status class and socket errors, and the
budget of issue 14: zero 5xx, zero socket errors, p99 under 2 s. Exits 1 when a page misses it.

wrk's own timeout is raised to --timeout (default 10 s) so that a slow answer is measured as
such rather than dropped as a socket error. Plain HTTP on loopback, so SECURE_SSL_REDIRECT is
off; static URLs come from StaticFilesStorage unless STATICFILES_BACKEND says otherwise (the
manifest needs collectstatic). The cache is Redis when REDIS_URL is set, else local memory.
Needs wrk (Debian's package: `apt-get install -y wrk`). A quick run: `--seconds 5 --connections 20`.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, WRK_TALLY, machine, run_wrk, serve, setup_django, stop_server

P99_BUDGET_MS = 2000.0
SEARCHES = ["growth", "trade", "inflation", "monetary+policy", "labour+market", "productivity"]
# One table of paths per run; every thread counts statuses, and done() adds them up.
LUA = (
    """
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(id * 7919 + os.time())
  s2, s3, s4, s5, hits = 0, 0, 0, 0, 0
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Host"] = "127.0.0.1"})
end
"""
    + WRK_TALLY
)


@dataclass
class Result:
    page: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]
    socket_errors: dict[str, int]
    cache_hits: int = 0

    def misses(self) -> list[str]:
        misses = []
        if self.statuses["5xx"]:
            misses.append(f"{self.statuses['5xx']} 5xx")
        if any(self.socket_errors.values()):
            misses.append(f"socket errors {self.socket_errors}")
        if self.p99_ms >= P99_BUDGET_MS:
            misses.append(f"p99 {self.p99_ms:.0f} ms")
        return misses


def procfile_web(port: int) -> list[str]:
    """The Procfile's `web` command with its ${VAR:-default}s filled in, bound to loopback."""
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    command = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: os.environ.get(m.group(1)) or m.group(2), line[4:])
    words = shlex.split(command)
    bind = words.index("--bind")
    words[bind + 1] = f"127.0.0.1:{port}"  # never listen beyond this machine
    words[0] = str(ROOT / ".venv/bin" / words[0])
    return [*words, "--log-level", "warning"]


def start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "STATICFILES_BACKEND": os.environ.get(
            "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    }
    command = procfile_web(port)
    print("server:", " ".join(command[1:]))
    return serve(command, env, f"http://127.0.0.1:{port}/healthz")


def page_paths(items: int) -> dict[str, list[str]]:
    from catalogue.models import Item

    step = max(1, (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) // max(items, 1))
    chosen = Item.objects.filter(pk__in=range(1, step * items + 1, step)).select_related("series__archive")
    item_pages = [item.get_absolute_url() for item in chosen[:items]]
    if not item_pages:
        raise SystemExit("no items: point DATABASE_URL at a catalogue (manage.py generate_catalogue)")
    return {"item": item_pages, "home": ["/"], "search": [f"/search/?q={q}" for q in SEARCHES]}


def wrk(paths: list[str], args: argparse.Namespace, seconds: int, connections: int) -> str:
    script = LUA % {"paths": ", ".join(f'"{path}"' for path in paths)}
    return run_wrk(script, args.port, args.threads, connections, seconds, args.timeout)


def parse(page: str, output: str) -> Result:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    s2, s3, s4, s5 = (int(n) for n in re.search(r"STATUSES (\d+) (\d+) (\d+) (\d+)", output).groups())
    p50, p99 = (int(us) / 1000 for us in re.search(r"PERCENTILES (\d+) (\d+)", output).groups())
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    names = ("connect", "read", "write", "timeout")
    counts = [int(n) for n in errors.groups()] if errors else [0] * len(names)  # wrk omits the line when all are 0
    socket_errors = dict(zip(names, counts, strict=True))
    statuses = {"2xx": s2, "3xx": s3, "4xx": s4, "5xx": s5}
    hits = int(re.search(r"CACHEHITS (\d+)", output).group(1))
    return Result(page, rate, p50, p99, statuses, socket_errors, hits)


def report(result: Result) -> None:
    statuses = ", ".join(f"{k} {v:,}" for k, v in result.statuses.items())
    errors = ", ".join(f"{k} {v}" for k, v in result.socket_errors.items())
    misses = result.misses()
    total = max(1, sum(result.statuses.values()))
    verdict = "within budget" if not misses else "MISSED: " + "; ".join(misses)
    print(
        f"{result.page:7} {result.requests_per_s:8.1f} req/s  p50 {result.p50_ms:7.1f} ms  "
        f"p99 {result.p99_ms:7.1f} ms  [{statuses}]  page cache hits {result.cache_hits / total:.0%}  "
        f"socket errors [{errors}]  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="per page (default 60)")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's timeout, seconds")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each page's run")
    parser.add_argument("--items", type=int, default=1000, help="how many item pages to spread the load over")
    parser.add_argument("--pages", default="item,home,search")
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args()

    setup_django(DEBUG="false", SECURE_SSL_REDIRECT="false")
    from catalogue.models import Item

    paths = page_paths(args.items)
    pages = [page.strip() for page in args.pages.split(",")]
    print(
        f"{Item.objects.count():,} items; gunicorn as the Procfile runs it; wrk {args.threads} threads x "
        f"{args.connections} connections x {args.seconds} s a page; {machine()}"
    )
    print(f"budget: zero 5xx, zero socket errors, p99 < {P99_BUDGET_MS / 1000:.0f} s")
    seconds = os.environ.get("PAGE_CACHE_SECONDS", "3600")
    where = "Redis (REDIS_URL)" if os.environ.get("REDIS_URL") else "files (no REDIS_URL)"
    print(f"page cache: {'off' if seconds == '0' else f'pages kept {seconds} s in {where}'}")
    server = start_server(args.port)
    results = []
    try:
        for page in pages:
            if args.warmup:
                wrk(paths[page], args, args.warmup, min(args.connections, 8))
            results.append(parse(page, wrk(paths[page], args, args.seconds, args.connections)))
            report(results[-1])
    finally:
        stop_server(server)
    if any(result.misses() for result in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
