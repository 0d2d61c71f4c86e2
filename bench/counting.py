"""Item page throughput with counting on and off, under gunicorn, against a generated catalogue.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m SECRET_KEY=bench \\
        .venv/bin/python bench/counting.py [--rounds 3] [--seconds 20] [--items 2000]

Starts two gunicorns (the Procfile's worker class, 2 workers x 4 threads each, DEBUG off, Redis
as the cache and the statistics buffer) on 127.0.0.1, one with STATS_COUNTING=true and one with
false, and loads them in turn for --rounds rounds, and drives it with wrk from this machine: each request
asks for one of --items item pages with one of 50 browser user agents, so most hits are new
(counted), as from many readers. Prints requests/s per run, the medians, and their ratio; then times item pages in this
process with counting off and on for each page in turn (the machine's noise falls on both
alike) and one counted hit alone.
Budget (issue 7): counting on within 10% of counting off. Then flushes the buffer and prints
what the flush added. Needs wrk (Debian's package) and Redis at REDIS_URL (default local).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, machine, serve, setup_django, stop_server

PORTS = {True: 8765, False: 8766}  # counting on, off: both servers run at once
BUDGET = 0.10
LUA = """
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  math.randomseed(id * 7919 + os.time())
end
local paths = {%(paths)s}
local agents = {}
for i = 1, 50 do
  agents[i] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156." .. i .. " Safari/537.36"
end
request = function()
  local path = paths[math.random(#paths)]
  return wrk.format("GET", path, {["User-Agent"] = agents[math.random(#agents)], ["Host"] = "127.0.0.1"})
end
"""


def item_paths(count: int, seed: int = 7) -> list[str]:
    from catalogue.models import Item

    last = Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(seed)
    ids = rng.sample(range(1, last + 1), min(count * 2, last))
    items = Item.objects.filter(pk__in=ids).select_related("series__archive")[:count]
    return [item.get_absolute_url() for item in items]


def start_server(counting: bool, env: dict) -> subprocess.Popen:
    env = {**env, "STATS_COUNTING": "true" if counting else "false"}
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "--worker-class",
        "gthread",
        "--workers",
        "2",
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{PORTS[counting]}",
        "--log-level",
        "warning",
    ]
    return serve(command, env, f"http://127.0.0.1:{PORTS[counting]}/healthz")


def run_wrk(script: str, seconds: int, port: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", script, f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"wrk saw {errors.group(1)} error responses:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def interleaved(paths: list[str], rounds: int) -> tuple[float, float, float]:
    """Server time of item pages in this process, counting off and on for the same page one
    after the other (so the machine's noise falls on both alike): (median off ms, median on
    ms, the cost of one counted hit in microseconds, timed alone)."""
    from django.test import Client, RequestFactory, override_settings

    from catalogue.stats import counting

    client = Client()
    times: dict[bool, list[float]] = {False: [], True: []}
    for n in range(rounds):
        path = paths[n % len(paths)]
        for on in (False, True) if n % 2 else (True, False):
            agent = f"Mozilla/5.0 (X11; Linux x86_64) Chrome/156.{n}.{int(on)}"
            with override_settings(STATS_COUNTING=on):
                started = time.perf_counter()
                response = client.get(path, HTTP_USER_AGENT=agent)
                times[on].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, path
    factory = RequestFactory()
    requests = [factory.get("/", HTTP_USER_AGENT=f"Mozilla/5.0 Chrome/{n}") for n in range(2000)]
    started = time.perf_counter()
    for n, request in enumerate(requests):
        counting.record(request, counting.VIEW, 1 + n % 500)
    per_hit = (time.perf_counter() - started) / len(requests) * 1e6
    return statistics.median(times[False]), statistics.median(times[True]), per_hit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--interleaved", type=int, default=400, help="pages timed in this process, each on and off")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
    }
    os.environ.update({k: v for k, v in env.items() if k not in os.environ or k == "REDIS_URL"})
    setup_django()
    from django.conf import settings
    from django.core.cache import caches

    from catalogue.stats.counting import flush

    caches["stats"].clear()
    paths = item_paths(args.items)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA % {"paths": ", ".join(f'"{p}"' for p in paths)})
    print(
        f"item page throughput, counting on and off: {len(paths)} items, {settings.DATABASES['default']['NAME']}, "
        f"gunicorn 2 workers x 4 threads, wrk 2 threads x 16 connections x {args.seconds} s; {machine()}"
    )
    figures: dict[bool, list[float]] = {True: [], False: []}
    servers = {counting: start_server(counting, env) for counting in (True, False)}
    try:
        for counting in (True, False):
            run_wrk(lua.name, 3, PORTS[counting])  # warm the workers and their connection pools
        for round_ in range(args.rounds):
            # both servers stay up; the load alternates between them, so the machine's slow
            # and fast spells fall on both alike
            for counting in (False, True) if round_ % 2 == 0 else (True, False):
                rate = run_wrk(lua.name, args.seconds, PORTS[counting])
                figures[counting].append(rate)
                print(f"  round {round_ + 1} counting {'on ' if counting else 'off'}: {rate:8.1f} requests/s")
    finally:
        for server in servers.values():
            stop_server(server)
    on, off = statistics.median(figures[True]), statistics.median(figures[False])
    ratio = on / off
    verdict = "PASS" if ratio >= 1 - BUDGET else "FAIL"
    print(f"median: counting on {on:.1f}, off {off:.1f} requests/s; on/off {ratio:.3f} (budget >= 0.90) {verdict}")
    off_ms, on_ms, per_hit = interleaved(paths, args.interleaved)
    print(
        f"in this process, {args.interleaved} pages each timed with counting off and on, interleaved: "
        f"median {off_ms:.1f} ms off, {on_ms:.1f} ms on (on/off {on_ms / off_ms:.3f}); "
        f"one counted hit alone: {per_hit:.0f} us"
    )
    started = time.perf_counter()
    report = flush()
    print(f"flush: {report} in {time.perf_counter() - started:.2f} s")
    Path(lua.name).unlink()


if __name__ == "__main__":
    main()
