"""What the benchmarks share: Django set-up from a script, throwaway databases, percentiles."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def setup_django(**env: str) -> None:
    """Make the repository importable and set Django up; `env` holds defaults for unset variables."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for name, value in env.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def setup_pages() -> None:
    """Django set up to request pages in-process (host `testserver`, no HTTPS redirect, static files
    without collectstatic, no page cache unless PAGE_CACHE_SECONDS says); warns when DEBUG is on,
    whose query log adds to every time."""
    setup_django(
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        PAGE_CACHE_SECONDS="0",  # these benchmarks time the rendering; bench/load.py measures the cache
    )
    from django.conf import settings

    if settings.DEBUG:
        print("warning: DEBUG is on; times include Django's query logging", file=sys.stderr)


def item_total() -> int:
    """The catalogue's number of items; 0, with a word on what to do, when it has none."""
    from catalogue.models import Item

    total = Item.objects.count()
    if not total:
        print("no items: generate a catalogue first (manage.py generate_catalogue)", file=sys.stderr)
    return total


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: percentile(v, 0.95)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def machine() -> str:
    return f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def with_database(url: str, name: str) -> str:
    """The same server (and credentials) as `url`, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def scratch_database(base_url: str, name: str, keep: bool = False):
    """Create database `name` on the PostgreSQL server of `base_url`; drop it afterwards unless keep."""
    import psycopg

    admin = with_database(base_url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(base_url, name)
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Requester:
    """GET requests through Django's WSGI handler in-process; each returns (status, ms, body),
    the time from request in to body out and connection released. Call after setup_django()."""

    def __init__(self, before=None):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import RequestFactory

        self.app, self.factory = WSGIHandler(), RequestFactory()
        self.before = before  # called, untimed, before each request (e.g. to clear a cache)

    def get(self, url: str) -> tuple[int, float, bytes]:
        import time

        environ = self.factory.get(url, secure=True).environ
        status: list[str] = []
        if self.before:
            self.before()
        start = time.perf_counter()
        response = self.app(environ, lambda s, headers, exc_info=None: status.append(s))
        body = b"".join(response)
        response.close()
        return int(status[0].split()[0]), (time.perf_counter() - start) * 1000, body


def serve(command: list[str], env: dict[str, str], ready_url: str, tries: int = 150):
    """Start a server (its own process group) and wait until `ready_url` answers (any HTTP
    status: whether it is healthy is the benchmark's business); stop it and exit if it never does."""
    import subprocess
    import time
    import urllib.error
    import urllib.request

    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(tries):
        try:
            urllib.request.urlopen(ready_url, timeout=30).read()
            return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"the server did not start: {' '.join(command)}")


def stop_server(server) -> None:
    """Stop a server started by serve(), and what it started."""
    import signal

    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


# The end of a wrk Lua script (a template for %-formatting: `%%` is a `%`): tally the answers by
# status class and page-cache hits in each thread, and print them with the latency's p50 and
# p99 when the run ends (bench/load.py and bench/serving.py read these lines back).
WRK_TALLY = """response = function(status, headers, body)
  if status >= 500 then s5 = s5 + 1
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1
  else s2 = s2 + 1 end
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end
done = function(summary, latency, requests)
  local t = {s2 = 0, s3 = 0, s4 = 0, s5 = 0, hits = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format("STATUSES %%d %%d %%d %%d\\n", t.s2, t.s3, t.s4, t.s5))
  io.write(string.format("CACHEHITS %%d\\n", t.hits))
  io.write(string.format("PERCENTILES %%d %%d\\n", latency:percentile(50), latency:percentile(99)))
end
"""


def run_wrk(script: str, port: int, threads: int, connections: int, seconds: int, timeout: int) -> str:
    """wrk against 127.0.0.1:`port` with a Lua `script` (written to a file for the run): its output."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s"]
        command += ["-s", lua.name, f"http://127.0.0.1:{port}/"]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(lua.name)
