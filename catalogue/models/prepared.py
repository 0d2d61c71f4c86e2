"""Querysets of a fixed shape, compiled to SQL once per process (issue 17: the cold render).

Django compiles a queryset's SQL on every evaluation: for the item page's wide queries (an
item with its series and archive is some 70 columns) that was over a third of the page's
Python time, every request, to write the same SQL with other values. A `Prepared` builds
its queryset once with placeholder values, compiles it once per process, and on each call
runs the same SQL with the call's values in the placeholders' places, then builds the rows
as Django would (select_related, annotations and converters from the same compiler), and
prefetches as the queryset says (those lookups compile as usual).

The queryset is compiled twice, with two sets of placeholder values: the parameters that
differ are the call's values (each where its placeholder is), the others constants.
Preparing refuses a queryset where a value is rewritten by its lookup (`contains` says
'%value%'), written into the SQL, or missing. Only lookups whose parameters do not change
in number (`=`, not `__in` a list of the call's) can be prepared.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
_INTS = (30_011, 30_013)  # two sets of placeholders for integers (small: a field refuses values past its range)


class Int:
    """A placeholder for an integer value."""


class Str:
    """A placeholder for a text value."""


class Prepared(Generic[M]):
    """`Prepared(build, item=Int, key=Str)`: build(item=..., key=...) returns the queryset;
    `prepared(item=5, key="x")` returns its rows (a list: the result is not a queryset to
    filter further, whose SQL would no longer be the one compiled)."""

    def __init__(self, build: Callable[..., QuerySet[M]], **kinds: type[Int] | type[Str]) -> None:
        self.build, self.kinds = build, kinds
        self.compiled: tuple[QuerySet, Any, str, list[str | None], tuple] | None = None
        self.lock = threading.Lock()

    def placeholders(self, round: int) -> dict[str, int | str]:
        return {
            name: _INTS[round] + 2 * number if kind is Int else f"\x00prepared{round}-{name}\x00"
            for number, (name, kind) in enumerate(self.kinds.items())
        }

    def prepare(self) -> tuple[QuerySet, Any, str, list[str | None], tuple]:
        """Compile twice, with two sets of placeholders: the parameters that differ are the
        call's values, in the places where each placeholder is; the others are constants."""
        compiled = []
        for round in (0, 1):
            values = self.placeholders(round)
            queryset = self.build(**values)
            compiler = queryset.query.get_compiler(using=queryset.db)
            compiled.append((values, queryset, compiler, *compiler.as_sql()))
        (values, queryset, compiler, sql, params), (other_values, _, _, other_sql, other_params) = compiled
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError(f"the values are written into the prepared query's SQL: {sql}")
        by_value = {value: name for name, value in values.items()}
        slots: list[str | None] = []
        for param, other in zip(params, other_params, strict=True):
            if param == other:
                slots.append(None)
                continue
            name = by_value.get(param) if isinstance(param, int | str) else None
            if name is None or other != other_values[name]:
                raise ValueError(f"a value is rewritten by its lookup in the prepared query ({param!r}): {sql}")
            slots.append(name)
        for name in values:
            if name not in slots:
                raise ValueError(f"{name} is not a parameter of the prepared query: {sql}")
        return queryset, compiler, sql, slots, tuple(params)

    def __call__(self, **values: Any) -> list[M]:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"prepared query needs {sorted(self.kinds)}, got {sorted(values)}")
        if self.compiled is None:
            with self.lock:
                if self.compiled is None:
                    self.compiled = self.prepare()
        template, compiler, sql, slots, constants = self.compiled
        params = tuple(
            constant if slot is None else values[slot] for slot, constant in zip(slots, constants, strict=True)
        )
        bound = copy.copy(compiler)
        bound.connection = connections[template.db]  # each thread has its own
        bound.as_sql = lambda *args, **kwargs: (sql, params)
        chained = template._chain()  # type: ignore[attr-defined]
        chained.query.get_compiler = lambda *args, **kwargs: bound
        return list(chained)


def keep_as_prefetched(instance: Model, relation: str, rows: list[Model]) -> None:
    """Make `instance.<relation>.all()` (a reverse foreign key or a many-to-many) answer `rows`
    without a query, as prefetch_related("<relation>") does; each row of a reverse foreign key
    knows its instance, as there."""
    manager = getattr(instance, relation)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if hasattr(manager, "prefetch_cache_name"):  # many-to-many
        name = manager.prefetch_cache_name
    else:
        field = manager.field
        name = field.remote_field.cache_name
        for row in rows:
            field.set_cached_value(row, instance)
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
