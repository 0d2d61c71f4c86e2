"""The institutions' pages are cached for anonymous readers and live on the next request after
an import of institutions or persons, a profile saved, or a statistics refresh (issue 20)."""

import datetime

import pytest
from django.test import Client

from catalogue.ingest.importer import Importer
from catalogue.models import Affiliation, Authorship, Institution, Person
from catalogue.redif.parser import parse_text
from catalogue.stats.rollups import refresh_all

pytestmark = pytest.mark.django_db(transaction=True)  # versions move when a write commits

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
YALE = (
    "Template-Type: ReDIF-Institution 1.0\nPrimary-Name: {}\nPrimary-Location: New Haven\nHandle: RePEc:edi:yaleeus\n\n"
)
PERSON = (
    "Template-Type: ReDIF-Person 1.0\nName-Full: Ana Autora\nShort-Id: pau1\n"
    "Workplace-Institution: RePEc:edi:yaleeus\nHandle: RePEc:per:2020-01-01:ana_autora\n\n"
)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def anonymous() -> Client:
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.10")


def run(text: str) -> None:
    importer = Importer()
    importer.import_templates(parse_text(text, "edirc.rdf"))
    assert not importer.finish().errors


def test_imports_profiles_and_refreshes_are_live_on_the_next_request(item_factory):
    run(YALE.format("Yale University"))
    pages = ["/i/yaleeus.html", "/i/", "/i/c/xx.html", "/stats/top/institutions.html?by=citations"]
    for url in pages:
        assert anonymous().get(url)["X-Page-Cache"] == "miss", url
        assert anonymous().get(url)["X-Page-Cache"] == "hit", url
    run(YALE.format("Yale"))
    assert "<h1>Yale</h1>" in anonymous().get("/i/yaleeus.html").content.decode()
    run(PERSON)  # an author named by handle: linked, and on the page
    assert "Ana Autora" in anonymous().get("/i/yaleeus.html").content.decode()
    Affiliation.objects.get().save()  # the profile form saves through the ORM
    assert anonymous().get("/i/yaleeus.html")["X-Page-Cache"] == "miss"
    item = item_factory(citation_count=3)
    Authorship.objects.create(item=item, position=0, name="Ana Autora", person=Person.objects.get())
    assert "Nothing to rank yet." in anonymous().get(pages[3]).content.decode()
    refresh_all(datetime.date(2025, 3, 15))
    assert "Yale" in anonymous().get(pages[3]).content.decode()
    assert "Rank 1</a>" in anonymous().get("/i/yaleeus.html").content.decode()
    assert Institution.objects.count() == 1
