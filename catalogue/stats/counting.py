"""Counting abstract views and downloads without slowing or failing a page.

A hit is counted in a cache (CACHES["stats"]: Redis in production, a file cache shared by the
processes of one machine otherwise), never in the database: a page waits on no query for it,
and any failure of the cache is logged and forgotten. `flush()` (`manage.py flush_stats`, run by
a scheduler every few minutes) adds the buffered counts to the monthly aggregates (MonthlyStat).

Robots are left out (the rules the statistics pages state):
  - a user agent that names itself a robot, a crawler, a library or a tool, or sends none;
  - a client (address and user agent) that asked for /robots.txt in the last 24 hours;
  - a repeat: the same client on the same item, same kind, within REPEAT_SECONDS.

The buffer: each counter is a cache key `n:<generation>:<code>`, the code a number holding
the kind, the month and the item (CODE); the first hit on a counter records its code in a
numbered slot of its generation, so a flush can find the counters without listing the cache.
On Redis a hit is one round trip (a Lua script does the checks and the increments in the
server); on other caches, a handful of cache calls. A flush opens a new generation, so new hits go elsewhere
while it reads; it adds the closed generation's counts to the database, then takes what it
added off the counters (so a hit landing meanwhile stays for the next flush), and sweeps the
generation before, deleting it. The buffer lives outside the web processes: restarting them
loses nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.utils import timezone

from .. import pagecache
from ..models import Item, MonthlyStat

logger = logging.getLogger(__name__)

VIEW, DOWNLOAD = 1, 2  # the first digit of a counter's code
# a list on the request where record() notes what a page counted, for the page cache to count
# again on each hit of the stored page (catalogue.views.pagecache)
REPLAY_ATTRIBUTE = "counts_to_replay"
WARN_SECONDS = 60.0


def code_of(kind: int, month: str, item_id: int) -> int:
    """A counter's code: kind, month (yyyymm) and item in one number (1 202611 4711)."""
    return int(f"{kind}{month}{item_id}")


def parse_code(code: int) -> tuple[int, str, int]:
    text = str(code)
    return int(text[0]), text[1:7], int(text[7:])


# One hit on Redis, in the server: KEYS robot, seen, generation; ARGV the repeat window, the
# code, and the prefixes of counters, slot counts and slots (as Django's cache names keys).
HIT_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[1]) then return 0 end
local generation = redis.call('GET', KEYS[3]) or '0'
if redis.call('INCR', ARGV[3] .. generation .. ':' .. ARGV[2]) == 1 then
  local slot = redis.call('INCR', ARGV[4] .. generation)
  redis.call('SET', ARGV[5] .. generation .. ':' .. slot, ARGV[2])
end
return 1
"""

ROBOT_SECONDS = 24 * 3600
GENERATION = "gen"

# Self-declared robots, crawlers, libraries and tools (case-insensitive); an empty agent too.
ROBOT_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiv|index|fetch|scan|monitor|checker|preview|"
    r"curl|wget|httpie|python|java/|perl|ruby|go-http|okhttp|axios|node-fetch|libwww|lwp|"
    r"httpclient|apache-http|headless|phantom|selenium|playwright|puppeteer|lighthouse|"
    r"facebookexternalhit|whatsapp|telegram|slack|discord|embedly|feed|rss",
    re.IGNORECASE,
)


def buffer():
    return caches[settings.STATS_CACHE]


def is_robot_agent(user_agent: str) -> bool:
    return not user_agent.strip() or bool(ROBOT_AGENT.search(user_agent))


def client_address(request) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_key(request) -> str:
    """The client: its address and user agent, hashed (no address is kept in the clear)."""
    raw = f"{client_address(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
    return hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()


def month_key(now=None) -> str:
    return (now or timezone.now()).strftime("%Y%m")


def mark_robot(request) -> None:
    """A client that asked for /robots.txt: its hits are not counted for a day."""
    try:
        buffer().set(f"robot:{client_key(request)}", 1, ROBOT_SECONDS)
    except Exception as error:
        _warn(f"statistics: could not mark a robot ({type(error).__name__}: {error})")


def record(request, kind: int, item_id: int, now=None) -> bool:
    """Count a human's abstract view (VIEW) or download (DOWNLOAD) of an item; True if counted.
    Never raises."""
    replay = getattr(request, REPLAY_ATTRIBUTE, None)
    if replay is not None:
        replay.append((kind, item_id))
    if not settings.STATS_COUNTING or request.method != "GET":
        return False
    try:
        if is_robot_agent(request.META.get("HTTP_USER_AGENT", "")):
            return False
        cache, client = buffer(), client_key(request)
        code = code_of(kind, month_key(now), item_id)
        robot, seen = f"robot:{client}", f"seen:{kind}:{client}:{item_id}"
        script = _redis_script(cache)
        if script is not None:
            return _run_script(cache, script, [robot, seen, GENERATION], code)
        found = cache.get_many([robot, GENERATION])
        if robot in found or not cache.add(seen, 1, settings.STATS_REPEAT_SECONDS):
            return False
        generation = found.get(GENERATION, 0)
        key = f"n:{generation}:{code}"
        if cache.add(key, 0, None):
            _register(cache, generation, code)
        cache.incr(key)
        return True
    except Exception as error:
        _warn(f"statistics: a hit was not counted ({type(error).__name__}: {error})")
        return False


def _run_script(cache, script, names: list[str], code: int) -> bool:
    """The hit on Redis; when Redis failed a moment ago (SafeRedisCache), not even tried."""
    if not getattr(cache, "available", lambda: True)():
        return False
    keys = [cache.make_and_validate_key(k) for k in names]
    prefixes = [cache.make_and_validate_key(p) for p in ("n:", "slots:", "slot:")]
    try:
        return bool(script(keys=keys, args=[settings.STATS_REPEAT_SECONDS, code, *prefixes]))
    except Exception as error:
        getattr(cache, "failed", lambda error: None)(error)  # the next hits skip Redis for a while
        raise


_last_warning = [-WARN_SECONDS]


def _warn(message: str) -> None:
    """One warning a minute at most: a cache that is down fails every hit."""
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_SECONDS:
        _last_warning[0] = now
        logger.warning(message)


def _redis_script(cache):
    """The hit script, registered once a cache, when the buffer is Django's Redis cache."""
    if not isinstance(cache, RedisCache):
        return None
    script = getattr(cache, "_catalogue_hit_script", None)
    if script is None:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]  # the stubs leave out _cache
        script = cache._catalogue_hit_script = client.register_script(HIT_SCRIPT)  # type: ignore[attr-defined]
    return script


