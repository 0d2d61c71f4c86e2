"""Batches of item records into the database: plain rows, then COPY (PostgreSQL) or the ORM.

The importer decides what a batch holds (importer.py); this module turns records into rows
of exactly the values the ORM would store (empty strings for blank text, NULL for a missing
year or person, aware timestamps for created_at and updated_at) and writes them:

- ``CopyStore`` (PostgreSQL): ids reserved from the item sequence, new items and every child
  row (authorships, files, keywords, JEL links) with COPY, changed items with one pipelined
  UPDATE a row;
- ``OrmStore`` (SQLite, any other backend): bulk_create and bulk_update.

Both run inside the importer's transaction, so a refused row rolls the whole batch back.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable

from django.db import connection

from ..handles import handle_key, item_slug
from ..models import Authorship, Claim, File, Item, ItemKeyword, VersionLink, version_key
from ..models.bulk import RowWriter
from ..redif.records import ItemRecord

#: Record attributes stored as they are (the dates as text, the year as the effective year).
RECORD_FIELDS = (
    "kind", "title", "abstract", "year", "creation_date", "revision_date", "publication_date",
    "number", "length", "pages", "volume", "issue", "month", "journal", "book_title", "publisher",
    "edition", "isbn", "issn", "doi", "language", "publication_status", "note",
    "programming_language",
)  # fmt: skip
#: The item columns an import writes, in the order of item_values(); not created_at, updated_at.
ITEM_COLUMNS = (*RECORD_FIELDS, "series_id", "slug", "handle", "handle_key", "version_key", "fingerprint", "source")
AUTHORSHIP_FIELDS = ("item_id", "position", "role", "name", "email", "workplace", "homepage", "person_id", "orcid")
FILE_FIELDS = ("item_id", "position", "url", "format", "function", "restriction", "size")
KEYWORD_FIELDS = ("item_id", "keyword_id", "position")
JEL_FIELDS = ("item_id", "jelcode_id")
LINK_FIELDS = ("item_id", "other_key", "relation", "source", "field", "created_at")
JelLink = Item.jel_codes.through
CHILDREN = (Authorship, File, ItemKeyword, JelLink)  # what an item's import replaces

# -- rows ----------------------------------------------------------------------------------


def item_values(r: ItemRecord, series_id: int, fp: str) -> tuple:
    """The values of ITEM_COLUMNS for this record."""
    values = [getattr(r, name) for name in RECORD_FIELDS]
    values[3] = r.effective_year
    for i in (4, 5, 6):  # the dates
        values[i] = str(values[i]) if values[i] else ""
    return (
        *values,
        series_id,
        item_slug(r.handle),
        r.handle,
        handle_key(r.handle),
        version_key(r.title),
        fp,
        f"{shown_source(r.path)}:{r.line}"[-500:],
    )


def shown_source(path: str) -> str:
    """Where a record came from, as its publisher knows it: a harvested file's address, an
    uploaded or imported file's name (never the server's folders, issue 18)."""
    path = str(path)
    return path if "://" in path else os.path.basename(path)


def child_rows(
    written: Iterable[tuple[ItemRecord, int]],
    persons: dict[str, int],
    keyword_ids: dict[str, int],
    keyword_key: Callable[[str], str],
) -> dict:
    """{model: rows} of the authorships, files, keywords and JEL links of (record, item id) pairs."""
    authorships, files, keywords, jel = [], [], [], []
    author, editor = Authorship.Role.AUTHOR.value, Authorship.Role.EDITOR.value
    for record, item_id in written:
        position = 0
        for people, role in ((record.authors, author), (record.editors, editor)):
            for a in people:
                person_id = persons.get(a.person.lower()) if a.person else None
                authorships.append(
                    (item_id, position, role, a.name, a.email, a.workplace, a.homepage, person_id, a.orcid)
                )
                position += 1
        for position, f in enumerate(record.files):
            files.append((item_id, position, f.url, f.format, f.function, f.restriction, f.size))
        seen = set()
        for position, name in enumerate(record.keywords):
            kid = keyword_ids[keyword_key(name)]
            if kid not in seen:
                seen.add(kid)
                keywords.append((item_id, kid, position))
        jel += [(item_id, code) for code in dict.fromkeys(record.jel)]
    return {Authorship: authorships, File: files, ItemKeyword: keywords, JelLink: jel}


def link_rows(written: Iterable[tuple[ItemRecord, int]], now: datetime.datetime) -> list[tuple]:
    """The stated VersionLink rows of (record, item id) pairs: its other versions (the *-Handle
    fields), its chapters (HasChapter) and its book (In-Book), each other record once."""
    rows = []
    stated = VersionLink.Source.STATED.value
    version, part = VersionLink.Relation.VERSION.value, VersionLink.Relation.PART.value
    for record, item_id in written:
        named = [("in-book", record.in_book)] if record.in_book else []
        seen = {handle_key(record.handle)}
        for name, handle in named + record.versions:
            key = handle_key(handle)
            if key not in seen:
                seen.add(key)
                relation = part if name in ("in-book", "haschapter") else version
                rows.append((item_id, key, relation, stated, name, now))
    return rows


FIELDS = {
    Authorship: AUTHORSHIP_FIELDS,
    File: FILE_FIELDS,
    ItemKeyword: KEYWORD_FIELDS,
    JelLink: JEL_FIELDS,
    VersionLink: LINK_FIELDS,
}


# -- stores --------------------------------------------------------------------------------


class OrmStore:
    """Any backend: the ORM's bulk statements."""

    def existing(self, keys: list[str]) -> dict[str, tuple[int, str]]:
        """handle_key -> (id, fingerprint) of the items already stored under these keys."""
        rows = Item.objects.filter(handle_key__in=keys).values_list("handle_key", "pk", "fingerprint")
        return {key: (pk, fp) for key, pk, fp in rows}

    def claimed(self, keys: list[str]) -> bool:
        """Whether an accepted claim names one of these items (else link_claims has nothing to do)."""
        return Claim.objects.filter(handle_key__in=keys, status=Claim.Status.ACCEPTED).exists()

    def insert(self, rows: list[tuple], now: datetime.datetime) -> list[int]:
        items = [Item(**dict(zip(ITEM_COLUMNS, row, strict=True))) for row in rows]
        Item.objects.bulk_create(items)
        return [item.pk for item in items]

    def update(self, rows: list[tuple[int, tuple]], now: datetime.datetime) -> None:
        items = []
        for pk, row in rows:
            item = Item(pk=pk, updated_at=now, **dict(zip(ITEM_COLUMNS, row, strict=True)))
            items.append(item)
        fields = [name for name in ITEM_COLUMNS if name != "handle_key"] + ["updated_at"]
        Item.objects.bulk_update(items, fields, batch_size=200)

    def delete_children(self, ids: list[int]) -> None:
        for model in CHILDREN:
            model.objects.filter(item_id__in=ids).delete()
        VersionLink.objects.filter(item_id__in=ids, source=VersionLink.Source.STATED).delete()

    def insert_children(self, rows: dict) -> None:
        for model, model_rows in rows.items():
            fields = FIELDS[model]
            model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in model_rows], 2000)


