"""The item page read back by a real metadata reader (extruct): schema.org JSON-LD, Dublin Core,
Open Graph, and the Highwire tags issue 16 added; a title holding `</script>` stays data."""

import datetime
import re

import extruct
import pytest
from django.utils import timezone

from catalogue.models import Item, Kind, Reference

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


@pytest.fixture
def paper(item_factory, series_factory, authorship_factory, person_factory, jel_code_factory, keyword_factory,
          item_keyword_factory, reference_factory):  # fmt: skip
    series = series_factory(code="iptwpa", archive__code="ipt", name="JRC Research Reports", provider_name="JRC")
    item = item_factory(
        series=series, slug="jrc1", handle="RePEc:ipt:iptwpa:jrc1", title="Smart specialisation", year=2017,
        creation_date="2017-10", doi="10.2760/12345", abstract="Why regions specialise.", language="en",
    )  # fmt: skip
    Item.objects.filter(pk=item.pk).update(created_at=datetime.datetime(2018, 1, 2, 10, tzinfo=datetime.UTC))
    authorship_factory(item=item, position=0, name="Fatime Hegyi", workplace="Joint Research Centre")
    person = person_factory(short_id="pra123", name_full="Ruslan Rakhmatullin")
    authorship_factory(item=item, position=1, name="Ruslan Rakhmatullin", person=person)
    item.jel_codes.add(jel_code_factory(code="O31"))
    item_keyword_factory(item=item, keyword=keyword_factory(name="regional policy"), position=0)
    cited = item_factory(title="Cited work", year=2010, series=series_factory(kind=Kind.ARTICLE, name="Econ J"))
    authorship_factory(item=cited, position=0, name="Ann Cited")
    reference_factory(citing=item, position=0, target=cited, status=Reference.Status.MATCHED)
    reference_factory(citing=item, position=1, target=None, status=Reference.Status.UNMATCHED)
    return item, person, cited


def read(client, item) -> tuple[str, dict]:
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    data = extruct.extract(body, base_url=HOST + item.get_absolute_url(),
                           syntaxes=["json-ld", "opengraph", "dublincore"], uniform=True)  # fmt: skip
    return body, data


def test_json_ld_describes_the_item(client, paper):
    item, person, cited = paper
    _, data = read(client, item)
    [record] = data["json-ld"]
    assert record["@type"] == "Report"
    assert record["name"] == "Smart specialisation"
    assert record["url"] == HOST + item.get_absolute_url()
    assert record["datePublished"] == "2017-10"
    workplace = {"@type": "Organization", "name": "Joint Research Centre"}
    assert record["author"] == [
        {"@type": "Person", "name": "Fatime Hegyi", "affiliation": workplace},
        {"@type": "Person", "name": "Ruslan Rakhmatullin", "url": HOST + person.get_absolute_url()},
    ]
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.2760/12345"} in record["identifier"]
    assert {"@type": "PropertyValue", "propertyID": "RePEc", "value": "RePEc:ipt:iptwpa:jrc1"} in record["identifier"]
    assert record["keywords"] == ["regional policy"]
    assert [term["termCode"] for term in record["about"]] == ["O31"]
    assert record["isPartOf"] == {
        "@type": "CreativeWorkSeries", "name": "JRC Research Reports", "url": HOST + item.series.get_absolute_url()
    }  # fmt: skip
    assert record["citation"] == [
        {"@type": "CreativeWork", "name": "Cited work", "url": HOST + cited.get_absolute_url()}
    ]


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [("article", "ScholarlyArticle"), ("book", "Book"), ("chapter", "Chapter"), ("software", "SoftwareSourceCode")],
)
def test_each_kind_has_its_schema_type(client, item_factory, series_factory, kind, schema_type):
    item = item_factory(series=series_factory(kind=kind, name="Journal of Tests", issn="1234-5678"))
    [record] = read(client, item)[1]["json-ld"]
    assert record["@type"] == schema_type
    if kind == "article":
        assert record["isPartOf"] == {"@type": "Periodical", "name": "Journal of Tests", "issn": "1234-5678"}


def test_dublin_core_and_open_graph(client, paper):
    item, _, _ = paper
    _, data = read(client, item)
    [dc] = data["dublincore"]
    assert dc["@type"] == "Working paper"  # DC.type
    elements: dict[str, list[str]] = {}
    for element in dc["elements"]:
        if element["name"].startswith("DC."):  # not the page's plain `description`
            elements.setdefault(element["URI"].rsplit("/", 1)[1], []).append(element["content"])
    assert elements["title"] == ["Smart specialisation"]
    assert elements["creator"] == ["Fatime Hegyi", "Ruslan Rakhmatullin"]
    assert elements["date"] == ["2017-10"]
    assert elements["identifier"] == [
        HOST + item.get_absolute_url(),
        "RePEc:ipt:iptwpa:jrc1",
        "https://doi.org/10.2760/12345",
    ]
    assert elements["subject"] == ["regional policy", "O31 Innovation and Invention: Processes and Incentives"]
    assert elements["publisher"] == ["JRC"]
    assert elements["language"] == ["en"]
    [og] = data["opengraph"]
    assert og["og:title"] == "Smart specialisation"
    assert og["@type"] == "article"  # og:type
    assert og["og:url"] == HOST + item.get_absolute_url()
    assert og["og:description"] == "Why regions specialise."
    assert og["og:site_name"]


def test_highwire_tags_issue_16_added(client, paper):
    item, _, _ = paper
    body = client.get(item.get_absolute_url()).content.decode()
    tags = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', body)
    assert tags[1:4] == [
        ("citation_author", "Fatime Hegyi"),
        ("citation_author_institution", "Joint Research Centre"),
        ("citation_author", "Ruslan Rakhmatullin"),
    ]
    assert ("citation_online_date", "2018/01/02") in tags
    references = [content for name, content in tags if name == "citation_reference"]
    assert references == [
        "citation_title=Cited work; citation_author=Ann Cited; citation_publication_date=2010; "
        "citation_journal_title=Econ J"
    ]


def test_a_title_with_a_closing_script_tag_stays_data(client, item_factory):
    title = '</script><script>alert(1)</script> & "quotes"'
    item = item_factory(title=title, abstract="<b>bold</b>")
    body, data = read(client, item)
    assert "<script>alert(1)" not in body
    assert body.count("<script") == body.count("<script type=") + body.count("<script src=")
    [record] = data["json-ld"]
    assert record["name"] == title
    assert data["opengraph"][0]["og:title"] == title


def test_the_item_page_still_answers_for_a_withdrawn_item(client, item_factory):
    item = item_factory(withdrawn_at=timezone.now(), withdrawal_note="Duplicate")
    assert read(client, item)[1]["json-ld"][0]["name"] == item.title
