"""The dump (catalogue.opendata): every file read back with gzip and json matches its manifest
and the database, holds no e-mail address, costs a fixed number of queries a chunk, and a
failure halfway leaves the dump before it in place."""

import gzip
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue import opendata
from catalogue.models import Affiliation, Archive, Institution, Item, NepIssue, Person, Reference, Series
from catalogue.opendata import records, writer

from .conftest import SECRET_EMAILS, read_dump

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
KINDS = ["archives", "series", "items", "persons", "institutions", "citations", "nep", "statistics"]


@pytest.mark.django_db
def test_the_dump_of_the_demo_matches_the_database_and_its_manifest(settings):
    out = StringIO()
    call_command("load_demo", stdout=out)  # load_demo ends with a dump (make run's "Open data" page)
    assert "dump " in out.getvalue()
    folder = settings.OPEN_DATA_DIR / "current"
    manifest, found = read_dump(folder)
    assert manifest["schema"] == writer.SCHEMA
    assert manifest["licence"]["metadata"] == "CC0-1.0"
    assert [entry["kind"] for entry in manifest["files"]] == KINDS
    assert {r["handle"] for r in found["items"]} == set(Item.objects.values_list("handle", flat=True))
    assert {r["handle"] for r in found["series"]} == set(Series.objects.values_list("handle", flat=True))
    assert {r["code"] for r in found["archives"]} == set(Archive.objects.values_list("code", flat=True))
    assert {r["short_id"] for r in found["persons"]} == set(Person.objects.values_list("short_id", flat=True))
    assert len(found["nep"]) == NepIssue.objects.count()
    counted = Reference.objects.filter(status__in=Reference.Status.counted(), target__isnull=False)
    assert sorted((r["citing"], r["cited"]) for r in found["citations"]) == sorted(
        counted.values_list("citing__handle", "target__handle")
    )
    seed = next(r for r in found["items"] if r["handle"] == "RePEc:ipt:iptwpa:jrc108028")
    item = Item.objects.for_export().by_handle("RePEc:ipt:iptwpa:jrc108028").get()
    assert seed["title"] == item.title
    assert seed["abstract"] == item.abstract
    assert seed["series"] == item.series.handle
    assert seed["page"] == item.get_absolute_url()
    assert [a["name"] for a in seed["authors"]] == [a.name for a in item.authorships.all()]
    assert seed["jel"] == sorted(j.code for j in item.jel_codes.all())
    assert seed["keywords"] == [k.keyword.name for k in item.item_keywords.all()]
    assert [f["url"] for f in seed["files"]] == [f.url for f in item.files.all()]
    statistics = {r["handle"]: r for r in found["statistics"]}
    assert statistics["RePEc:ipt:iptwpa:jrc108028"]["views_all"] == item.stat_totals.views_all > 0


