"""Reads from streaming replicas (issue 17; DECISIONS.md, D25): the database router, what one
request may read from, and which replicas are fit to be read.

With `DATABASE_REPLICA_URL` set, settings.py adds the aliases `replica_1`..`replica_n` and this
router. A read goes to a replica only inside a request that `catalogue.views.replicas` allowed
to (a GET or HEAD of a public page by a client that has not written in the last
REPLICA_PIN_SECONDS), and only until that request writes or opens a transaction on the
primary; everything else reads the primary: other requests, Celery tasks, management commands
and the shell (they read what they have just written). Writes always go to the primary.

Which replicas are fit is known per process (`Replicas`): a thread compares, every
REPLICA_CHECK_SECONDS, the primary's WAL position with each replica's replayed one; a replica
that does not answer, is not in recovery, or lags more than REPLICA_MAX_LAG_SECONDS behind is
left out until it catches up, so a replica down or lagging costs the primary some load, never
a page. A replica that fails during a request marks itself down at once (the middleware then
renders the page again from the primary).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import random
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
PREFIX = "replica_"
RETRY_SECONDS = 5.0  # an unreachable replica is checked again after this long


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


@dataclass
class Routing:
    """What one request reads from: `replica` (an alias), or None for the primary."""

    replica: str | None = None
    wrote: bool = False  # a write (or a get_or_create, update, delete...) went to the primary
    used: str | None = None  # the replica a read was sent to
    failed: bool = False  # that replica failed during the request


_routing: contextvars.ContextVar[Routing | None] = contextvars.ContextVar("replica_routing", default=None)


def begin(replica: str | None) -> contextvars.Token[Routing | None]:
    """A request starts: its reads go to `replica` (None: the primary) until it writes."""
    return _routing.set(Routing(replica=replica))


def end(token: contextvars.Token[Routing | None]) -> None:
    _routing.reset(token)


def current() -> Routing | None:
    return _routing.get()


def use_primary() -> None:
    """The rest of the current request reads from the primary."""
    routing = _routing.get()
    if routing is not None:
        routing.replica = None


def version_time(version: str) -> float | None:
    """When a page cache version (catalogue.pagecache.new_version) was made, in seconds."""
    try:
        return int(version.split(".", 1)[0], 16) / 1e9
    except ValueError:
        return None


def use_primary_if_changed(versions: Iterable[str]) -> None:
    """A page about to be rendered and stored under these page cache versions: from the primary
    when one of them moved less than REPLICA_PIN_SECONDS ago, since a replica may not yet hold
    the write that moved it (and the page would be stored, stale, under the new version)."""
    routing = _routing.get()
    if routing is None or routing.replica is None:
        return
    since = time.time() - settings.REPLICA_PIN_SECONDS
    for version in versions:
        moved = version_time(version)
        if moved is None or moved > since:
            routing.replica = None
            return


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when replicas are configured."""

    def db_for_read(self, model: type, **hints: object) -> str:
        routing = _routing.get()
        if routing is None or routing.replica is None or routing.wrote:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:  # a transaction reads what it writes
            return PRIMARY
        routing.used = routing.replica
        return routing.replica

    def db_for_write(self, model: type, **hints: object) -> str:
        routing = _routing.get()
        if routing is not None:
            routing.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True  # the same rows on every alias

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == PRIMARY  # a replica is changed by the primary's WAL only


