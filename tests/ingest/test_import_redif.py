"""The ReDIF importer on the real database: upserts, atomic templates, reported errors."""

import dataclasses
import hashlib
import json
import logging
import re
import shutil
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from catalogue.ingest.importer import Importer, fingerprint, redif_files
from catalogue.ingest.rows import OrmStore
from catalogue.models import Archive, Authorship, Claim, File, Item, ItemKeyword, JelCode, Keyword, Person, Series
from catalogue.redif import reading
from catalogue.redif.parser import parse_text
from catalogue.redif.records import ItemRecord

pytestmark = pytest.mark.django_db


def import_text(text: str, name: str = "upload.rdf", **options):
    importer = Importer(**options)
    importer.import_templates(parse_text(text, name))
    return importer.finish()


@pytest.fixture
def database_refuses_bad_items(monkeypatch):
    """The database refuses every batch that holds an item whose handle ends in `:bad`."""
    original = Importer.write_items

    def failing(self, records):
        if any(r.handle.endswith(":bad") for r in records):
            raise IntegrityError("simulated refusal")
        return original(self, records)

    monkeypatch.setattr(Importer, "write_items", failing)


def snapshot():
    return (
        list(Item.objects.order_by("handle_key").values_list("handle", "title", "year", "number")),
        list(Authorship.objects.order_by("item__handle_key", "position").values_list("name", "person")),
        list(File.objects.values_list("url", "format")),
        list(ItemKeyword.objects.values_list("keyword__name", "position")),
    )


def test_import_creates_records_and_reports_the_bad_template(data_dir):
    report = Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    assert report.created == {"archive": 1, "series": 1, "paper": 2}
    assert len(report.errors) == 1
    assert "jrc.rdf:30:" in report.errors[0]
    assert "Author" in report.errors[0]
    item = Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028")
    assert item.series.archive.maintainer_email == "publications@example.org"
    assert item.year == 2017
    assert item.creation_date == "2017-10"
    assert [a.name for a in item.authorships.order_by("position")] == ["Fatime Barbara Hegyi", "Ruslan Rakhmatullin"]
    assert sorted(item.jel_codes.values_list("code", flat=True)) == ["O31", "R58"]
    assert JelCode.objects.get(code="O31").parent_id == "O3"
    assert JelCode.objects.get(code="O3").parent_id == "O"
    assert list(item.item_keywords.values_list("keyword__name", flat=True)) == [
        "smart specialisation",
        "industrial policy",
    ]
    assert not Item.objects.filter(handle_key="repec:ipt:iptwpa:jrc000001").exists()


def test_handles_are_case_insensitive_and_keep_their_spelling(data_dir):
    Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    item = Item.objects.by_handle("repec:ipt:IPTWPA:jrc84659").get()
    assert item.handle == "RePEc:IPT:iptwpa:JRC84659"
    assert item.get_absolute_url() == "/p/ipt/iptwpa/jrc84659.html"
    assert item.authorships.get().name == "Jens Sörvik"


def test_importing_twice_changes_nothing(data_dir):
    Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    before = snapshot()
    report = Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    assert report.created == {}
    assert report.updated == {}
    assert report.unchanged == {"archive": 1, "series": 1, "paper": 2}
    assert snapshot() == before


def test_a_corrected_file_updates_the_record(data_dir, tmp_path):
    Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    item_id = Item.objects.by_handle("RePEc:ipt:iptwpa:jrc108028").get().pk
    text = (data_dir / "import" / "jrc.rdf").read_text()
    text = text.replace(
        "Author-Name: Ruslan Rakhmatullin\n", "Author-Name: Ruslan Rakhmatullin\nAuthor-Name: A. Third\n"
    )
    text = text.replace("Creation-Date: 2017-10", "Creation-Date: 2018-01")
    (tmp_path / "jrc.rdf").write_text(text)
    report = Importer().import_paths([tmp_path])
    assert report.updated == {"paper": 1}
    item = Item.objects.get(pk=item_id)  # same row, updated in place
    assert item.year == 2018
    assert list(item.authorships.order_by("position").values_list("name", flat=True))[-1] == "A. Third"
    assert Item.objects.count() == 2


def test_items_before_their_series_in_file_order_still_land(data_dir, tmp_path):
    text = (data_dir / "import" / "jrc.rdf").read_text()
    archive_and_series, items = (
        text[: text.index("Template-Type: ReDIF-Paper")],
        text[text.index("Template-Type: ReDIF-Paper") :],
    )
    (tmp_path / "a_items.rdf").write_text(items)
    (tmp_path / "b_series.rdf").write_text(archive_and_series)
    report = Importer().import_paths([tmp_path])
    assert report.created["paper"] == 2
    assert Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028").series.name == "JRC Research Reports"


