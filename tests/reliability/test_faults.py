"""Servers failing under the site (issue 14, defects 4 and 5): a real PostgreSQL and a real Redis,
both throwaway (a cluster in a temporary folder and a `redis-server` on free ports), stopped and
hung under gunicorn running the site as the Procfile does.

- Redis stopped: home, log-in with the right password and sign-up work; pages stay fast.
- Redis that accepts and never answers: counted pages (the item page) still answer quickly.
- PostgreSQL stopped: 503 with Retry-After quickly; /healthz 200, /readyz 503.
- Both back: everything recovers without restarting the site.
Everything started here is stopped by its pid, also on failure.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from config.cache import RETRY_SECONDS
from tests.local_peers import ROOT, Gunicorn, as_postgres, free_port, pg_tool, wait_for_port

REDIS_SERVER = shutil.which("redis-server")
INITDB, PG_CTL = pg_tool("initdb"), pg_tool("pg_ctl")

pytestmark = [
    pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed (apt-get install redis-server)"),
    pytest.mark.skipif(
        INITDB is None or PG_CTL is None,
        reason="PostgreSQL's initdb/pg_ctl are not installed (apt-get install postgresql)",
    ),
]

EMAIL, PASSWORD = "faults@example.org", "a-long-fault-password-42"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"  # counted, not a robot
ITEM = "/p/ipt/iptwpa/jrc108028.html"


class Postgres:
    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="ec-faults-pg-"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            as_postgres([INITDB, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            as_postgres([PG_CTL, "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )

    def pid(self) -> int | None:
        pidfile = self.data / "postmaster.pid"
        return int(pidfile.read_text().split()[0]) if pidfile.exists() else None

    def stop(self) -> None:
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGINT)  # fast shutdown
            deadline = time.monotonic() + 20
            while self.pid() is not None and time.monotonic() < deadline:
                time.sleep(0.05)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, 10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class Mute:
    """A Redis that accepts connections and never answers: a listener that reads nothing."""

    def __init__(self, port: int) -> None:
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(64)
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


class Site(Gunicorn):
    """gunicorn running the site as the Procfile does, on PostgreSQL and Redis."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        super().__init__(env, log)
        wait_for_port(self.port, 60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str, float]:
        """(status, headers, body, seconds); keeps the cookies (secure ones too: this is plain HTTP)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"User-Agent": BROWSER, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.monotonic()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        seconds = time.monotonic() - started
        connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text, seconds

    def get(self, path: str) -> tuple[int, dict[str, str], str, float]:
        return self.request("GET", path)

    def post_form(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, str], str, float]:
        """GET the form for its CSRF token, then POST it."""
        status, _, page, _ = self.get(path)
        assert status == 200, page[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **form})

    def log_in(self) -> tuple[int, dict[str, str], str, float]:
        self.cookies.clear()
        return self.post_form("/accounts/login/", {"login": EMAIL, "password": PASSWORD})


SETUP = f"""
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user("faults", "{EMAIL}", "{PASSWORD}")
EmailAddress.objects.create(user=user, email="{EMAIL}", verified=True, primary=True)
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[tuple[Site, Postgres, Redis]]:
    started: list = []
    try:
        postgres = Postgres()
        started.append(postgres)
        postgres.start()
        redis = Redis()
        started.append(redis)
        redis.start()
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "test-only-secret",
            "SECURE_SSL_REDIRECT": "false",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{postgres.port}/postgres",
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True
        )
        site = Site(env, tmp_path_factory.mktemp("site") / "gunicorn.log")
        started.append(site)
        yield site, postgres, redis
    finally:
        for thing in reversed(started):
            if isinstance(thing, Postgres):
                thing.remove()
            else:
                thing.stop()


def fresh(site: Site) -> Site:
    site.cookies.clear()
    return site


def test_redis_and_postgresql_fail_and_come_back_under_the_site(servers):
    site, postgres, redis = servers
    # all well
    assert site.get("/")[0] == 200
    assert site.get(ITEM)[0] == 200
    assert site.get("/readyz")[0] == 200
    assert site.log_in()[0] == 302

    # Redis stopped: nothing fails, nothing waits
    redis.stop()
    status, _, _, seconds = fresh(site).get("/")
    assert status == 200
    assert seconds < 1.0
    status, _, _, seconds = site.get(ITEM)
    assert status == 200
    assert seconds < 1.0
    status, headers, _, _ = site.log_in()
    assert status == 302
    assert headers["location"] == "/me/"
    status, _, page, _ = fresh(site).post_form(
        "/accounts/signup/", {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert status == 302, page[:500]
    status, _, page, _ = fresh(site).post_form("/accounts/password/reset/", {"email": EMAIL})
    assert status == 302, page[:500]
    assert fresh(site).get("/readyz")[0] == 503

    # a Redis that accepts and never answers: counted pages stay quick
    mute = Mute(redis.port)
    try:
        time.sleep(RETRY_SECONDS + 0.2)  # the site asks Redis again (it skips it a while after a failure)
        times = []
        for path in (ITEM, ITEM, "/", ITEM):
            status, _, _, seconds = fresh(site).get(path)
            assert status == 200
            times.append(seconds)
        assert max(times) < 1.5, times
    finally:
        mute.close()

    # PostgreSQL stopped: a quick 503 that says so; /healthz lives, /readyz does not
    postgres.stop()
    for path in ("/", ITEM, "/", "/search/?q=growth"):
        status, headers, page, seconds = fresh(site).get(path)
        assert status == 503
        assert seconds < 1.5, (path, seconds)
        assert int(headers["retry-after"]) > 0
        assert "briefly unavailable" in page
    status, _, _, seconds = site.get("/healthz")
    assert status == 200
    assert seconds < 0.5
    status, _, _, seconds = site.get("/readyz")
    assert status == 503
    assert seconds < 1.5

    # both back: the site recovers without a restart
    postgres.start()
    redis.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and fresh(site).get("/readyz")[0] != 200:
        time.sleep(0.25)
    assert site.get("/readyz")[0] == 200
    assert site.get("/")[0] == 200
    assert site.get(ITEM)[0] == 200
    assert site.log_in()[0] == 302

    # a warning a minute per cache, no traceback per hit
    site.log.flush()
    log = site.log_path.read_text(errors="replace")
    assert "Traceback" not in log
    assert log.count("unreachable") <= 4, log
