"""The sitemaps over HTTP: the index lists every section's files, each file is a valid urlset of
absolute addresses on the host asked, robots.txt names the index, and only the index is kept by
the page cache (a section's file streams)."""

import pytest
from django.test import Client
from lxml import etree

from catalogue.browse import sitemaps
from catalogue.models import JelCode

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml(response) -> etree._Element:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return etree.fromstring(body)


@pytest.fixture
def catalogue(item_factory, series_factory, person_factory, jel_code_factory, nep_issue_factory):
    series = series_factory(code="iptwpa", archive__code="ipt")
    items = [item_factory(series=series, slug=f"jrc{n}") for n in range(3)]
    person_factory(short_id="pau1")
    jel_code_factory(code="O31")
    nep_issue_factory(report__code="nep-ino")
    return items


@pytest.fixture
def other_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "econcat.example"]


def test_index_lists_a_file_per_section_on_the_host_asked(client, catalogue, other_host):
    root = xml(client.get("/sitemap.xml", HTTP_HOST="econcat.example"))
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locations = root.xpath("sm:sitemap/sm:loc/text()", namespaces=NS)
    assert locations == [
        f"http://econcat.example/sitemap-{name}-0.xml"
        for name in ["items", "series", "archives", "authors", "jel", "nep"]
    ]


def test_every_file_of_the_index_answers_a_valid_urlset(client, catalogue):
    index = xml(client.get("/sitemap.xml"))
    seen = []
    for location in index.xpath("sm:sitemap/sm:loc/text()", namespaces=NS):
        root = xml(client.get(location.removeprefix("http://testserver")))
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        for url in root.xpath("sm:url", namespaces=NS):
            assert [child.tag.split("}")[1] for child in url] in (["loc", "lastmod"], ["loc"])
        seen += root.xpath("sm:url/sm:loc/text()", namespaces=NS)
    jel_codes = JelCode.objects.count()  # the JEL tree comes with the migrations
    assert len(seen) == 3 + 1 + 1 + 1 + jel_codes + 1
    assert [f"http://testserver{item.get_absolute_url()}" for item in catalogue] == seen[:3]
    for location in [*seen[:6], seen[-1], "http://testserver/j/O31.html"]:  # the addresses are live pages
        assert client.get(location.removeprefix("http://testserver")).status_code == 200, location


def test_addresses_are_escaped_in_the_xml(client, item_factory):
    item = item_factory(slug="a&b")
    root = xml(client.get("/sitemap-items-0.xml"))
    assert root.xpath("sm:url/sm:loc/text()", namespaces=NS) == [f"http://testserver{item.get_absolute_url()}"]


def test_a_file_streams_in_chunks(client, monkeypatch, item_factory, series_factory):
    monkeypatch.setattr("catalogue.views.sitemaps.LINES_PER_CHUNK", 2)
    series = series_factory()
    for _ in range(5):
        item_factory(series=series)
    response = client.get("/sitemap-items-0.xml")
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) == 1 + 2 + 1  # the head, two full chunks, the last address with the tail
    assert b"".join(chunks).count(b"<url>") == 5


@pytest.mark.parametrize("address", ["/sitemap-items-1.xml", "/sitemap-nothing-0.xml", "/sitemap-items-0.xml"])
def test_unknown_or_empty_files_are_404(client, address):
    assert client.get(address).status_code == 404


def test_an_item_file_past_the_first_range(client, monkeypatch, item_factory):
    monkeypatch.setattr(sitemaps, "PER_FILE", 10)
    item = item_factory(pk=15)
    index = xml(client.get("/sitemap.xml"))
    assert "http://testserver/sitemap-items-1.xml" in index.xpath("sm:sitemap/sm:loc/text()", namespaces=NS)
    root = xml(client.get("/sitemap-items-1.xml"))
    assert root.xpath("sm:url/sm:loc/text()", namespaces=NS) == [f"http://testserver{item.get_absolute_url()}"]


def test_robots_txt_names_the_index_on_the_host_asked(client, other_host):
    body = client.get("/robots.txt", HTTP_HOST="econcat.example").content.decode()
    assert "Sitemap: http://econcat.example/sitemap.xml\n" in body


@pytest.mark.django_db(transaction=True)
def test_the_page_cache_keeps_the_index_not_the_files(settings, catalogue):
    settings.PAGE_CACHE_SECONDS = 600
    anonymous = Client()
    assert anonymous.get("/sitemap.xml")["X-Page-Cache"] == "miss"
    assert anonymous.get("/sitemap.xml")["X-Page-Cache"] == "hit"
    for _ in range(2):
        assert "X-Page-Cache" not in anonymous.get("/sitemap-items-0.xml")
