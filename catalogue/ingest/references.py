"""Reference lists from JSON Lines.

One object per reference, in reference order for each citing item:
    {"citing": "RePEc:ipt:iptwpa:jrc108028", "text": "Sörvik, J. ... 2013 ...",
     "cited": "RePEc:ipt:iptwpa:jrc84659", "doi": "", "title": "", "authors": "", "year": 2013}
Only "citing" and "text" are required. The file replaces the whole reference list of each
citing item it names; a list lands whole or not at all. A reference that names a known
"cited" handle is matched; a decision a person made (confirmed or rejected) on the same
reference text is kept.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from ..changes import after_import
from ..citations.counts import refresh_citation_counts
from ..handles import handle_key
from ..models import Item, Reference
from .jsonl import LineError, LoadReport, read_objects, text_field, year_field

FIELDS = [
    "raw_text",
    "title",
    "authors",
    "year",
    "doi",
    "cited_handle",
    "target_id",
    "status",
    "matched_at",
    "linked_at",
]


def parse_reference(obj: dict) -> dict:
    return {
        "citing": text_field(obj, "citing", required=True, limit=250),
        "raw_text": text_field(obj, "text", required=True, limit=5000),
        "cited_handle": text_field(obj, "cited", limit=250),
        "doi": text_field(obj, "doi", limit=255),
        "title": text_field(obj, "title", limit=1000),
        "authors": text_field(obj, "authors", limit=1000),
        "year": year_field(obj),
    }


def load_references(path: str | Path) -> LoadReport:
    report = LoadReport()
    lists: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    bad: set[str] = set()
    for line, obj in read_objects(path):
        if isinstance(obj, LineError):
            report.errors.append(str(obj))
            continue
        try:
            ref = parse_reference(obj)
        except ValueError as error:
            report.errors.append(f"{path}:{line}: {error}")
            citing = obj.get("citing")
            if isinstance(citing, str):
                bad.add(handle_key(citing))
            continue
        lists[handle_key(ref["citing"])].append((line, ref))
    for key, refs in lists.items():
        if len(refs) >= Reference.READERS_FROM:
            report.errors.append(
                f"{path}:{refs[0][0]}: the reference list of {refs[0][1]['citing']} has {len(refs):,} entries;"
                f" at most {Reference.READERS_FROM - 1:,} are kept"
            )
            bad.add(key)
    for key in bad & set(lists):
        first_line = lists[key][0][0]
        report.errors.append(f"{path}:{first_line}: the reference list of {lists[key][0][1]['citing']} was not loaded")
        del lists[key]
    items = dict(Item.objects.filter(handle_key__in=list(lists)).values_list("handle_key", "pk"))
    for key, refs in lists.items():
        if key not in items:
            report.errors.append(f"{path}:{refs[0][0]}: citing item {refs[0][1]['citing']} is not in the catalogue")
            continue
        try:
            with transaction.atomic():
                replace_list(items[key], [ref for _, ref in refs], report)
        except DatabaseError as error:
            report.errors.append(f"{path}:{refs[0][0]}: the database refused this reference list: {error}")
    if report.created or report.updated:
        after_import()  # the new references matched, then related items, on the task queue
    return report


def replace_list(item_id: int, refs: list[dict], report: LoadReport) -> None:
    """Make the item's reference list exactly `refs`, keeping people's decisions."""
    cited = {handle_key(r["cited_handle"]) for r in refs if r["cited_handle"]}
    targets = dict(Item.objects.filter(handle_key__in=cited).values_list("handle_key", "pk"))
    # the list's own positions; those from READERS_FROM are readers' approved additions, kept
    own = Reference.objects.filter(citing_id=item_id, position__lt=Reference.READERS_FROM)
    existing = {r.position: r for r in own}
    touched_targets = {r.target_id for r in existing.values() if r.target_id}
    to_create, to_update = [], []
    now = timezone.now()
    for position, ref in enumerate(refs):
        target = targets.get(handle_key(ref["cited_handle"])) if ref["cited_handle"] else None
        values = {k: v for k, v in ref.items() if k != "citing"}
        status = Reference.Status.MATCHED if target else Reference.Status.UNMATCHED
        old = existing.pop(position, None)
        if old is None:
            new = Reference(citing_id=item_id, position=position, **values)
            new.link(status, target, now)
            to_create.append(new)
            report.created += 1
            continue
        if all(getattr(old, k) == v for k, v in values.items()):
            report.unchanged += 1  # the same reference: the matcher's outcome or a person's decision stands
            continue
        for k, v in values.items():
            setattr(old, k, v)
        if old.status not in Reference.Status.decided() or old.raw_text != values["raw_text"]:
            old.link(status, target, now)  # else a person decided on this very text: keep it
        old.matched_at = None  # changed: match_references looks at it again
        to_update.append(old)
        report.updated += 1
    Reference.objects.bulk_create(to_create)
    Reference.objects.bulk_update(to_update, FIELDS)
    if existing:
        Reference.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
    touched_targets |= {r.target_id for r in to_create + to_update if r.target_id}
    refresh_citation_counts(touched_targets)  # and, through items_changed, the page cache