@pytest.mark.django_db
def test_each_kind_holds_what_the_database_holds(settings, catalogue_rows):
    _first, _second, _person = catalogue_rows
    _, found = read_dump(opendata.dump().folder)
    items = {r["handle"]: r for r in found["items"]}
    assert items["RePEc:tst:wpaper:1"]["authors"] == [
        {"name": "Example, Tess", "role": "author", "workplace": "", "homepage": "", "person": "pte1", "orcid": ""},
        {"name": "Stranger, Una", "role": "author", "workplace": "", "homepage": "", "person": "", "orcid": ""},
    ]
    assert items["RePEc:tst:wpaper:1"]["keywords"] == ["Growth"]
    assert items["RePEc:tst:wpaper:1"]["jel"] == ["O4"]
    assert items["RePEc:tst:wpaper:1"]["files"][0]["url"] == "https://example.org/1.pdf"
    assert items["RePEc:tst:wpaper:2"]["year"] == 2021
    # only what counts as a citation: the matched one, not the unmatched nor the rejected
    assert found["citations"] == [
        {
            "citing": "RePEc:tst:wpaper:2",
            "cited": "RePEc:tst:wpaper:1",
            "status": "matched",
            "text": "Example (2020) First paper",
        }
    ]
    assert found["persons"][0]["works"] == ["RePEc:tst:wpaper:1", "RePEc:tst:wpaper:2"]
    assert found["nep"][0]["items"] == ["RePEc:tst:wpaper:1", "RePEc:tst:wpaper:2"]
    # an affiliation gives the institution its handle names, when imported here
    assert found["persons"][0]["affiliations"] == [
        {
            "name": "Economics, Test U",
            "institution": "RePEc:edi:tdepous",
            "share": 70,
            "institution_record": {
                "handle": "RePEc:edi:tdepous",
                "code": "tdepous",
                "name": "Department of Economics",
                "country": "US",
                "location": "",
                "homepage": "https://econ.test.example/",
                "page": "/i/tdepous.html",
            },
        },
        {"name": "Elsewhere", "institution": "RePEc:edi:zzzzzzz", "share": 30, "institution_record": None},
    ]
    assert found["institutions"] == [
        {
            "handle": "RePEc:edi:tuniius",
            "code": "tuniius",
            "name": "Test University",
            "levels": [{"name": "Test University"}],
            "location": "Testville",
            "country": "US",
            "homepage": "",
            "postal": "",
            "parent": "",
            "authors": 0,
            "page": "/i/tuniius.html",
        },
        {
            "handle": "RePEc:edi:tdepous",
            "code": "tdepous",
            "name": "Department of Economics",
            "levels": [{"name": "Test University"}, {"name": "Department of Economics"}],
            "location": "",
            "country": "US",
            "homepage": "https://econ.test.example/",
            "postal": "1 Test Road",
            "parent": "RePEc:edi:tuniius",
            "authors": 0,
            "page": "/i/tdepous.html",
        },
    ]


@pytest.mark.django_db
def test_no_file_holds_an_email_address(settings, catalogue_rows):
    folder = opendata.dump().folder
    for path in folder.iterdir():
        data = path.read_bytes()
        text = gzip.decompress(data).decode() if path.name.endswith(".gz") else data.decode()
        assert EMAIL.findall(text) == [], path.name
        for email in SECRET_EMAILS:
            assert email not in text


@pytest.mark.django_db
def test_the_nep_file_reloads_with_import_nep(settings, tmp_path, catalogue_rows):
    _, found = read_dump(opendata.dump().folder)
    NepIssue.objects.all().delete()
    (tmp_path / "nep.jsonl").write_text("".join(json.dumps(r) + "\n" for r in found["nep"]))
    call_command("import_nep", str(tmp_path / "nep.jsonl"), stdout=StringIO())
    issue = NepIssue.objects.get()
    assert [a.item.handle for a in issue.announcements.order_by("position")] == found["nep"][0]["items"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 100])
def test_a_chunk_costs_a_fixed_number_of_queries(
    count,
    django_assert_max_num_queries,
    series_factory,
    item_factory,
    authorship_factory,
    person_factory,
    reference_factory,
):
    """Chunks of 5 rows. Each kind reads chunk after chunk, then one query finds nothing more:
    items 5 a chunk (items with series and archive, authorships with persons, keywords, JEL
    codes, files); persons 3 (persons, affiliations with their institutions, works); NEP issues
    2; archives, series, institutions (with parents and totals), citations and statistics 1. One
    archive, one series, one person with 3 affiliations, 6 institutions, `count` items each with
    an author and a citation of the first: c = count / 5 chunks of items and of citations.
        archives 1 + 1, series 1 + 1, items 5c + 1, persons 3 + 1, institutions 2 + 1,
        citations c + 1, NEP 0 + 1, statistics 0 + 1 = 6c + 15: 27 for 10 items, 135 for 100;
        never a query a row."""
    series = series_factory()
    person = person_factory()
    parent = None
    for n in range(6):
        code = f"inst{n}us"[:7].ljust(7, "x")
        parent = Institution.objects.create(
            handle=f"RePEc:edi:{code}", handle_key=f"repec:edi:{code}", code=code, name=f"I{n}", parent=parent
        )
        if n % 2:
            Affiliation.objects.create(person=person, position=n, name=f"I{n}", institution=parent.handle,
                                       institution_ref=parent)  # fmt: skip
    made = item_factory.create_batch(count, series=series)
    for n, item in enumerate(made):
        authorship_factory(item=item, position=1, person=person if n % 2 else None)
        reference_factory(citing=item, position=1, target=made[0], status=Reference.Status.MATCHED)
    chunks = count // 5
    with django_assert_max_num_queries(6 * chunks + 15):
        written = opendata.dump(chunk_size=5)
    assert written.manifest["files"][2]["records"] == count


