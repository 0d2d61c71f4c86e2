"""NEP announcements from JSON Lines.

One object per issue of a report, items in the editor's order:
    {"report": "nep-ino", "name": "Innovation", "date": "2017-11-20",
     "items": ["RePEc:ipt:iptwpa:jrc108028", "..."]}
An issue lands whole or not at all: every handle must be in the catalogue. Loading an issue
again replaces its list; the report's name is updated.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.db import DatabaseError, transaction

from .. import pagecache
from ..handles import handle_key
from ..models import Item, NepAnnouncement, NepIssue, NepReport
from .jsonl import LineError, LoadReport, read_objects, text_field

REPORT_CODE = re.compile(r"^nep-[a-z]{2,5}$")


def parse_issue(obj: dict) -> tuple[str, str, datetime.date, list[str]]:
    code = text_field(obj, "report", required=True, limit=20).lower()
    if not REPORT_CODE.match(code):
        raise ValueError(f'"report" must look like nep-ino, not {code!r}')
    name = text_field(obj, "name", required=True, limit=255)
    try:
        date = datetime.date.fromisoformat(text_field(obj, "date", required=True, limit=10))
    except ValueError:
        raise ValueError(f'"date" must be a date as yyyy-mm-dd, not {obj.get("date")!r}') from None
    handles = obj.get("items")
    if not isinstance(handles, list) or not handles or not all(isinstance(h, str) and h.strip() for h in handles):
        raise ValueError('"items" must be a non-empty list of handles')
    return code, name, date, [h.strip() for h in handles]


def load_nep(path: str | Path) -> LoadReport:
    report = LoadReport()
    for line, obj in read_objects(path):
        if isinstance(obj, LineError):
            report.errors.append(str(obj))
            continue
        try:
            code, name, date, handles = parse_issue(obj)
        except ValueError as error:
            report.errors.append(f"{path}:{line}: {error}")
            continue
        keys = [handle_key(h) for h in handles]
        items = dict(Item.objects.filter(handle_key__in=keys).values_list("handle_key", "pk"))
        unknown = [h for h, key in zip(handles, keys, strict=True) if key not in items]
        if unknown:
            report.errors.append(f"{path}:{line}: not in the catalogue: {', '.join(unknown[:5])}; issue not loaded")
            continue
        order = list(dict.fromkeys(items[key] for key in keys))
        try:
            with transaction.atomic():
                outcome = write_issue(code, name, date, order)
        except DatabaseError as error:
            report.errors.append(f"{path}:{line}: the database refused this issue: {error}")
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    pagecache.changed()
    return report


def write_issue(code: str, name: str, date: datetime.date, item_ids: list[int]) -> str:
    nep_report, created = NepReport.objects.get_or_create(code=code, defaults={"name": name})
    if not created and nep_report.name != name:
        nep_report.name = name
        nep_report.save(update_fields=["name"])
    issue, created = NepIssue.objects.get_or_create(report=nep_report, date=date)
    current = list(issue.announcements.order_by("position").values_list("item_id", flat=True))
    if current == item_ids:
        return "unchanged"
    issue.announcements.all().delete()
    NepAnnouncement.objects.bulk_create(
        NepAnnouncement(issue=issue, item_id=pk, position=position) for position, pk in enumerate(item_ids)
    )
    return "created" if created else "updated"