def test_items_whose_series_never_comes_get_a_placeholder_series_and_a_warning():
    report = import_text(
        "Template-Type: ReDIF-Paper 1.0\nTitle: Alone\nAuthor-Name: A. Person\nHandle: RePEc:zzz:lonely:1\n"
    )
    assert report.created == {"paper": 1}
    assert any("upload.rdf:1:" in w and "RePEc:zzz:lonely" in w for w in report.warnings)
    assert Series.objects.get(code="lonely").archive.code == "zzz"


def test_over_long_values_are_truncated_with_a_warning_not_refused():
    report = import_text(
        "Template-Type: ReDIF-Series 1.0\nName: S\nMaintainer-Email: m@example.org\nHandle: RePEc:abc:series\n\n"
        + "".join(
            f"Template-Type: ReDIF-Paper 1.0\nTitle: Paper {n}\nAuthor-Name: A. B\nHandle: RePEc:abc:series:{n}\n"
            + ("Number: " + "9" * 150 + "\n" if n == 2 else "")  # too long for the column: truncated, not refused
            + "\n"
            for n in range(5)
        )
    )
    assert report.created["paper"] == 5
    assert len(Item.objects.get(handle_key="repec:abc:series:2").number) == 100
    assert any("upload.rdf:" in w and "Number" in w for w in report.warnings)


@pytest.mark.usefixtures("database_refuses_bad_items")
def test_batch_failure_is_replayed_one_by_one():
    report = import_text(
        "Template-Type: ReDIF-Series 1.0\nName: S\nMaintainer-Email: m@example.org\nHandle: RePEc:abc:series\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: Good\nAuthor-Name: A. B\nHandle: RePEc:abc:series:good\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: Bad\nAuthor-Name: A. B\nHandle: RePEc:abc:series:bad\n\n"
    )
    assert list(Item.objects.values_list("title", flat=True)) == ["Good"]
    assert report.errors == ["upload.rdf:11: the database refused this template: simulated refusal"]
    assert not Authorship.objects.filter(item__title="Bad").exists()


def test_person_records_claim_items_and_link_authorships(data_dir):
    Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    report = import_text(
        "Template-Type: ReDIF-Person 1.0\nName-Full: Ruslan Rakhmatullin\nName-First: Ruslan\n"
        "Name-Last: Rakhmatullin\nShort-Id: pra123\nAuthor-Paper: RePEc:ipt:iptwpa:jrc108028\n"
        "Author-Paper: RePEc:ipt:iptwpa:notyet\nHandle: RePEc:per:2017-01-01:ruslan_rakhmatullin\n"
    )
    assert report.created == {"person": 1}
    person = Person.objects.get(short_id="pra123")
    linked = Authorship.objects.get(person=person)
    assert linked.name == "Ruslan Rakhmatullin"
    assert linked.item.number == "JRC108028"
    assert Claim.objects.filter(person=person).count() == 2
    # an item claimed before it exists is linked when it is imported
    import_text(
        "Template-Type: ReDIF-Paper 1.0\nTitle: Later\nAuthor-Name: Someone Else\nAuthor-Name: R. Rakhmatullin\n"
        "Handle: RePEc:ipt:iptwpa:notyet\n"
    )
    assert Authorship.objects.get(item__handle_key="repec:ipt:iptwpa:notyet", person=person).name == "R. Rakhmatullin"
    # and re-importing the item keeps the link
    import_text(
        "Template-Type: ReDIF-Paper 1.0\nTitle: Later, corrected\nAuthor-Name: Someone Else\n"
        "Author-Name: R. Rakhmatullin\nHandle: RePEc:ipt:iptwpa:notyet\n"
    )
    assert Authorship.objects.filter(item__title="Later, corrected", person=person).exists()


def test_publisher_scope_refuses_other_archives_and_writes_nothing_of_them():
    report = import_text(
        "Template-Type: ReDIF-Series 1.0\nName: Theirs\nMaintainer-Email: m@example.org\nHandle: RePEc:xyz:series\n\n"
        "Template-Type: ReDIF-Series 1.0\nName: Mine\nMaintainer-Email: m@example.org\nHandle: RePEc:abc:series\n",
        archives={"abc"},
    )
    assert report.errors == ["upload.rdf:1: RePEc:xyz:series is not in your archives (abc): nothing of it was written"]
    assert list(Series.objects.values_list("name", flat=True)) == ["Mine"]
    assert not Archive.objects.filter(code="xyz").exists()


