"""Public pages kept rendered in the cache, and emptied by what a write changes (issue 17).

A page is stored with the versions of the *tags* it depends on, read before it was rendered:
- `catalogue`: everything the catalogue shows (items, series, archives, persons, references,
  citations, related items, NEP, keywords, JEL codes); moved by every write through
  `catalogue.changes.items_changed`, by any ORM save or delete of a catalogue row (the
  corrections in the admin), and by the bulk writers that bypass both (references and NEP
  imports, related items, matching);
- `stats`: the statistics pages and rankings; moved by a flush of the counters, a rollup and
  an import of figures;
- `opendata`: the "Open data" page; moved when a new dump of the catalogue is in place.
A stored page is served only while all its tags still have the versions it was stored with, so
a write is visible on the very next request. Versions move when the writing transaction
commits: a page rendered from the old rows keeps the old versions, and is never served again.

The middleware that serves and stores pages is `catalogue.views.pagecache`. This module knows
nothing but Django's cache: every layer may tell it that something changed.
"""

from __future__ import annotations

import logging
import secrets
import time
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction

logger = logging.getLogger(__name__)

CATALOGUE, STATS, OPENDATA = "catalogue", "stats", "opendata"
TAGS = (CATALOGUE, STATS, OPENDATA)
VERSION_KEY = "pc:v:{}"


def cache() -> BaseCache:
    return caches[settings.PAGE_CACHE]


def version_keys(tags: Iterable[str]) -> list[str]:
    return [VERSION_KEY.format(tag) for tag in tags]


def new_version() -> str:
    """Unique across processes and restarts: the clock and a few random bytes."""
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def changed(*tags: str) -> None:
    """The pages that depend on these tags (default: the catalogue's) are stale once the
    current transaction commits (at once outside one). Never raises.

    One move a transaction, however many rows it writes: a correction in the admin saves the
    item, its authors, files and keywords, each calling this; they join the move already
    waiting for the commit (one cache write, one purge a tag) instead of queueing their own."""
    wanted = set(tags or (CATALOGUE,))
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # the callbacks waiting for this transaction's commit (Django drops them on a rollback,
        # ours with them, so nothing waits for a transaction that did not happen)
        for _, callback, _ in connection.run_on_commit:
            if isinstance(callback, Move):
                callback.tags |= wanted
                return
    transaction.on_commit(Move(wanted))


class Move:
    """Moves the versions of its tags when called: on commit (see changed)."""

    def __init__(self, tags: set[str]) -> None:
        self.tags = tags

    def __call__(self) -> None:
        _move(tuple(sorted(self.tags)))


def _move(tags: tuple[str, ...]) -> None:
    if not settings.PAGE_CACHE_SECONDS:
        return
    try:
        # versions outlive every page (pages expire after PAGE_CACHE_SECONDS)
        cache().set_many({key: new_version() for key in version_keys(tags)}, timeout=None)
    except Exception as error:  # a cache that is gone holds no pages to be stale
        logger.warning("page cache: versions of %s not moved (%s: %s)", tags, type(error).__name__, error)
    purge(tags)


def purge(tags: tuple[str, ...]) -> None:
    """Tell the shared cache in front (settings.CACHE_PURGE_URL, the operator's own) to drop the
    pages with these keys: a PURGE request with a Surrogate-Key header. Never raises."""
    url = settings.CACHE_PURGE_URL
    if not url:
        return
    for tag in tags:  # one key a request: what a ban on one key in VCL expects
        request = urllib.request.Request(url, method="PURGE", headers={"Surrogate-Key": tag})  # noqa: S310 (an operator's setting)
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:  # noqa: S310
                answer.read()
        except Exception as error:
            logger.warning("page cache: purge of %s at %s failed (%s: %s)", tag, url, type(error).__name__, error)


def current(tags: Iterable[str], found: dict[str, str]) -> dict[str, str]:
    """The current version of each tag, from what a get_many found; a tag never versioned
    gets one now (with add, so concurrent first requests agree)."""
    versions = {}
    for tag, key in zip(tags, version_keys(tags), strict=True):
        version = found.get(key)
        if version is None:
            candidate = new_version()
            store = cache()
            version = candidate if store.add(key, candidate, timeout=None) else store.get(key, candidate)
        versions[tag] = version
    return versions
