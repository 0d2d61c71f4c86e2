"""Import of historical usage statistics from CSV (`manage.py import_stats`).

The format (README, "Importing data"): UTF-8 text, a header line `handle,month,abstract_views,downloads`,
then one line per item and month:

    # lines starting with # are comments; blank lines are skipped
    handle,month,abstract_views,downloads
    RePEc:ipt:iptwpa:jrc108028,2019-03,120,31

`handle` is an item's handle (or an old handle of it), any case; `month` is YYYY-MM, a month
that has ended; the counts are whole numbers from 0. A line REPLACES that item's figures for
that month, so importing a file twice changes nothing the second time. Each file is one
transaction holding its good lines; a bad line is reported as `file:line: message` and not
written, and the rest of the file still lands.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .. import pagecache
from ..handles import handle_key
from ..models import HandleAlias, Item, MonthlyStat
from ..stats.months import last_complete_month

HEADER = ["handle", "month", "abstract_views", "downloads"]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_COUNT = 2_147_483_647  # PositiveIntegerField's top on every database
LOOKUP_CHUNK = 1000


@dataclass
class FileResult:
    path: str
    written: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)
    item_ids: set[int] = field(default_factory=set)

    def error(self, number: int, message: str) -> None:
        self.problems.append((number, message))

    @property
    def errors(self) -> list[str]:
        """`file:line: message`, in line order."""
        return [f"{self.path}:{number}: {message}" for number, message in sorted(self.problems)]


@dataclass(frozen=True)
class Line:
    number: int
    handle_key: str
    month: datetime.date
    views: int
    downloads: int


def parse_month(text: str, last: datetime.date) -> datetime.date:
    """The first day of a YYYY-MM month up to `last`; ValueError saying what is wrong."""
    match = MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        raise ValueError(f"bad month “{text}”: write YYYY-MM, such as 2019-03")
    month = datetime.date(int(match[1]), int(match[2]), 1)
    if month > last:
        raise ValueError(f"month {text} has not ended yet: only months up to {last:%Y-%m} can be imported")
    return month


def parse_count(text: str, name: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{name} must be a whole number from 0: “{text}” is not")
    value = int(text)
    if value > MAX_COUNT:
        raise ValueError(f"{name} {text} is too large")
    return value


def parse_lines(text: str, today: datetime.date, result: FileResult) -> list[Line]:
    """The file's good lines; an error in `result` for each bad one (and for a missing header,
    which stops the file: its columns would be guesses)."""
    last = last_complete_month(today)
    lines, header_seen = [], False
    seen: dict[tuple[str, datetime.date], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([raw]))]
        if not header_seen:
            if [c.lower() for c in cells] != HEADER:
                result.error(number, f"the first line must be the header {','.join(HEADER)}")
                return []
            header_seen = True
            continue
        if len(cells) != len(HEADER):
            result.error(number, f"{len(cells)} column(s), expected 4: {','.join(HEADER)}")
            continue
        handle, month, views, downloads = cells
        try:
            if not handle:
                raise ValueError("the handle is missing")
            line = Line(
                number,
                handle_key(handle),
                parse_month(month, last),
                parse_count(views, "abstract_views"),
                parse_count(downloads, "downloads"),
            )
        except ValueError as error:
            result.error(number, f"{error}")
            continue
        first = seen.setdefault((line.handle_key, line.month), number)
        if first != number:
            result.error(number, f"{handle} {month} is already on line {first}")
            continue
        lines.append(line)
    if not header_seen:
        result.error(1, f"the file is empty: the first line must be the header {','.join(HEADER)}")
    return lines


def resolve_handles(keys: set[str]) -> dict[str, int]:
    """Item ids by lower-case handle, current handles and old ones (HandleAlias); unknown ones left out."""
    found: dict[str, int] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = ordered[start : start + LOOKUP_CHUNK]
        found.update(Item.objects.filter(handle_key__in=chunk).values_list("handle_key", "pk"))
        missing = [k for k in chunk if k not in found]
        if missing:
            found.update(HandleAlias.objects.filter(handle_key__in=missing).values_list("handle_key", "item_id"))
    return found


def import_file(path: Path, today: datetime.date) -> FileResult:
    """Import one file in one transaction: its good lines replace those items' months."""
    result = FileResult(str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        result.error(0, f"cannot read the file: {error}")
        return result
    lines = parse_lines(text, today, result)
    ids = resolve_handles({line.handle_key for line in lines})
    rows = []
    items_seen: dict[tuple[int, datetime.date], int] = {}
    for line in lines:
        item_id = ids.get(line.handle_key)
        if item_id is None:
            result.error(line.number, f"unknown handle {line.handle_key}")
            continue
        first = items_seen.setdefault((item_id, line.month), line.number)
        if first != line.number:  # an old and a new handle of one item
            result.error(line.number, f"the same item and month as line {first}")
            continue
        rows.append(MonthlyStat(item_id=item_id, month=line.month, abstract_views=line.views, downloads=line.downloads))
    with transaction.atomic():
        MonthlyStat.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["item", "month"],
            update_fields=["abstract_views", "downloads"],
        )
    pagecache.changed(pagecache.STATS)
    result.written = len(rows)
    result.item_ids = {row.item_id for row in rows}
    return result
