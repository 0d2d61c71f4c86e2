"""Keeping the search index in step with the catalogue.

`index_items(ids)` rewrites the entries of these items from the catalogue tables, in SQL, in
the caller's transaction: the importer calls it for every batch it writes, the admin for every
correction, `refresh_citation_counts` updates the one column it changes. `rebuild()` redoes
the whole index in chunks (after `generate_catalogue`, or by `manage.py rebuild_search_index`).
"""

import queue
import threading
from collections.abc import Callable, Iterable

from django.db import DatabaseError, connection, transaction

from ..models.search import SAMPLE_BUCKETS

CHUNK = 500  # ids per statement: SQLite's parameter limit is far above, the statements stay short

# The columns of catalogue_searchentry, computed from the catalogue; `{where}` picks the items.
_ENTRY_COLUMNS = "item_id, kind, year, series_id, archive_id, citations, downloads, free, jel_tops, sample"
_ENTRY_SELECT = f"""
    SELECT i.id, i.kind, COALESCE(i.year, 0), i.series_id, s.archive_id, i.citation_count,
        COALESCE((SELECT SUM(m.downloads) FROM catalogue_monthlystat m WHERE m.item_id = i.id), 0),
        EXISTS (SELECT 1 FROM catalogue_file f WHERE f.item_id = i.id AND f.restriction = ''),
        COALESCE((SELECT {{tops}} FROM (SELECT DISTINCT SUBSTR(j.jelcode_id, 1, 1) AS top
            FROM catalogue_item_jel_codes j WHERE j.item_id = i.id ORDER BY 1) t), ''),
        (i.id * 2654435761) %% 4294967296 %% {SAMPLE_BUCKETS}
    FROM catalogue_item i JOIN catalogue_series s ON s.id = i.series_id
    WHERE {{where}}
"""
_PEOPLE = "(SELECT {agg} FROM catalogue_authorship a WHERE a.item_id = i.id)"
_KEYWORDS = (
    "(SELECT {agg} FROM catalogue_itemkeyword ik JOIN catalogue_keyword k ON k.id = ik.keyword_id"
    " WHERE ik.item_id = i.id)"
)
_UPDATE_ENTRY = ", ".join(f"{c} = excluded.{c}" for c in _ENTRY_COLUMNS.split(", ")[1:])

# PostgreSQL: the batch's items once, their children aggregated per item in one pass each
# (GROUP BY over the batch, not a subquery per item: half the time at 1,000 items a batch).
_POSTGRES_UPSERT = f"""
    WITH items AS MATERIALIZED (
        SELECT i.id, i.kind, COALESCE(i.year, 0) AS year, i.series_id, i.citation_count, i.title, i.abstract
        FROM catalogue_item i WHERE {{where}}
    ), people AS (
        SELECT a.item_id, string_agg(a.name, ' ' ORDER BY a.position) AS names FROM catalogue_authorship a
        WHERE a.item_id IN (SELECT id FROM items) GROUP BY a.item_id
    ), keywords AS (
        SELECT ik.item_id, string_agg(k.name, ' ' ORDER BY ik.position) AS names
        FROM catalogue_itemkeyword ik JOIN catalogue_keyword k ON k.id = ik.keyword_id
        WHERE ik.item_id IN (SELECT id FROM items) GROUP BY ik.item_id
    ), downloads AS (
        SELECT m.item_id, SUM(m.downloads) AS n FROM catalogue_monthlystat m
        WHERE m.item_id IN (SELECT id FROM items) GROUP BY m.item_id
    ), free AS (
        SELECT DISTINCT f.item_id FROM catalogue_file f WHERE f.restriction = '' AND f.item_id IN (SELECT id FROM items)
    ), jel AS (  -- every prefix of every code (O, O3, O31), and the letters alone
        SELECT j.item_id, array_agg(DISTINCT c) AS codes, string_agg(DISTINCT c, '' ORDER BY c)
            FILTER (WHERE length(c) = 1) AS tops
        FROM catalogue_item_jel_codes j,
            unnest(ARRAY[substr(j.jelcode_id, 1, 1), substr(j.jelcode_id, 1, 2), j.jelcode_id::text]) c
        WHERE j.item_id IN (SELECT id FROM items) GROUP BY j.item_id
    )
    INSERT INTO catalogue_searchentry ({_ENTRY_COLUMNS}, head, document, jel)
    SELECT e.id, e.kind, e.year, e.series_id, s.archive_id, e.citation_count, COALESCE(d.n, 0),
        f.item_id IS NOT NULL, COALESCE(j.tops, ''), (e.id * 2654435761) %% 4294967296 %% {SAMPLE_BUCKETS},
        e.head, e.head || setweight(to_tsvector('catalogue_english', e.abstract), 'D'),
        COALESCE(j.codes, ARRAY[]::text[])
    FROM (
        SELECT items.*, setweight(to_tsvector('catalogue_english', items.title), 'A')
            || setweight(to_tsvector('catalogue_english', COALESCE(p.names, '') || ' ' || COALESCE(k.names, '')), 'B')
            AS head
        FROM items LEFT JOIN people p ON p.item_id = items.id LEFT JOIN keywords k ON k.item_id = items.id
        OFFSET 0  -- computed once, not once per use
    ) e
    JOIN catalogue_series s ON s.id = e.series_id
    LEFT JOIN downloads d ON d.item_id = e.id
    LEFT JOIN free f ON f.item_id = e.id
    LEFT JOIN jel j ON j.item_id = e.id
    ON CONFLICT (item_id) DO UPDATE SET {_UPDATE_ENTRY},
        head = excluded.head, document = excluded.document, jel = excluded.jel
"""

