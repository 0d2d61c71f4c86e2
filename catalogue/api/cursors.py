"""Cursor pagination: a page is the rows after the last one the previous page gave.

A cursor is opaque to clients: the list it belongs to (`scope`) and the last row's sort key,
signed with django.core.signing (salt below) so that a client can neither forge a key nor
carry a cursor to another list. It never expires: a key stays a position in its list. A bad
cursor is a 400 naming the `cursor` parameter. No COUNT and no OFFSET: each page reads its rows
from the list's own index, from the key on (keyset), so the last page of a million costs what
the first does; a row added or withdrawn meanwhile neither repeats nor skips the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest
from pydantic import Field

from ..browse.paging import AnchoredIds
from ..models import Item, ListAnchor
from . import records, schemas

SALT = "catalogue.api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
T = TypeVar("T")


class Invalid(Exception):
    """A request parameter the API refuses: 400 with `errors` {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))
        self.errors = errors


def make(scope: str, key: Any) -> str:
    return signing.dumps({"s": scope, "k": key}, salt=SALT, compress=True)


def read(token: str | None, scope: str) -> Any:
    """The sort key a cursor of this list carries; None without a cursor (the first page)."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise Invalid({"cursor": ["Not a cursor this API gave out (or it was changed): start without one."]}) from None
    if not isinstance(data, dict) or data.get("s") != scope or "k" not in data:
        raise Invalid({"cursor": ["This cursor belongs to another list: use the one the list itself gave."]})
    return data["k"]


def next_address(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's address with `cursor` set: the next page (None: there is none)."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paged(rows: Sequence[T], limit: int, scope: str, key: Callable[[T], Any]) -> tuple[list[T], str | None]:
    """`rows` read `limit + 1` deep: the page, and the cursor of the next page (None if this is the last)."""
    page = list(rows[:limit])
    return page, make(scope, key(page[-1])) if len(rows) > limit else None


def by_column(rows: QuerySet, column: str, cursor: str | None, scope: str, limit: int) -> tuple[list, str | None]:
    """A page of `rows` in the order of a unique `column` (a code, a short-id), from the value
    the cursor holds on (one query on the column's index), and the next page's cursor."""
    after = read(cursor, scope)
    rows = rows.order_by(column)
    rows = rows.filter(**{f"{column}__gt": after}) if after else rows
    return paged(list(rows[: limit + 1]), limit, scope, lambda row: getattr(row, column))


# the `limit` parameter of every list
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"Rows a page, 1 to {MAX_LIMIT}.")]
Cursor = Annotated[str | None, Field(description="The `next_cursor` of the previous page; none for the first.")]


def after_anchor(ids: AnchoredIds, key: list | None, anchor: ListAnchor | None, limit: int) -> list[int]:
    """`limit + 1` ids of a browse list (browse.queries) after the row `key` names: the list's
    own `below(anchor)` (its keyset condition, that row included), that row left out."""
    if key is None or anchor is None:
        return list(ids.ids[: limit + 1])
    last = key[-1]
    return [pk for pk in ids.below(anchor)[: limit + 2] if pk != last][: limit + 1]


def item_page(
    request: HttpRequest,
    items: list[Item],
    more: bool,
    scope: str,
    key: Callable[[Item], Any],
    total: int | None = None,
) -> schemas.ItemPage:
    """A page of items (loaded by browse.queries.items_in_order), with the cursor of the next."""
    following = make(scope, key(items[-1])) if more and items else None
    return schemas.ItemPage(
        total=total,
        items=records.item_summaries(request, items),
        next_cursor=following,
        next=next_address(request, following),
    )
