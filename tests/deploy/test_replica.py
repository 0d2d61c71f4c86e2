"""Reads from a real streaming replica (issue 17; DECISIONS.md, D25).

The test makes its own primary (a throwaway cluster with wal_level=replica on a free port; the
machine's shared PostgreSQL is never touched) and two hot standbys streaming from it
(`pg_basebackup -R`), migrates the primary and loads the demo, then runs the site under
gunicorn, as the Procfile does, with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the
standbys, three times with different settings:
- `reads`: no page cache, any lag allowed: what a client reads shows where it read it;
- `cached`: the page cache on, any lag allowed, a pin of 3 s;
- `strict`: no page cache, at most 1 s of lag allowed.
With the standbys' replay paused (`pg_wal_replay_pause()`), a staff member corrects a series'
name in the admin: they see the correction at once (their pin cookie reads the primary), an
anonymous client of `reads` still sees the old name (it reads a standby), `strict` leaves
the lagging standbys out, and `cached` renders the page it stores from the primary. Replay
resumed on one standby, readers see one name or the other (reads are spread over both); on
both, everyone sees it; the standbys stopped one after the other, every page still answers 200.
Everything started here is stopped by its pid, also on failure.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from tests.local_peers import ROOT, Gunicorn, as_postgres, free_port, pg_tool, wait_for_port

INITDB, PG_CTL, PG_BASEBACKUP = pg_tool("initdb"), pg_tool("pg_ctl"), pg_tool("pg_basebackup")

pytestmark = [
    pytest.mark.skipif(
        None in (INITDB, PG_CTL, PG_BASEBACKUP),
        reason="PostgreSQL's initdb, pg_ctl and pg_basebackup are not installed (apt-get install postgresql)",
    ),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="replicas are PostgreSQL's: the suite runs on SQLite (it runs with DATABASE_URL=postgres://...)",
    ),
]

STAFF, PASSWORD = "replica-staff", "a-long-replica-password-42"
SERIES = "RePEc:ipt:iptwpa"
OLD_NAME, NEW_NAME = "JRC Research Reports", "Quokka Working Papers"


class Cluster:
    """A PostgreSQL cluster in a folder of its own, on a free port."""

    def __init__(self, folder: Path, name: str) -> None:
        self.port = free_port()
        self.folder = folder
        self.data = folder / name
        self.log = folder / f"{name}.log"

    def start(self, *extra: str) -> None:
        options = " ".join([f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", *extra])
        run([PG_CTL, "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start"])

    def pid(self) -> int | None:
        pidfile = self.data / "postmaster.pid"
        try:
            return int(pidfile.read_text().split()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None

    def stop(self) -> None:
        pid = self.pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGINT)  # fast shutdown
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 20
        while self.pid() is not None and time.monotonic() < deadline:
            time.sleep(0.05)

    def sql(self, statement: str) -> str:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as c:
            row = c.execute(statement).fetchone()  # type: ignore[arg-type]  # a test's own SQL
            return "" if row is None else str(row[0])


def run(command: list[str]) -> None:
    done = subprocess.run(as_postgres(command), capture_output=True, text=True)
    assert done.returncode == 0, f"{command[0]} failed: {done.stdout}{done.stderr}"


class Client:
    """One browser: keeps its cookies (secure ones too: this is plain HTTP)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)