def lsn(text: str) -> int:
    """PostgreSQL's pg_lsn as text ('16/B374D848') to a number."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def lag(samples: Iterable[tuple[float, int]], replayed: int, now: float) -> float:
    """How far behind a replica that has replayed the WAL up to `replayed` is: everything the
    primary had written at the newest sample (time, position) at or below it is on the replica."""
    caught_up = [at for at, written in samples if written <= replayed]
    return now - max(caught_up) if caught_up else float("inf")


class Replicas:
    """The replicas fit to be read, in this process; checked by a thread of its own."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fit: list[str] = []
        self.checked_at = float("-inf")  # time.monotonic() of the last check
        self.states: dict[str, str] = {}  # alias -> "fit" or why not, for the log
        self.samples: deque[tuple[float, int]] = deque()  # (time, primary's WAL position)
        self.thread: threading.Thread | None = None
        self.pid: int | None = None  # the process the thread runs in
        self.retry_at: dict[str, float] = {}  # alias -> when to try an unreachable replica again

    def choose(self) -> str | None:
        """A fit replica for a request's reads, or None (the primary)."""
        if self.pid != os.getpid():  # forked after it started (gunicorn --preload): threads do not follow
            self.start()
        fresh_for = 3 * settings.REPLICA_CHECK_SECONDS + 1  # a checker that hangs: trust nothing
        fit = self.fit
        if not fit or time.monotonic() - self.checked_at > fresh_for:
            return None
        return random.choice(fit)  # noqa: S311 (spreading load, not a secret)

    def start(self) -> None:
        """The checker, once a process (the middleware starts it: in each web worker)."""
        with self.lock:
            if self.pid != os.getpid():
                self.pid = os.getpid()
                self.fit, self.checked_at = [], float("-inf")
                self.thread = threading.Thread(target=self.run, name="replica-check", daemon=True)
                self.thread.start()

    def run(self) -> None:
        while True:
            try:
                self.check()
            except Exception:  # never let the checker die: the replicas would be trusted stale
                logger.exception("replicas: check failed")
                self.fit = []
            time.sleep(settings.REPLICA_CHECK_SECONDS)

    def mark_down(self, alias: str, error: BaseException) -> None:
        """A replica failed under a request: left out until a check finds it fit again."""
        self.fit = [other for other in self.fit if other != alias]
        self.note(alias, f"failed ({type(error).__name__}: {error})")

    def note(self, alias: str, state: str) -> None:
        if self.states.get(alias) != state:
            self.states[alias] = state
            log = logger.info if state == "fit" else logger.warning
            log("replica %s: %s", alias, "reads go to it" if state == "fit" else f"{state}; reads go to the primary")

    def check(self) -> None:
        """Each replica's lag: the age of the newest primary WAL position it has replayed (the
        positions sampled by earlier checks), 0 when it has replayed the current one."""
        try:
            now = time.monotonic()
            primary = self.query(PRIMARY, "SELECT pg_current_wal_lsn()::text")
        except Exception as error:  # down, or a pool that timed out: the page will say so
            self.fit = []
            self.checked_at = time.monotonic()
            logger.debug("replicas: primary unreachable (%s)", error)
            return
        if primary is None:  # pragma: no cover - pg_current_wal_lsn() always answers on a primary
            return
        self.samples.append((now, lsn(primary)))
        keep = max(60.0, 4 * settings.REPLICA_MAX_LAG_SECONDS)
        while self.samples and self.samples[0][0] < now - keep:
            self.samples.popleft()
        fit = []
        for alias in replica_aliases():
            if self.retry_at.get(alias, now) > now:
                continue  # unreachable a moment ago: not worth the pool's timeout at each check
            try:
                replayed = self.query(alias, "SELECT pg_last_wal_replay_lsn()::text")
            except Exception as error:
                self.note(alias, f"unreachable ({type(error).__name__}: {str(error).strip()[:200]})")
                self.retry_at[alias] = time.monotonic() + RETRY_SECONDS
                continue
            if replayed is None:
                self.note(alias, "not a standby (pg_last_wal_replay_lsn() is null)")
                continue
            if lag(self.samples, lsn(replayed), now) > settings.REPLICA_MAX_LAG_SECONDS:
                self.note(alias, f"lagging (more than {settings.REPLICA_MAX_LAG_SECONDS:g} s behind)")
                continue
            self.note(alias, "fit")
            fit.append(alias)
        self.fit = fit
        self.checked_at = time.monotonic()

    @staticmethod
    def query(alias: str, sql: str) -> str | None:
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                row = cursor.fetchone()
            return None if row is None else row[0]
        finally:
            with contextlib.suppress(Exception):  # a broken connection is dropped all the same
                connection.close()  # back to the pool: the thread keeps nothing open


replicas = Replicas()
