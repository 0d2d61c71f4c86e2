"""Version links written back by the ReDIF exports (issue 20): the single item's `.rdf`, OAI-PMH's
`redif` records and the RePEc archive files each write the links a template stated (under the
field that stated them) and the versions an author confirmed (as the version-handle field of the
other record's type), never a refusal; the other record by its current handle. Each export,
imported into an emptied catalogue, gives the same links and the same groups."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from catalogue.harvest import harvest_archive
from catalogue.ingest.importer import Importer
from catalogue.models import Archive, HandleAlias, Item, Keyword, Person, Series, VersionLink
from catalogue.redif.parser import parse_text

from ..citations.test_versions import SERIES  # papers, a journal, books, chapters under RePEc:abc
from .conftest import body_of, mirror

pytestmark = pytest.mark.django_db

OAI_NS = {"o": "http://www.openarchives.org/OAI/2.0/", "r": "https://econcat.example/oai/redif"}


def template(kind: str, code: str, title: str, *extra: str) -> str:
    lines = "".join(f"{line}\n" for line in extra)
    head = f"Template-Type: ReDIF-{kind} 1.0\nTitle: {title}\nAuthor-Name: Ana Autora\n"
    return f"{head}{lines}Handle: RePEc:abc:{code}\n\n"


def import_text(text: str) -> None:
    importer = Importer()
    importer.import_templates(parse_text(text, "links.rdf"))
    report = importer.finish()
    assert not report.errors, report.errors


def item(code: str) -> Item:
    return Item.objects.get(handle_key=f"repec:abc:{code}".lower())


@pytest.fixture
def linked():
    """A paper and its article (stated, the article under a capitalised code); a paper naming a
    record not imported; an article naming a paper by its old handle; a book naming its chapters
    (second first) and a chapter naming its book; a paper and an article an author confirmed as
    one work, and another pair an author refused."""
    import_text(
        SERIES
        + template("Paper", "wpaper:1", "Trade and growth", "Article-Handle: RePEc:abc:journl:V1",
                   "Software-Handle: RePEc:zzz:softwr:9")
        + template("Article", "journl:V1", "Trade and growth, the article")
        + template("Paper", "wpaper:2", "Renamed paper")
        + template("Article", "journl:v2", "Renamed paper, published", "Paper-Handle: RePEc:abc:wpaper:was")
        + template("Book", "bookss:1", "Essays", "HasChapter: RePEc:abc:chapts:2", "HasChapter: RePEc:abc:chapts:1")
        + template("Chapter", "chapts:1", "First essay", "In-Book: RePEc:abc:bookss:1")
        + template("Chapter", "chapts:2", "Second essay")
        + template("Paper", "wpaper:3", "Confirmed paper")
        + template("Article", "journl:v3", "Confirmed paper, the article")
        + template("Paper", "wpaper:4", "Refused paper")
        + template("Article", "journl:v4", "Refused paper, the article")
    )  # fmt: skip
    HandleAlias.objects.create(item=item("wpaper:2"), handle="RePEc:abc:wpaper:was")
    VersionLink.objects.create(item=item("wpaper:3"), other_key="repec:abc:journl:v3", source="confirmed")
    VersionLink.objects.create(item=item("wpaper:4"), other_key="repec:abc:journl:v4", source="refused")
    from catalogue.changes.versions import regroup

    regroup(Item.objects.values_list("pk", flat=True))  # the ORM writes above, as their receivers would on commit
    return links()


def links() -> dict:
    """The links that count (stated and confirmed), each by the records' current handles (the
    other's key when it is not imported), and the groups, by their members' handles."""
    current = dict(Item.objects.values_list("handle_key", "handle_key"))
    current.update(HandleAlias.objects.values_list("handle_key", "item__handle_key"))
    rows = VersionLink.objects.filter(source__in=["stated", "confirmed"]).values_list(
        "item__handle_key", "relation", "other_key"
    )
    groups: dict[int, set[str]] = {}
    for key, group in Item.objects.filter(version_group__isnull=False).values_list("handle_key", "version_group"):
        groups.setdefault(group, set()).add(key)
    return {
        "links": sorted((key, relation, current.get(other, other)) for key, relation, other in rows),
        "groups": sorted(sorted(members) for members in groups.values()),
    }


def empty_the_catalogue() -> None:
    for model in (Item, Keyword, Series, Archive, Person):
        model.objects.all().delete()
    assert not VersionLink.objects.exists()


def rdf(client, code: str) -> str:
    response = client.get(f"/cite/{item(code).handle}.rdf")
    assert response.status_code == 200
    return response.content.decode()


def test_the_rdf_export_writes_each_items_links(client, linked):
    assert linked["groups"] == [
        ["repec:abc:journl:v1", "repec:abc:wpaper:1"],
        ["repec:abc:journl:v2", "repec:abc:wpaper:2"],
        ["repec:abc:journl:v3", "repec:abc:wpaper:3"],
    ]
    paper = rdf(client, "wpaper:1")
    # the article by its handle as published; a record not imported as the link names it
    assert "Article-Handle: RePEc:abc:journl:V1\nSoftware-Handle: repec:zzz:softwr:9\n" in paper
    assert "Paper-Handle: RePEc:abc:wpaper:2\n" in rdf(client, "journl:v2")  # the current handle, not the old one
    assert "HasChapter: RePEc:abc:chapts:2\nHasChapter: RePEc:abc:chapts:1\n" in rdf(client, "bookss:1")
    assert "In-Book: RePEc:abc:bookss:1\n" in rdf(client, "chapts:1")
    assert "Article-Handle: RePEc:abc:journl:v3\n" in rdf(client, "wpaper:3")  # confirmed: the other's type
    for code in ("wpaper:4", "journl:v4", "chapts:2", "journl:V1"):  # refused, or stating nothing
        assert "-Handle:" not in rdf(client, code).replace("\nHandle:", "")
        assert "In-Book" not in rdf(client, code)


def test_rdf_exports_imported_into_an_empty_catalogue_give_the_same_links(client, linked):
    codes = [key.removeprefix("repec:abc:") for key in Item.objects.values_list("handle_key", flat=True)]
    text = SERIES + "\n".join(rdf(client, code) for code in codes)
    empty_the_catalogue()
    import_text(text)
    assert links() == linked
    assert set(VersionLink.objects.values_list("source", flat=True)) == {"stated"}  # the confirmed one now stated


def oai_redif(client) -> str:
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "redif"})
    assert response.status_code == 200
    root = ET.fromstring(body_of(response))
    assert root.find(".//o:resumptionToken", OAI_NS) is None
    return "\n".join(element.text or "" for element in root.iterfind(".//r:redif", OAI_NS))


def test_oai_redif_records_imported_into_an_empty_catalogue_give_the_same_links(client, linked):
    text = oai_redif(client)
    assert "HasChapter: RePEc:abc:chapts:2\nHasChapter: RePEc:abc:chapts:1\n" in text
    empty_the_catalogue()
    import_text(SERIES + text)
    assert links() == linked


@pytest.mark.django_db(transaction=True)
def test_the_repec_files_harvested_back_give_the_same_links(client, linked, files_server, settings):
    settings.HARVEST_DELAY = 0.001
    settings.HARVEST_RETRIES = 1
    settings.HARVEST_ALLOW_PRIVATE = True  # the files are served on loopback
    settings.HARVEST_ALLOW_NETWORKS = []
    settings.OAI_ADMIN_EMAIL = "catalogue@example.org"  # the archive's maintainer, which RePEc requires
    files_server.files.update(mirror(client, files_server.host, "abc"))
    empty_the_catalogue()
    archive = Archive.objects.create(
        code="abc", handle="RePEc:abc", name="abc", url=f"http://{files_server.host}/repec/abc/"
    )
    run = harvest_archive(archive)
    assert (run.status, run.errors, run.files_failed) == ("ok", "", 0)
    assert links() == linked


@pytest.mark.parametrize("n", [2, 20])
def test_the_exports_of_many_items_read_their_links_in_one_query(
    client, series_factory, item_factory, n, django_assert_max_num_queries, settings
):
    settings.OAI_PAGE_SIZE = 100
    series = series_factory(archive__code="lnk", code="lnkwpa", handle="RePEc:lnk:lnkwpa")
    for k in range(n):
        paper = item_factory(series=series, slug=f"p{k}", handle=f"RePEc:lnk:lnkwpa:p{k}")
        VersionLink.objects.create(item=paper, other_key=f"repec:lnk:lnkart:a{k}", field="article-handle")
        VersionLink.objects.create(item=paper, other_key=f"repec:lnk:lnkwpa:p{(k + 1) % n}", field="paper-handle")
    # the page of records: items, authorships, keywords, JEL codes, files, version links; the count
    with django_assert_max_num_queries(7):
        text = oai_redif(client)
    assert text.count("Article-Handle: repec:lnk:lnkart:") == n
    assert text.count("Paper-Handle: RePEc:lnk:lnkwpa:p") == n  # imported: by its handle as published
    # archive, series, a page of items: items, authorships, keywords, JEL codes, files, version links
    with django_assert_max_num_queries(8):
        response = client.get("/repec/lnk/lnkwpa/lnkwpa.rdf")
        body = body_of(response).decode()
    assert body.count("Article-Handle: repec:lnk:lnkart:") == n
