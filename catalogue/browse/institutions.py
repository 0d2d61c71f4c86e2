"""The kept list of each institution's works (InstitutionWork) and its length
(Institution.work_count), for the institution page (issue 20).

An institution's works are the distinct items on which one of its registered authors is
linked (an Authorship whose person has an Affiliation to it). Read live, the largest
institution's first page read all of its 12,767 works to sort them (2.4 s at a million items);
kept, a page is a range of the index institutionwork_listing and its total a column.

The rows are a function of the authorships, the affiliations and the items' years, so they are
rewritten (never incremented) from those, by set-based SQL that runs alike on PostgreSQL and
SQLite:
- `refresh_items(ids)`: the rows of these items (a claim, an unclaim, an item imported, changed
  or deleted), then the counts of the institutions they were and are in;
- `refresh_persons(ids)`: the rows of every work of these persons (their affiliations changed);
- `rebuild()`: every row and every count (the statistics rollup, the generator, a migration).
Writers reach the first two through catalogue.changes.items_changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Model

from ..models import Affiliation, Authorship, Institution, InstitutionWork, Item, Person

CHUNK = 500  # ids per statement: SQLite limits the parameters of a query
REBUILD_ABOVE = 20_000  # persons whose affiliations changed beyond which a rebuild is cheaper


def _t(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


WORK, AUTHORSHIP, AFFILIATION, ITEM, INSTITUTION, PERSON = (
    _t(m) for m in (InstitutionWork, Authorship, Affiliation, Item, Institution, Person)
)

# (institution, item, year) of the works of registered authors at imported institutions, each
# pair once; `{where}` limits the authorships (a condition on `au`)
LIVE = f"""
    SELECT DISTINCT af.institution_ref_id AS institution_id, au.item_id AS item_id, COALESCE(i.year, 0) AS year
    FROM {AUTHORSHIP} au JOIN {AFFILIATION} af ON af.person_id = au.person_id JOIN {ITEM} i ON i.id = au.item_id
    WHERE au.person_id IS NOT NULL AND af.institution_ref_id IS NOT NULL AND {{where}}"""  # noqa: S608 (names only)
INSERT = f"INSERT INTO {WORK} (institution_id, item_id, year) {LIVE}"
# a concurrent rewrite of the same item may have put its rows back first: theirs are the same
ON_CONFLICT = " ON CONFLICT (item_id, institution_id) DO NOTHING"
# rows whose author no longer has the work, or no longer the affiliation
STALE = f"""
    DELETE FROM {WORK} WHERE NOT EXISTS (
        SELECT 1 FROM {AUTHORSHIP} au JOIN {AFFILIATION} af ON af.person_id = au.person_id
        WHERE au.item_id = {WORK}.item_id AND af.institution_ref_id = {WORK}.institution_id)"""  # noqa: S608
# the true rows not already there as they are: added if missing, their year corrected if it
# moved (a hash anti-join: rows already right are read, not looked up one by one)
MISSING = f"""
    INSERT INTO {WORK} (institution_id, item_id, year) SELECT live.institution_id, live.item_id, live.year
    FROM ({LIVE.format(where="1 = 1")}) live WHERE NOT EXISTS (
        SELECT 1 FROM {WORK} w
        WHERE w.item_id = live.item_id AND w.institution_id = live.institution_id AND w.year = live.year)
    ON CONFLICT (item_id, institution_id) DO UPDATE SET year = excluded.year"""  # noqa: S608
# the copies of the persons' names on their affiliations (the institutions' authors by name);
# `{where}`: which affiliations
_LAST = f"(SELECT p.name_last FROM {PERSON} p WHERE p.id = {AFFILIATION}.person_id)"  # noqa: S608
_FIRST = f"(SELECT p.name_first FROM {PERSON} p WHERE p.id = {AFFILIATION}.person_id)"  # noqa: S608
NAMES = f"UPDATE {AFFILIATION} SET sort_last = {_LAST}, sort_first = {_FIRST} WHERE {{where}}"  # noqa: S608
NAMES_MOVED = f"(sort_last <> {_LAST} OR sort_first <> {_FIRST})"
COUNT = f"SELECT COUNT(*) FROM {WORK} w WHERE w.institution_id = {INSTITUTION}.id"  # noqa: S608
# SQL below: table names and placeholders only (S608)


def _execute(sql: str, params: Iterable = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return int(cursor.rowcount)


def _column(sql: str, params: Iterable = ()) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return {row[0] for row in cursor.fetchall()}


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted({pk for pk in ids if pk})
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _marks(ids: list) -> str:
    return ", ".join(["%s"] * len(ids))


def recount(institution_ids: Iterable[int] | None = None) -> int:
    """Institution.work_count from the rows (of these institutions, or all): one UPDATE, which
    counts each institution's range of the index institutionwork_listing; only counts that
    moved are written."""
    if institution_ids is None:
        return _execute(f"UPDATE {INSTITUTION} SET work_count = ({COUNT}) WHERE work_count <> ({COUNT})")  # noqa: S608
    changed = 0
    for chunk in _chunks(institution_ids):
        moved = f"id IN ({_marks(chunk)}) AND work_count <> ({COUNT})"
        changed += _execute(f"UPDATE {INSTITUTION} SET work_count = ({COUNT}) WHERE {moved}", chunk)  # noqa: S608
    return changed


def _rewrite(items: str, params: list) -> set[int]:
    """Rewrite the rows of the items `items` names (an SQL list or subquery of item ids, with
    `params`); the institutions they were in and are in."""
    listed = f"SELECT DISTINCT institution_id FROM {WORK} WHERE item_id IN ({items})"  # noqa: S608
    touched = _column(listed, params)
    _execute(f"DELETE FROM {WORK} WHERE item_id IN ({items})", params)  # noqa: S608
    _execute(INSERT.format(where=f"au.item_id IN ({items})") + ON_CONFLICT, params)
    return touched | _column(listed, params)


def refresh_items(item_ids: Iterable[int]) -> set[int]:
    """The rows of these items (created, changed, deleted, claimed or unclaimed) and the counts
    of the institutions concerned: five statements a chunk of 500 items, then one UPDATE a chunk
    of institutions. Returns the institutions whose list was read."""
    touched: set[int] = set()
    with transaction.atomic():
        for chunk in _chunks(item_ids):
            touched |= _rewrite(_marks(chunk), chunk)
        recount(touched)
    return touched


def refresh_persons(person_ids: Iterable[int]) -> set[int]:
    """The rows of every work of these persons (their affiliations were added, removed or
    linked to an imported institution), the counts concerned, and the copies of their names
    on their affiliations (they may have been renamed); past REBUILD_ABOVE persons,
    everything. Returns the institutions whose list was read (none named after a rebuild)."""
    ids = sorted({pk for pk in person_ids if pk})
    if len(ids) > REBUILD_ABOVE:
        rebuild()
        return set()
    touched: set[int] = set()
    with transaction.atomic():
        for chunk in _chunks(ids):
            works = f"SELECT item_id FROM {AUTHORSHIP} WHERE person_id IN ({_marks(chunk)})"  # noqa: S608
            touched |= _rewrite(works, chunk)
            _execute(NAMES.format(where=f"person_id IN ({_marks(chunk)}) AND {NAMES_MOVED}"), chunk)
        recount(touched)
    return touched


def rebuild() -> int:
    """Every row and every count again, from the authorships and affiliations, in one
    transaction (a page reads the old list or the new one): one DELETE of the rows no longer
    true (an anti-join), one INSERT ... SELECT DISTINCT of every true row that adds those
    missing and corrects a year (ON CONFLICT ... DO UPDATE), one UPDATE of the counts that
    moved. Rows already right are read, never written: a rollup that finds nothing stale writes
    nothing (no index churn, no deferred foreign-key checks, pages still index-only scans).
    Returns the number of rows in the lists."""
    with transaction.atomic():
        _execute(NAMES.format(where=NAMES_MOVED))
        _execute(STALE)
        _execute(MISSING)
        recount()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {WORK}")  # noqa: S608
            return int(cursor.fetchone()[0])


def live_works(institution_id: int) -> list[tuple[int, int]]:
    """(year, item id) of an institution's works as the tables say now, in page order: what the
    kept rows must equal (tests, and a check by hand)."""
    with connection.cursor() as cursor:
        cursor.execute(f"{LIVE.format(where='af.institution_ref_id = %s')} ORDER BY 3 DESC, 2 DESC", [institution_id])
        return [(year, item) for _, item, year in cursor.fetchall()]