class FormFields(HTMLParser):
    """What a browser would send for the form with this id (text inputs, checked boxes, selected
    options, text areas)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.fields: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or (not a.get("name") and tag != "option"):
            return
        if tag == "input" and a.get("type") not in {"submit", "button", "file", "checkbox", "radio"}:
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in {"checkbox", "radio"} and "checked" in a:
            self.fields[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self.select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea] += data


SETUP = f"""
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser("{STAFF}", "staff@example.org", "{PASSWORD}")
from catalogue.models import Series
series = Series.objects.get(handle="{SERIES}")
print(series.pk, series.get_absolute_url(), series.name)
"""


class Site(Gunicorn):
    """gunicorn running the site on the primary and the standbys."""


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[dict]:
    folder = Path(tempfile.mkdtemp(prefix="ec-replica-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    primary = Cluster(folder, "primary")
    standbys = [Cluster(folder, "standby1"), Cluster(folder, "standby2")]
    sites: dict[str, Site] = {}
    try:
        run([INITDB, "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        # initdb's pg_hba.conf lets 127.0.0.1 replicate (trust, as it was told)
        primary.start("-c wal_level=replica", "-c max_wal_senders=4")
        base = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "test-only-secret",
            "SECURE_SSL_REDIRECT": "false",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary.port}/postgres",
            "LOG_LEVEL": "WARNING",
            "COSTLY_PAGES_PER_MINUTE": "0",
            "STATS_COUNTING": "false",
            "AFTER_IMPORT": "",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
        base.pop("REDIS_URL", None)
        base.pop("DATABASE_REPLICA_URL", None)
        made = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=base, capture_output=True, text=True
        )
        assert made.returncode == 0, made.stderr
        pk, url, name = made.stdout.strip().splitlines()[-1].split(" ", 2)
        assert name == OLD_NAME
        for standby in standbys:
            run([PG_BASEBACKUP, "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D", str(standby.data),
                 "-R", "--no-sync", "--checkpoint=fast"])  # fmt: skip
            standby.start("-c hot_standby=on")
            assert standby.sql("SELECT pg_is_in_recovery()") == "True"
        urls = ",".join(f"postgres://postgres@127.0.0.1:{standby.port}/postgres" for standby in standbys)

        replica = {**base, "DATABASE_REPLICA_URL": urls}
        replica["REPLICA_CHECK_SECONDS"] = "0.2"
        logs = tmp_path_factory.mktemp("sites")
        for name, extra in {
            # checked once, when it starts: a replica that goes away fails under a request
            "reads": {"PAGE_CACHE_SECONDS": "0", "REPLICA_MAX_LAG_SECONDS": "3600", "REPLICA_PIN_SECONDS": "60",
                      "REPLICA_CHECK_SECONDS": "3600"},
            "cached": {"PAGE_CACHE_SECONDS": "600", "PAGE_CACHE_DIR": str(logs / "pages"),
                       "REPLICA_MAX_LAG_SECONDS": "3600", "REPLICA_PIN_SECONDS": "3"},
            "strict": {"PAGE_CACHE_SECONDS": "0", "REPLICA_MAX_LAG_SECONDS": "1"},
        }.items():  # fmt: skip
            sites[name] = Site({**replica, **extra}, logs / f"{name}.log")
        for site in sites.values():
            wait_for_port(site.port, 60)
        yield {"primary": primary, "standbys": standbys, "sites": sites, "series": (pk, url)}
    finally:
        for site in sites.values():
            site.stop()
        for standby in standbys:
            standby.stop()
        primary.stop()
        shutil.rmtree(folder, ignore_errors=True)


def until(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def name_shown(client: Client, path: str) -> str:
    status, _, page = client.get(path)
    assert status == 200, page[:300]
    for name in (NEW_NAME, OLD_NAME):
        if name in page:
            return name
    raise AssertionError(f"neither name on {path}: {page[:300]}")


def correct_in_the_admin(site: Site, pk: str) -> Client:
    """A staff member logs in to the admin and renames the series; returns their browser."""
    staff = Client(site.port)
    status, _, page = staff.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200, page[:300]
    assert token is not None
    form = {"csrfmiddlewaretoken": token.group(1), "username": STAFF, "password": PASSWORD, "next": "/admin/"}
    status, _, page = staff.request("POST", "/admin/login/", form)
    assert status == 302, page[:500]
    change = f"/admin/catalogue/series/{pk}/change/"
    status, _, page = staff.get(change)
    assert status == 200, page[:300]
    fields = FormFields("series_form")
    fields.feed(page)
    assert fields.fields["name"] == OLD_NAME, fields.fields
    status, _, page = staff.request("POST", change, {**fields.fields, "name": NEW_NAME, "_save": "Save"})
    assert status == 302, page[:2000]
    assert "primary_pin" in staff.cookies  # they wrote: pinned to the primary
    return staff


def test_reads_go_to_the_replica_and_a_corrector_reads_the_primary(deployment):
    primary, standbys, sites = deployment["primary"], deployment["standbys"], deployment["sites"]
    pk, series = deployment["series"]
    reads, cached, strict = sites["reads"], sites["cached"], sites["strict"]

    # all well: every site reads the replica, which has the demo
    for site in sites.values():
        assert until(lambda site=site: name_shown(Client(site.port), series) == OLD_NAME)
    archive = "/s/ipt.html"  # the archive page lists its series by name
    # reading writes nothing: a browser that only reads is never pinned to the primary
    browser = Client(reads.port)
    for path in (
        "/",
        archive,
        series,
        "/p/ipt/iptwpa/jrc108028.html",
        "/search/?q=growth",
        "/j/",
        "/stats/top/items.html",
    ):
        status, _, page = browser.get(path)
        assert status == 200, (path, page[:300])
    assert "primary_pin" not in browser.cookies, browser.cookies
    assert name_shown(Client(cached.port), series) == OLD_NAME  # stored in the page cache

    # the standbys stop replaying: they hold the old name whatever the primary says
    for standby in standbys:
        standby.sql("SELECT pg_wal_replay_pause()")
        assert until(lambda standby=standby: standby.sql("SELECT pg_get_wal_replay_pause_state()") == "paused")
    staff = correct_in_the_admin(cached, pk)  # where the page cache is on: it moves its versions
    staff.port = reads.port  # the same browser on the site without page cache (same cookies)
    assert primary.sql(f"SELECT name FROM catalogue_series WHERE id = {pk}") == NEW_NAME

    # the person who corrected sees it at once (their cookie reads the primary) ...
    assert name_shown(staff, series) == NEW_NAME
    staff.cookies.pop("sessionid")  # ... logged in or not: the pin is what counts
    assert name_shown(staff, series) == NEW_NAME
    # ... while an anonymous reader reads the replica, which has not replayed it
    assert name_shown(Client(reads.port), series) == OLD_NAME
    for standby in standbys:
        assert standby.sql(f"SELECT name FROM catalogue_series WHERE id = {pk}") == OLD_NAME

    # a site that allows 1 s of lag leaves the lagging standbys out: the primary answers
    assert until(lambda: name_shown(Client(strict.port), series) == NEW_NAME, seconds=10)

    # the page cache: the write moved its versions, so the page is rendered again, and from the
    # primary (the versions are younger than the pin); never stored stale under them
    status, headers, page = Client(cached.port).get(series)
    assert headers["x-page-cache"] == "miss"
    assert NEW_NAME in page
    status, headers, page = Client(cached.port).get(series)
    assert headers["x-page-cache"] == "hit"
    assert NEW_NAME in page
    # once the versions are older than the pin (3 s here), a miss reads the replica again; this
    # one is still paused, so without the rule above the series page would have been stored stale
    time.sleep(3.2)
    status, headers, page = Client(cached.port).get(archive)
    assert headers["x-page-cache"] == "miss"
    assert OLD_NAME in page
    assert NEW_NAME not in page

    # replay resumed: everyone sees the correction
    # one standby replays again: the reads are spread over both, so readers see either name
    first, second = standbys
    second.sql("SELECT pg_wal_replay_resume()")
    assert until(lambda: second.sql(f"SELECT name FROM catalogue_series WHERE id = {pk}") == NEW_NAME)
    assert {name_shown(Client(reads.port), series) for _ in range(30)} == {OLD_NAME, NEW_NAME}
    # both replay: everyone sees the correction
    first.sql("SELECT pg_wal_replay_resume()")
    assert until(lambda: all(name_shown(Client(reads.port), series) == NEW_NAME for _ in range(10)))

    # the standbys stopped, one then the other: every page still answers, from the other standby,
    # then from the primary (`reads` finds out under a request, which it renders again from the
    # primary; `strict` when it checks)
    for standby in standbys:
        standby.stop()
        for site in (reads, strict):
            for path in (series, archive, "/", series, "/search/?q=growth", series, series):
                started = time.monotonic()
                status, _, page = Client(site.port).get(path)
                assert status == 200, (site.port, path, page[:300])
                assert time.monotonic() - started < 5
            assert Client(site.port).get("/readyz")[0] == 200
    for site in (reads, strict):
        for alias in ("replica_1", "replica_2"):  # a warning when each went away
            assert until(
                lambda site=site, alias=alias: re.search(rf"replica {alias}: (failed|unreachable)", site.read_log())
            )
        log = site.read_log()
        assert "Traceback" not in log, log
        assert "answering 503" not in log, log  # no page failed, not even the one that found out
