"""Fast row writing: COPY on PostgreSQL, executemany elsewhere (the ReDIF importer, related items, the generator).

Rows are plain tuples in the order of the field names given, with values the database
accepts as they are: what Django would store (empty strings, not NULL, for blank
CharFields; aware datetimes; the writer's adapt_* turn dates into what the backend wants).
A column the caller does not name (a field added to a model later) gets the field's default,
or is left to the database when the field has a db_default, so that a new field with a
default never breaks a writer; one without a default does, loudly. Errors are Django's
(django.db.DatabaseError and subclasses), as from the ORM.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connections
from django.db.models import NOT_PROVIDED, Model


class RowWriter:
    def __init__(self, using: str = "default") -> None:
        self.connection = connections[using]
        self.postgres = self.connection.vendor == "postgresql"
        self._specs: dict[tuple[type[Model], tuple[str, ...]], tuple[str, tuple[Any, ...]]] = {}

    def adapt_datetime(self, value: datetime.datetime) -> Any:
        return value if self.postgres else self.connection.ops.adapt_datetimefield_value(value)

    def adapt_date(self, value: datetime.date) -> Any:
        return value if self.postgres else self.connection.ops.adapt_datefield_value(value)

    def begin_batch(self) -> None:
        """Inside a transaction: commit without waiting for the disk (PostgreSQL); a crash loses
        the last batches, never consistency, and the run must be redone anyway."""
        if self.postgres:
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")

    def _spec(self, model: type[Model], fields: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
        key = (model, fields)
        if key not in self._specs:
            meta = model._meta
            qn = self.connection.ops.quote_name
            given = set(fields)
            columns: list[str] = [meta.get_field(name).column for name in fields]  # type: ignore[union-attr, misc]
            extra = []
            for f in meta.concrete_fields:
                if (
                    f.attname in given
                    or f.column in given
                    or (f.primary_key and f.get_internal_type().endswith("AutoField"))
                    or f.db_default is not NOT_PROVIDED  # the database fills it in
                ):
                    continue
                if f.has_default() or (f.empty_strings_allowed and not f.null):  # CharField: ""
                    value = f.get_db_prep_save(f.get_default(), self.connection)
                elif f.null:
                    value = None
                else:
                    raise ValueError(f"RowWriter is not given {meta.label}.{f.name}, which has no default")
                columns.append(f.column)
                extra.append(value)
            cols = ", ".join(qn(c) for c in columns)
            if self.postgres:
                sql = f"COPY {qn(meta.db_table)} ({cols}) FROM STDIN"
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608 (quoted model names)
            self._specs[key] = (sql, tuple(extra))
        return self._specs[key]

    def write(self, model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> int:
        if not rows:
            return 0
        sql, extra = self._spec(model, fields)
        if extra:
            rows = [row + extra for row in rows]
        with self.connection.cursor() as cursor:
            if self.postgres:
                with self.connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
            else:
                cursor.executemany(sql, rows)
        return len(rows)

    def reset_sequences(self, models: Iterable[type[Model]]) -> None:
        """After rows were written with explicit ids: the next id the database hands out follows them."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(models))
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self, models: Iterable[type[Model]]) -> None:
        """PostgreSQL: VACUUM (ANALYZE) the tables written, so that pages are fast right after
        generation, even with autovacuum off: planner statistics, and a visibility map for
        index-only scans. Inside a transaction (tests), ANALYZE alone."""
        if not self.postgres:
            return
        qn = self.connection.ops.quote_name
        command = "ANALYZE" if self.connection.in_atomic_block else "VACUUM (ANALYZE)"
        with self.connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"{command} {qn(model._meta.db_table)}")
