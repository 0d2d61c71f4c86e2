"""import_references and import_nep: documented JSON Lines, whole-or-nothing, line-numbered errors."""

import json

import pytest
from django.core.management import CommandError, call_command

from catalogue.ingest.nep import load_nep
from catalogue.ingest.references import load_references
from catalogue.models import NepAnnouncement, NepIssue, Reference

pytestmark = pytest.mark.django_db


def write_lines(path, *objects):
    path.write_text("\n".join(o if isinstance(o, str) else json.dumps(o) for o in objects) + "\n")
    return path


@pytest.fixture
def items(item_factory):
    return item_factory.create_batch(3)


def test_references_match_by_handle_and_count_citations(tmp_path, items):
    a, b, c = items
    path = write_lines(
        tmp_path / "refs.jsonl",
        {"citing": a.handle, "text": "B's paper", "cited": b.handle.upper(), "year": 2016},
        {"citing": a.handle, "text": "Something not in the catalogue", "cited": "RePEc:nop:nopnop:1"},
        {"citing": c.handle, "text": "B again", "cited": b.handle},
    )
    report = load_references(path)
    assert report.ok
    assert report.created == 3
    refs = list(Reference.objects.filter(citing=a).order_by("position"))
    assert [(r.target_id, r.status, r.year) for r in refs] == [
        (b.pk, "matched", 2016),
        (None, "unmatched", None),
    ]
    b.refresh_from_db()
    assert b.citation_count == 2


def test_reloading_replaces_the_list_and_keeps_decisions(tmp_path, items):
    a, b, _ = items
    path = write_lines(
        tmp_path / "refs.jsonl",
        {"citing": a.handle, "text": "first"},
        {"citing": a.handle, "text": "second", "cited": b.handle},
        {"citing": a.handle, "text": "third"},
    )
    load_references(path)
    # a person rejected the matched citation
    Reference.objects.filter(citing=a, position=1).update(status=Reference.Status.REJECTED)
    again = load_references(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Reference.objects.get(citing=a, position=1).status == "rejected"
    b.refresh_from_db()
    assert b.citation_count == 0
    # a shorter list replaces the longer one
    write_lines(path, {"citing": a.handle, "text": "only one now"})
    load_references(path)
    assert list(Reference.objects.filter(citing=a).values_list("raw_text", flat=True)) == ["only one now"]


def test_a_bad_line_rejects_its_citing_items_list_only(tmp_path, items):
    a, b, _ = items
    path = write_lines(
        tmp_path / "refs.jsonl",
        {"citing": a.handle, "text": "fine"},
        {"citing": a.handle, "text": "bad year", "year": "last year"},
        "{not json",
        {"citing": b.handle, "text": "fine too"},
        {"citing": "RePEc:nop:nopnop:1", "text": "unknown citing item"},
    )
    report = load_references(path)
    assert f"{path}:2: \"year\" must be a year between 1000 and 2100, not 'last year'" in report.errors
    assert any(e.startswith(f"{path}:3: not valid JSON") for e in report.errors)
    assert f"{path}:5: citing item RePEc:nop:nopnop:1 is not in the catalogue" in report.errors
    assert not Reference.objects.filter(citing=a).exists()  # nothing half-written
    assert Reference.objects.filter(citing=b).count() == 1


def test_import_references_command_reports_and_fails(tmp_path, items, capsys):
    path = write_lines(tmp_path / "refs.jsonl", {"citing": items[0].handle})
    with pytest.raises(CommandError):
        call_command("import_references", str(path))
    assert f'{path}:1: "text" is missing' in capsys.readouterr().err


def test_nep_issues_in_the_editors_order(tmp_path, items):
    a, b, c = items
    path = write_lines(
        tmp_path / "nep.jsonl",
        {"report": "nep-ino", "name": "Innovation", "date": "2017-11-20", "items": [c.handle, a.handle]},
        {"report": "nep-ino", "name": "Innovation", "date": "2017-11-27", "items": [b.handle]},
    )
    report = load_nep(path)
    assert report.ok
    assert report.created == 2
    issue = NepIssue.objects.get(date="2017-11-20")
    assert list(issue.announcements.order_by("position").values_list("item", flat=True)) == [c.pk, a.pk]
    assert load_nep(path).unchanged == 2


def test_nep_issue_with_an_unknown_handle_lands_not_at_all(tmp_path, items):
    path = write_lines(
        tmp_path / "nep.jsonl",
        {"report": "nep-ino", "name": "Innovation", "date": "2017-11-20", "items": [items[0].handle, "RePEc:x:y:z"]},
        {"report": "innovation", "name": "Innovation", "date": "2017-11-20", "items": [items[0].handle]},
        {"report": "nep-ino", "name": "Innovation", "date": "20 Nov 2017", "items": [items[0].handle]},
    )
    report = load_nep(path)
    assert report.errors == [
        f"{path}:1: not in the catalogue: RePEc:x:y:z; issue not loaded",
        f"{path}:2: \"report\" must look like nep-ino, not 'innovation'",
        f"{path}:3: \"date\" must be a date as yyyy-mm-dd, not '20 Nov 2017'",
    ]
    assert not NepAnnouncement.objects.exists()