class CopyStore(OrmStore):
    """PostgreSQL: COPY for new rows, pipelined UPDATEs for changed items."""

    def __init__(self) -> None:
        self.writer = RowWriter()
        qn = connection.ops.quote_name
        self.table = qn(Item._meta.db_table)
        self.claims = qn(Claim._meta.db_table)
        columns: list[str] = [Item._meta.get_field(name).column for name in (*ITEM_COLUMNS, "updated_at")]  # type: ignore[union-attr, misc]
        assignments = ", ".join(f"{qn(c)} = %s" for c in columns)
        pk = qn(Item._meta.pk.column)
        self.update_sql = f"UPDATE {self.table} SET {assignments} WHERE {pk} = %s"  # noqa: S608 (quoted names)
        self.insert_fields = ("id", *ITEM_COLUMNS, "created_at", "updated_at")

    def existing(self, keys: list[str]) -> dict[str, tuple[int, str]]:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT handle_key, {qn(Item._meta.pk.column)}, fingerprint FROM {self.table} "  # noqa: S608
                "WHERE handle_key = ANY(%s)",
                [keys],
            )
            return {key: (pk, fp) for key, pk, fp in cursor.fetchall()}

    def claimed(self, keys: list[str]) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {self.claims} WHERE handle_key = ANY(%s) AND status = %s LIMIT 1",  # noqa: S608
                [keys, Claim.Status.ACCEPTED.value],
            )
            return cursor.fetchone() is not None

    def insert(self, rows: list[tuple], now: datetime.datetime) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{Item._meta.db_table}', '{Item._meta.pk.column}')) "  # noqa: S608
                "FROM generate_series(1, %s)",
                [len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        self.writer.write(Item, self.insert_fields, [(pk, *row, now, now) for pk, row in zip(ids, rows, strict=True)])
        return ids

    def update(self, rows: list[tuple[int, tuple]], now: datetime.datetime) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(self.update_sql, [(*row, now, pk) for pk, row in rows])

    def delete_children(self, ids: list[int]) -> None:
        """By the item_id indexes, always: right after a big first import, before autovacuum has
        analysed the tables, the planner would take a sequential scan of each table instead."""
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
            seqscan = cursor.fetchone()[0]
            for model in CHILDREN:
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE item_id = ANY(%s)", [ids])  # noqa: S608
            cursor.execute(
                f"DELETE FROM {qn(VersionLink._meta.db_table)} WHERE item_id = ANY(%s) AND source = %s",  # noqa: S608
                [ids, VersionLink.Source.STATED.value],
            )
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])

    def insert_children(self, rows: dict) -> None:
        for model, model_rows in rows.items():
            self.writer.write(model, FIELDS[model], model_rows)


def store_for_connection() -> OrmStore:
    return CopyStore() if connection.vendor == "postgresql" else OrmStore()
