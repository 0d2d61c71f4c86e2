"""Keeping the search index in step with the catalogue.

`index_items(ids)` rewrites the entries of these items from the catalogue tables, in SQL, in
the caller's transaction: the importer calls it for every batch it writes, the admin for every
correction, `refresh_citation_counts` updates the one column it changes. `rebuild()` redoes
the whole index in chunks (after `generate_catalogue`, or by `manage.py rebuild_search_index`).
"""

from collections.abc import Callable, Iterable

from django.db import connection

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

_POSTGRES_UPSERT = f"""
    INSERT INTO catalogue_searchentry ({_ENTRY_COLUMNS}, head, document, jel)
    SELECT e.*, t.head, t.head || setweight(to_tsvector('catalogue_english', t.abstract), 'D'),
        ARRAY(SELECT DISTINCT c FROM catalogue_item_jel_codes j,
            unnest(ARRAY[substr(j.jelcode_id, 1, 1), substr(j.jelcode_id, 1, 2), j.jelcode_id::text]) c
            WHERE j.item_id = e.id)
    FROM ({_ENTRY_SELECT.format(tops="string_agg(top, '')", where="{where}")}) e
    JOIN (
        SELECT i.id, i.abstract,
            setweight(to_tsvector('catalogue_english', i.title), 'A')
            || setweight(to_tsvector('catalogue_english',
                COALESCE({_PEOPLE.format(agg="string_agg(a.name, ' ')")}, '') || ' ' ||
                COALESCE({_KEYWORDS.format(agg="string_agg(k.name, ' ')")}, '')), 'B') AS head
        FROM catalogue_item i WHERE {{where}} OFFSET 0  -- computed once, not once per use
    ) t ON t.id = e.id
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