def _register(cache, generation: int, code: int) -> None:
    """Write the counter's code into the next free slot of its generation."""
    for _ in range(5):  # a slot taken by a racing writer on a cache without atomic increments
        slot = _incr(cache, f"slots:{generation}")
        if cache.add(f"slot:{generation}:{slot}", code, None):
            return
    logger.warning("statistics: no free slot for %s", code)


def _incr(cache, key: str) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # not there yet
        if cache.add(key, 1, None):
            return 1
        return cache.incr(key)


@dataclass
class FlushReport:
    counters: int = 0
    views: int = 0
    downloads: int = 0
    rows: int = 0
    unknown_items: int = 0
    months: set[str] = field(default_factory=set)
    items: set[int] = field(default_factory=set)  # the items whose figures moved

    def __str__(self) -> str:
        return (
            f"flushed {self.counters} counters: {self.views} abstract views, {self.downloads} downloads "
            f"into {self.rows} monthly rows ({self.unknown_items} counters of deleted items dropped)"
        )


def flush() -> FlushReport:
    """Add the buffered counts to MonthlyStat (see the module's docstring)."""
    cache, report = buffer(), FlushReport()
    if not getattr(cache, "ping", lambda: True)():  # SafeRedisCache would answer misses: say so
        raise ConnectionError("the statistics buffer (Redis) does not answer: nothing was flushed")
    closed = int(cache.get(GENERATION, 0))
    cache.set(GENERATION, closed + 1, None)  # one flush at a time (a scheduler's job)
    counters: dict[str, int] = {}
    for generation in (closed - 1, closed):
        if generation < 0:
            continue
        slots = int(cache.get(f"slots:{generation}", 0))
        codes = cache.get_many([f"slot:{generation}:{n}" for n in range(1, slots + 1)]).values()
        keys = [f"n:{generation}:{int(code)}" for code in codes]
        counters.update({k: int(v) for k, v in cache.get_many(keys).items() if int(v)})
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for key, value in counters.items():
        kind, month, item_id = parse_code(int(key.rsplit(":", 1)[1]))
        sums[(item_id, month)][0 if kind == VIEW else 1] += value
    known = set(Item.objects.filter(pk__in={item for item, _ in sums}).values_list("pk", flat=True))
    rows = [(item, month, v, d) for (item, month), (v, d) in sums.items() if item in known]
    report.unknown_items = len({item for item, _ in sums} - known)
    with transaction.atomic():
        _add_to_months(rows)
    for key, value in counters.items():  # after the commit: what was added leaves the buffer
        cache.decr(key, value)
    _forget_generation(cache, closed - 1)
    if rows:
        pagecache.changed(pagecache.STATS)
    report.counters = len(counters)
    report.views = sum(v for _, _, v, _ in rows)
    report.downloads = sum(d for _, _, _, d in rows)
    report.rows = len(rows)
    report.months = {month for _, month, _, _ in rows}
    report.items = {item for item, _, _, _ in rows}
    return report


def _forget_generation(cache, generation: int) -> None:
    if generation < 0:
        return
    slots = int(cache.get(f"slots:{generation}", 0))
    names = [f"slot:{generation}:{n}" for n in range(1, slots + 1)]
    keys = [f"n:{generation}:{int(code)}" for code in cache.get_many(names).values()]
    cache.delete_many([*keys, *names, f"slots:{generation}"])


def _add_to_months(rows: list[tuple[int, str, int, int]]) -> None:
    """Add to each (item, month) row, creating it if need be: one statement per 500 rows."""
    table = MonthlyStat._meta.db_table
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        params: list[int | datetime.date] = []
        for item, month, views, downloads in chunk:
            params += [item, datetime.date(int(month[:4]), int(month[4:]), 1), views, downloads]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (item_id, month, abstract_views, downloads) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (item_id, month) DO UPDATE SET "
                f"abstract_views = {table}.abstract_views + excluded.abstract_views, "
                f"downloads = {table}.downloads + excluded.downloads",
                params,
            )