@pytest.mark.django_db
def test_a_failure_halfway_leaves_the_dump_before_in_place(settings, monkeypatch, catalogue_rows):
    before = opendata.dump()
    manifest_before = (before.folder / "manifest.json").read_text()
    calls = {"n": 0}
    real = records.item_record

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 1:
            raise RuntimeError("the disk is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(records, "item_record", failing)
    with pytest.raises(RuntimeError, match="the disk is full"):
        opendata.dump(chunk_size=1)
    current = opendata.current()
    assert current is not None
    assert current.folder == before.folder
    assert (current.folder / "manifest.json").read_text() == manifest_before
    read_dump(current.folder)  # whole, and as its manifest says
    # nothing of the failed dump is left beside it
    assert sorted(p.name for p in settings.OPEN_DATA_DIR.iterdir()) == sorted([before.folder.name, "current"])


@pytest.mark.django_db
def test_the_command_reports_a_folder_it_cannot_write(settings, tmp_path, catalogue_rows):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(CommandError, match="could not be written"):
        call_command("dump_catalogue", "--to", str(blocked / "dump"), stdout=StringIO())
    with pytest.raises(CommandError, match="--chunk-size"):
        call_command("dump_catalogue", "--chunk-size", "0", stdout=StringIO())


@pytest.mark.django_db
def test_a_new_dump_replaces_the_current_one_and_keeps_one_before(settings, catalogue_rows, item_factory):
    first = opendata.dump()
    item_factory(handle="RePEc:tst:wpaper:3")
    second = opendata.dump()
    third = opendata.dump()
    assert len({first.folder, second.folder, third.folder}) == 3
    assert opendata.current().folder == third.folder
    assert sorted(p.name for p in settings.OPEN_DATA_DIR.iterdir()) == sorted(
        [second.folder.name, third.folder.name, "current"]
    )
    assert third.manifest["files"][2]["records"] == first.manifest["files"][2]["records"] + 1


def test_every_kind_is_documented_with_its_fields():
    assert [kind.name for kind in records.KINDS] == KINDS
    for kind in records.KINDS:
        assert kind.description
        assert kind.fields


@pytest.mark.django_db
def test_each_records_page_is_the_objects_address(item_factory, person_factory):
    """The addresses are formatted from one reverse() a URL name (catalogue.opendata.records.
    address): the same as get_absolute_url(), odd characters quoted alike."""
    odd = item_factory(slug="wp 1%2ä;x", handle="RePEc:tst:odd:wp 1%2ä;x")
    book = item_factory(kind="book", series__kind="book")
    person = person_factory(short_id="pöd1")
    _, found = read_dump(opendata.dump().folder)
    pages = {r["handle"]: r["page"] for r in found["items"]}
    assert pages[odd.handle] == odd.get_absolute_url()
    assert pages[book.handle] == book.get_absolute_url()
    assert pages[book.handle].startswith("/b/")
    assert found["persons"][0]["page"] == person.get_absolute_url()
    series = {r["handle"]: r["page"] for r in found["series"]}
    assert series[odd.series.handle] == odd.series.get_absolute_url()
    archives = {r["code"]: r["page"] for r in found["archives"]}
    assert archives[odd.series.archive.code] == odd.series.archive.get_absolute_url()