def test_every_sample_file_imports_with_line_numbered_errors_for_the_bad_ones(data_dir):
    report = Importer().import_paths([data_dir / "redif"])
    assert Item.objects.count() >= 15
    assert all(":" in e.split(" ")[0] for e in report.errors)
    assert any("bad_template.rdf:1:" in e for e in report.errors)
    assert any("single_bad_template.rdf:1:" in e for e in report.errors)
    # Latin-1 and UTF-16 files give correct accents
    assert Item.objects.filter(authorships__workplace__contains="Université du Québec à Montréal").exists()


def test_import_redif_command_exits_nonzero_and_prints_errors(data_dir, tmp_path, capsys):
    shutil.copy(data_dir / "import" / "jrc.rdf", tmp_path / "jrc.rdf")
    with pytest.raises(CommandError, match="1 template"):
        call_command("import_redif", str(tmp_path))
    captured = capsys.readouterr()
    assert "jrc.rdf:30:" in captured.err
    assert "created 4" in captured.out


def test_import_redif_command_succeeds_on_clean_files(data_dir, capsys):
    call_command(
        "import_redif", str(data_dir / "redif" / "ucdavis_cdaarch.rdf"), str(data_dir / "redif" / "ucdavis_cdaseri.rdf")
    )
    assert "errors 0" in capsys.readouterr().out
    assert Series.objects.get(code="wpaper").archive.code == "cda"


def test_a_claim_dropped_from_the_person_record_is_unlinked(data_dir):
    Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    person = (
        "Template-Type: ReDIF-Person 1.0\nName-Full: Ruslan Rakhmatullin\nName-Last: Rakhmatullin\n"
        "Short-Id: pra123\n{claims}Handle: RePEc:per:2017-01-01:ruslan_rakhmatullin\n"
    )
    import_text(person.format(claims="Author-Paper: RePEc:ipt:iptwpa:jrc108028\n"))
    assert Authorship.objects.filter(person__short_id="pra123").count() == 1
    report = import_text(person.format(claims=""))
    assert report.updated == {"person": 1}
    assert not Authorship.objects.filter(person__short_id="pra123").exists()
    assert not Claim.objects.exists()


# -- the fast paths: a reader process, COPY on PostgreSQL --------------------------------


class RolledBack(Exception):
    pass