_SQLITE_UPSERT = f"""
    INSERT INTO catalogue_searchentry ({_ENTRY_COLUMNS})
    {_ENTRY_SELECT.format(tops="group_concat(top, '')", where="{where}")}
    ON CONFLICT (item_id) DO UPDATE SET {_UPDATE_ENTRY}
"""
# by rowid, so that the text of a deleted item goes too
_SQLITE_TEXT_DELETE = "DELETE FROM catalogue_searchtext WHERE {where}"
_SQLITE_TEXT_INSERT = f"""
    INSERT INTO catalogue_searchtext (rowid, title, people, keywords, abstract)
    SELECT i.id, i.title, COALESCE({_PEOPLE.format(agg="group_concat(a.name, ' ')")}, ''),
        COALESCE({_KEYWORDS.format(agg="group_concat(k.name, ' ')")}, ''), i.abstract
    FROM catalogue_item i WHERE {{where}}
"""


def _statements(where: str) -> list[str]:
    if connection.vendor == "postgresql":
        return [_POSTGRES_UPSERT.format(where=where)]
    return [
        _SQLITE_UPSERT.format(where=where),
        _SQLITE_TEXT_DELETE.format(where=where.replace("i.id", "rowid")),
        _SQLITE_TEXT_INSERT.format(where=where),
    ]


def index_items(item_ids: Iterable[int]) -> None:
    """(Re)write the search entries of these items from the catalogue."""
    ids = sorted({int(pk) for pk in item_ids})
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            where = "i.id IN (" + ", ".join(["%s"] * len(chunk)) + ")"
            for sql in _statements(where):
                cursor.execute(sql, chunk * _uses(sql, where))


class IndexingThread:
    """Indexes batches on a connection of its own, in a thread, while the caller writes on.

    For imports into PostgreSQL outside any transaction of the caller's (DECISIONS.md,
    "Indexing imports"): the importer hands over each batch's ids once that batch has
    committed, so this connection sees the rows; computing the vectors then overlaps with
    writing the next batch instead of adding to it. `close()` waits for the last batch and
    returns the first database error, if any (the batches after it are not indexed).
    """

    def __init__(self):
        self.error: DatabaseError | None = None
        self._batches: queue.Queue[list[int] | None] = queue.Queue(maxsize=4)  # bounded: it keeps pace
        self._thread = threading.Thread(target=self._work, name="search-indexing", daemon=True)
        self._thread.start()

    def add(self, item_ids: Iterable[int]) -> None:
        self._batches.put(list(item_ids))

    def close(self) -> DatabaseError | None:
        self._batches.put(None)
        self._thread.join()
        return self.error

    def _work(self) -> None:
        try:
            while (ids := self._batches.get()) is not None:
                if self.error is None:
                    try:
                        with transaction.atomic():
                            index_items(ids)
                    except DatabaseError as error:
                        self.error = error
        finally:
            connection.close()  # this thread's own connection


def _uses(sql: str, where: str) -> int:
    """How many times the statement holds the condition (on items, or on the FTS5 rowid)."""
    return sql.count(where) + sql.count(where.replace("i.id", "rowid"))


def rebuild(chunk: int = 20_000, progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite every entry, in chunks of ids (each its own statement); returns the number of items."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id), COUNT(*) FROM catalogue_item")
        low, high, total = cursor.fetchone()
        cursor.execute("DELETE FROM catalogue_searchentry WHERE item_id NOT IN (SELECT id FROM catalogue_item)")
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM catalogue_searchtext WHERE rowid NOT IN (SELECT id FROM catalogue_item)")
        if not total:
            return 0
        for start in range(low, high + 1, chunk):
            where = "i.id >= %s AND i.id < %s"
            for sql in _statements(where):
                cursor.execute(sql, [start, start + chunk] * _uses(sql, where))
            if progress:
                progress(start + chunk - low, high + 1 - low)
        return total


def cluster() -> None:
    """PostgreSQL: lay the entries out most cited first (see PostgresText.candidate_order)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # CLUSTER refuses pending deferred checks
            cursor.execute("CLUSTER catalogue_searchentry USING search_cited")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to how Django declares its foreign keys
            cursor.execute("ANALYZE catalogue_searchentry")


def update_citations(item_ids: Iterable[int]) -> None:
    """Copy the items' citation counts into their entries (after `refresh_citation_counts`)."""
    ids = sorted({int(pk) for pk in item_ids})
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                "UPDATE catalogue_searchentry SET citations = (SELECT i.citation_count FROM catalogue_item i"
                f" WHERE i.id = catalogue_searchentry.item_id) WHERE item_id IN ({marks})",
                chunk,
            )
