"""The RePEc archive files of one archive (catalogue.views.repec): the folder's index page,
`<code>arch.rdf`, `<code>seri.rdf`, a folder and a file per series; what each holds, read back
with the project's ReDIF parser; the queries each takes; 404 for what is not there."""

from __future__ import annotations

import pytest
from django.utils import timezone

from catalogue.formatting.redif import item_template
from catalogue.harvest.listing import html_entries
from catalogue.models import Item
from catalogue.redif.parser import Template, parse_bytes

from .conftest import HARD_ABSTRACT, body_of

pytestmark = pytest.mark.django_db


def templates(body: bytes) -> list[Template]:
    parsed = list(parse_bytes(body, "served.rdf"))
    assert all(isinstance(t, Template) for t in parsed), parsed  # no error, no warning
    return parsed  # type: ignore[return-value]


def get(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def test_the_archive_folder_links_its_two_files_and_a_folder_per_series_with_items(client, hard_archive, series_factory,
                                                                                   item_factory):  # fmt: skip
    emptied = series_factory(archive=hard_archive, code="hrdold")
    item_factory(series=emptied, withdrawn_at=timezone.now())
    response = get(client, "/repec/hrd/")
    assert response["Content-Type"].startswith("text/html")
    entries = html_entries("http://testserver/repec/hrd/", response.content)
    assert [(e.name, e.is_dir) for e in entries] == [
        ("hrdarch.rdf", False), ("hrdseri.rdf", False), ("hrdbok", True), ("hrdwpa", True),
    ]  # fmt: skip
    assert entries[3].url == "http://testserver/repec/hrd/hrdwpa/"
    folder = get(client, "/repec/hrd/hrdwpa/")
    assert [e.url for e in html_entries(entries[3].url, folder.content)] == [
        "http://testserver/repec/hrd/hrdwpa/hrdwpa.rdf"
    ]


def test_the_archive_file_names_this_address_as_the_archive_url(client, hard_archive):
    response = get(client, "/repec/hrd/hrdarch.rdf")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    (archive,) = templates(response.content)
    assert archive.kind == "archive"
    assert archive.value("url") == "http://testserver/repec/hrd/"
    assert archive.value("handle") == "RePEc:hrd"
    assert archive.value("name") == "Härd Ärchive"
    assert archive.value("maintainer-email") == hard_archive.maintainer_email


def test_the_series_file_holds_every_series_and_a_maintainer_address_for_each(client, hard_archive, settings):
    settings.OAI_ADMIN_EMAIL = "catalogue@example.org"
    books, papers = templates(get(client, "/repec/hrd/hrdseri.rdf").content)
    assert (books.value("handle"), books.value("type")) == ("RePEc:hrd:hrdbok", "ReDIF-Book")
    assert books.value("maintainer-email") == hard_archive.maintainer_email  # it has none: the archive's
    assert (papers.value("handle"), papers.value("name"), papers.value("issn")) == (
        "RePEc:hrd:hrdwpa", "Wörking Papers", "1234-5678",
    )  # fmt: skip
    hard_archive.maintainer_email = ""
    hard_archive.save()
    books, _ = templates(get(client, "/repec/hrd/hrdseri.rdf").content)
    assert books.value("maintainer-email") == "catalogue@example.org"  # nor the archive: the site's


def test_a_series_file_streams_its_public_items_written_so_that_no_value_starts_a_field(client, hard_archive):
    response = client.get("/repec/hrd/hrdwpa/hrdwpa.rdf")
    assert response.status_code == 200
    assert response.streaming
    body = body_of(response)
    items = templates(body)
    assert [t.value("handle") for t in items] == ["RePEc:hrd:hrdwpa:hard1", "RePEc:hrd:hrdwpa:lone"]  # not "gone"
    hard = items[0]
    assert hard.value("title") == "Title: a title that looks like a field"
    assert [f.name for f in hard.fields].count("title") == 1  # the abstract's "Title:" stays in the abstract
    assert hard.value("abstract") == HARD_ABSTRACT
    assert b"\n Title: not a title\n" in body
    assert b"\n #not a comment\n" in body
    assert [f.value for f in hard.all("author-name")] == ["Zoë Ångström", "Jean-Luc O'Brien, Jr."]
    assert hard.value("author-person") == "phr1"
    assert hard.value("editor-name") == "Ed Itor"
    assert hard.value("keywords") == "growth, regional; Smart specialisation; ünïcødé"
    assert items[1].value("keywords") == "comma, inside;"  # a lone keyword keeps its comma
    assert b"zoe@example.org" not in body
    assert b"-Email" not in body
    assert [line for line in body.decode().splitlines() if line.startswith("Template-Type:")] == [
        "Template-Type: ReDIF-Paper 1.0"
    ] * 2


def test_each_file_takes_a_fixed_number_of_queries_whatever_the_series_holds(
    client, hard_archive, item_factory, authorship_factory, file_factory, django_assert_num_queries
):
    def series_file_queries(expected: int) -> None:
        with django_assert_num_queries(expected):
            body_of(client.get("/repec/hrd/hrdwpa/hrdwpa.rdf"))

    # archive, series, then a page of up to CHUNK items: items, authorships, keywords, JEL codes, files,
    # version links
    series_file_queries(2 + 6)
    series = hard_archive.series.get(code="hrdwpa")
    for _n in range(40):
        item = item_factory(series=series)
        authorship_factory(item=item, position=0)
        authorship_factory(item=item, position=1)
        file_factory(item=item, position=0)
    series_file_queries(2 + 6)
    with django_assert_num_queries(2):  # archive, series with a public item
        get(client, "/repec/hrd/")
    with django_assert_num_queries(3):  # archive, series, a public item exists
        get(client, "/repec/hrd/hrdwpa/")
    with django_assert_num_queries(2):  # archive, its series
        get(client, "/repec/hrd/hrdseri.rdf")


def test_a_big_series_is_read_a_page_at_a_time(client, hard_archive, item_factory, monkeypatch,
                                               django_assert_num_queries):  # fmt: skip
    monkeypatch.setattr("catalogue.repec.files.CHUNK", 3)
    series = hard_archive.series.get(code="hrdwpa")
    for _ in range(7):
        item_factory(series=series)
    # 9 public items in pages of 3: three full pages, then an empty one
    with django_assert_num_queries(2 + 6 * 3 + 1):
        body = body_of(client.get("/repec/hrd/hrdwpa/hrdwpa.rdf"))
    assert len(templates(body)) == 9


@pytest.mark.parametrize(
    "path",
    [
        "/repec/zzz/", "/repec/zzz/zzzarch.rdf", "/repec/hrd/other.rdf", "/repec/hrd/hrdwpaarch.rdf",
        "/repec/hrd/nosuch/", "/repec/hrd/nosuch/nosuch.rdf", "/repec/hrd/hrdwpa/other.rdf",
        "/repec/hrd/hrdold/", "/repec/hrd/hrdold/hrdold.rdf",
    ],
)  # fmt: skip
def test_what_is_not_there_is_404(client, hard_archive, series_factory, item_factory, path):
    emptied = series_factory(archive=hard_archive, code="hrdold")
    item_factory(series=emptied, withdrawn_at=timezone.now())
    response = client.get(path)
    assert response.status_code == 404


def test_the_archive_admin_page_shows_the_address_to_register_with_repec(client, publisher, publisher_archive):
    client.force_login(publisher)
    response = client.get(f"/admin/catalogue/archive/{publisher_archive.pk}/change/")
    assert response.status_code == 200
    assert 'id="repec-address"' in response.content.decode()
    assert "http://testserver/repec/pub/" in response.content.decode()
    assert "register this address with RePEc" in response.content.decode()


def test_a_series_file_holds_each_item_as_its_export_writes_it_without_addresses(client, hard_archive):
    """The file reads its pages as plain rows; the export reads model instances: the same templates."""
    body = body_of(client.get("/repec/hrd/hrdwpa/hrdwpa.rdf")).decode()
    items = Item.objects.filter(series__code="hrdwpa", withdrawn_at__isnull=True).order_by("slug").for_export()
    items = items.with_version_links()
    assert body == "# RePEc:hrd:hrdwpa: Wörking Papers\n" + "".join(
        "\n" + item_template(item, emails=False) for item in items
    )
    export = client.get("/cite/RePEc:hrd:hrdwpa:hard1.rdf").content.decode()
    assert "zoe@example.org" not in export  # nor does the single export (DECISIONS.md, D23)