def full_snapshot():
    """Every stored value of items and their children, but ids and timestamps."""
    item_fields = [f.attname for f in Item._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    item_fields[item_fields.index("series_id")] = "series__handle"
    return (
        list(Item.objects.order_by("handle_key").values_list(*item_fields)),
        list(
            Authorship.objects.order_by("item__handle_key", "position").values_list(
                "item__handle_key", "position", "role", "name", "email", "workplace", "homepage", "person__short_id"
            )
        ),
        list(
            File.objects.order_by("item__handle_key", "position").values_list(
                "item__handle_key", "position", "url", "format", "function", "restriction", "size"
            )
        ),
        list(
            ItemKeyword.objects.order_by("item__handle_key", "position").values_list(
                "item__handle_key", "keyword__key", "keyword__name", "position"
            )
        ),
        list(
            Item.jel_codes.through.objects.order_by("item__handle_key", "jelcode").values_list(
                "item__handle_key", "jelcode"
            )
        ),
        sorted(JelCode.objects.values_list("code", "parent")),
    )


def import_and_roll_back(paths, store=None, **options):
    """Import, note the report and what was stored, and undo it all."""
    try:
        with transaction.atomic():
            importer = Importer(**options)
            if store is not None:
                importer.store = store
            report = importer.import_paths(paths)
            assert not Item.objects.filter(created_at__isnull=True).exists()
            outcome = (report, full_snapshot())
            raise RolledBack
    except RolledBack:
        return outcome


def test_reading_in_a_second_process_reports_and_stores_exactly_the_same(data_dir):
    paths = [data_dir / "redif", data_dir / "import"]
    single_report, single = import_and_roll_back(paths, parallel_min_bytes=None)
    parallel_report, parallel = import_and_roll_back(paths, parallel_min_bytes=0)
    assert parallel_report == single_report
    assert parallel_report.errors
    assert parallel_report.warnings
    assert sum(parallel_report.created.values()) > 20
    assert parallel == single


def test_the_reader_process_makes_the_same_reads_and_fingerprints(data_dir, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 2)
    files = list(redif_files([data_dir / "redif"]))
    with reading.ReaderProcess(files) as reads:
        deadline = time.monotonic() + 10
        while reads.queue.qsize() < 4 and time.monotonic() < deadline:  # the importer is behind
            time.sleep(0.01)
        reads = list(reads)
    assert [one[:4] for one in reads] == [one[:4] for one in reading.read_files(files)]
    fingerprinted = [(record, fp) for _, record, _, _, fp in reads if fp is not None]
    assert fingerprinted
    assert all(fp == fingerprint(record) for record, fp in fingerprinted)


def test_the_reader_process_ends_when_the_importer_stops_early(data_dir):
    files = list(redif_files([data_dir / "redif"]))
    with reading.ReaderProcess(files) as reads:
        next(iter(reads))
    assert not reads.process.is_alive()


def test_a_failing_reader_process_stops_the_import_with_a_report(data_dir, monkeypatch, caplog):
    """A bug in the reader process: the import stops with an error in its report (and the
    traceback in the log), never an exception out of import_paths."""

    def broken(template):
        raise ValueError("a bug")

    monkeypatch.setattr(reading, "to_record", broken)
    with caplog.at_level(logging.ERROR, logger="catalogue.ingest.importer"):
        report = Importer(parallel_min_bytes=0).import_paths([data_dir / "import"])
    assert not report.ok
    assert "the import stopped on an internal error (RuntimeError)" in report.errors[-1]
    assert re.search(r"reader process failed(?s:.)*ValueError: a bug", caplog.text)
    assert not Item.objects.exists()


def test_the_fast_store_writes_what_the_orm_writes(data_dir):
    paths = [data_dir / "redif", data_dir / "import"]
    _, orm = import_and_roll_back(paths, store=OrmStore())
    _, fast = import_and_roll_back(paths)
    assert fast == orm


def test_an_update_keeps_the_row_its_creation_time_and_citation_count(data_dir, tmp_path):
    text = (data_dir / "import" / "jrc.rdf").read_text().replace("Creation-Date: 2017-10", "Creation-Date: 2018-01")
    text = text.replace("Title: ", "Title: Revised: ", 1).replace("Keywords: ", "Keywords: new keyword; ", 1)
    (tmp_path / "jrc.rdf").write_text(text)
    _, fresh = import_and_roll_back([tmp_path])
    Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    before = Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028")
    Item.objects.filter(pk=before.pk).update(citation_count=7)
    report = Importer().import_paths([tmp_path])
    updated = full_snapshot()
    fields = [f.attname for f in Item._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    count = fields.index("citation_count")
    assert [row[:count] + row[count + 1 :] for row in updated[0] if "jrc108028" in row] == [
        row[:count] + row[count + 1 :] for row in fresh[0] if "jrc108028" in row
    ]  # the item row: as if imported afresh, but its citation count
    assert updated[1:] == fresh[1:]  # the children: as if imported afresh
    assert report.updated == {"paper": 1}
    assert report.unchanged == {"archive": 1, "series": 1, "paper": 1}
    after = Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028")
    assert after.pk == before.pk
    assert after.created_at == before.created_at
    assert after.updated_at > before.updated_at
    assert after.citation_count == 7
    assert after.creation_date == "2018-01"
    assert after.authorships.count() == 2
    assert after.files.count() == before.files.count()
    assert sorted(after.jel_codes.values_list("code", flat=True)) == ["O31", "R58"]


def test_a_row_the_database_refuses_in_a_batch_is_reported_and_the_rest_written():
    # two handles, one item URL: the second breaks the unique (series, slug) constraint
    report = import_text(
        "Template-Type: ReDIF-Series 1.0\nName: S\nMaintainer-Email: m@example.org\nHandle: RePEc:abc:series\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: One\nAuthor-Name: A. B\nKeywords: k\nHandle: RePEc:abc:series:a:b\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: Two\nAuthor-Name: C. D\nKeywords: k\nHandle: RePEc:abc:series:ab\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: Three\nAuthor-Name: E. F\nHandle: RePEc:abc:series:c\n"
    )
    assert report.created == {"series": 1, "paper": 2}
    assert len(report.errors) == 1
    assert report.errors[0].startswith("upload.rdf:12: the database refused this template: ")
    assert sorted(Item.objects.values_list("title", flat=True)) == ["One", "Three"]
    assert list(Authorship.objects.order_by("name").values_list("name", flat=True)) == ["A. B", "E. F"]
    assert ItemKeyword.objects.get().item.title == "One"


def test_a_new_keyword_is_named_as_first_written():
    import_text(
        "Template-Type: ReDIF-Series 1.0\nName: S\nMaintainer-Email: m@example.org\nHandle: RePEc:abc:series\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: One\nAuthor-Name: A. B\nKeywords: Game Theory\n"
        "Handle: RePEc:abc:series:1\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: Two\nAuthor-Name: C. D\nKeywords: game theory\n"
        "Handle: RePEc:abc:series:2\n"
    )
    assert list(Keyword.objects.values_list("key", "name")) == [("game theory", "Game Theory")]
    assert ItemKeyword.objects.filter(keyword__key="game theory").count() == 2


def test_fingerprints_are_those_earlier_versions_stored(data_dir):
    """So that upgrading does not take every stored item for changed."""

    def earlier(record):
        data = dataclasses.asdict(record)
        data.pop("path"), data.pop("line")
        if not data["versions"]:  # records had no version links before issue 20
            data.pop("versions")
        for people in (data["authors"], data["editors"]):  # earlier versions had no Author-Orcid
            for person in people:
                assert person.pop("orcid") == ""
        return hashlib.blake2b(json.dumps(data, sort_keys=True, default=str).encode(), digest_size=16).hexdigest()

    files = redif_files([data_dir / "redif", data_dir / "import"])
    records = [record for _, record, *_ in reading.read_files(files)]
    records = [r for r in records if isinstance(r, ItemRecord)]
    assert len(records) > 20
    assert [fingerprint(r) for r in records] == [earlier(r) for r in records]
    # an Author-Orcid given is part of what the template says
    before = fingerprint(records[0])
    records[0].authors[0].orcid = "0000-0002-1825-0097"
    assert fingerprint(records[0]) != before


def test_a_line_continuing_no_field_is_a_warning_and_the_template_lands(tmp_path, capsys):
    """Issue 14, defect 11: it was counted as an error (the command exited 1) while the
    template landed."""
    text = (
        "Template-Type: ReDIF-Series 1.0\nName: S\nMaintainer-Email: m@example.org\nHandle: RePEc:abc:series\n\n"
        "Template-Type: ReDIF-Paper 1.0\nstray words\nTitle: T\nAuthor-Name: A. B\nHandle: RePEc:abc:series:1\n"
    )
    report = import_text(text)
    assert report.errors == []
    assert report.warnings == ["upload.rdf:7: line continues no field; ignored"]
    assert report.created == {"series": 1, "paper": 1}
    (tmp_path / "stray.rdf").write_text(text)
    call_command("import_redif", str(tmp_path / "stray.rdf"))  # exits 0: raises nothing
    assert "warning: " in capsys.readouterr().err


def test_an_item_with_more_authors_than_positions_is_refused_before_anything_is_written():
    """Issue 14, defect 11: 32,768 authors were refused by PostgreSQL with a raw message (and
    landed on SQLite), and the item's placeholder series stayed behind."""
    authors = "".join(f"Author-Name: Author {i}\n" for i in range(32_768))
    report = import_text(f"Template-Type: ReDIF-Paper 1.0\nTitle: Crowd\n{authors}Handle: RePEc:zzz:lonely:1\n")
    assert report.errors == [
        f"upload.rdf:{3 + 32_767}: more than 32,767 authors and editors, the most an item may have; template skipped"
    ]
    assert report.warnings == []
    assert not report.created
    assert not Item.objects.exists()
    assert not Series.objects.exists()
    assert not Archive.objects.exists()


@pytest.mark.usefixtures("database_refuses_bad_items")
def test_no_placeholder_series_is_left_behind_for_items_the_database_refuses():
    report = import_text(
        "Template-Type: ReDIF-Paper 1.0\nTitle: Bad\nAuthor-Name: A. B\nHandle: RePEc:zzz:lonely:bad\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: Good\nAuthor-Name: A. B\nHandle: RePEc:zzz:keepit:good\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: Bad\nAuthor-Name: A. B\nHandle: RePEc:zzz:keepit:bad\n\n"
    )
    assert report.errors == [
        "upload.rdf:1: the database refused this template: simulated refusal",
        "upload.rdf:11: the database refused this template: simulated refusal",
    ]
    assert report.created == {"paper": 1}
    assert list(Series.objects.values_list("code", flat=True)) == ["keepit"]  # not "lonely"
    assert [w for w in report.warnings if "placeholder" in w] == [
        "upload.rdf:6: no ReDIF-Series template for RePEc:zzz:keepit: its items are listed under a placeholder "
        "until one is imported"
    ]
    assert list(Item.objects.values_list("title", flat=True)) == ["Good"]
