"""An item code with a `/` (ReDIF allows it; ULB's `RePEc:ulb:ulbeco:2013/245817` is a real one):
its address writes the `/` as `-`, as IDEAS does (`/p/ulb/ulbeco/2013-245817.html`), and every
page that links it, its feeds, `/h/` and `/cite/` answer (issue 14, defect 1)."""

import importlib
import re

import pytest
from django.apps import apps

from catalogue.handles import item_slug
from catalogue.ingest.importer import Importer
from catalogue.models import Item
from catalogue.redif.parser import parse_text

pytestmark = pytest.mark.django_db

HANDLE = "RePEc:ulb:ulbeco:2013/245817"
ADDRESS = "/p/ulb/ulbeco/2013-245817.html"

UPLOAD = f"""Template-Type: ReDIF-Archive 1.0
Handle: RePEc:ulb
Name: Universite Libre de Bruxelles
URL: https://example.org/ulb/
Maintainer-Email: repec@example.org

Template-Type: ReDIF-Series 1.0
Name: ULB Institutional Repository
Type: ReDIF-Paper
Maintainer-Email: repec@example.org
Handle: RePEc:ulb:ulbeco

Template-Type: ReDIF-Paper 1.0
Author-Name: Francois Rycx
Title: Who is your perfect match
Keywords: educational mismatch
Classification-JEL: J24
Handle: {HANDLE}
"""


@pytest.fixture
def item():
    importer = Importer()
    importer.import_templates(parse_text(UPLOAD, "ulb.rdf"))
    assert importer.finish().ok
    return Item.objects.get(handle_key=HANDLE.lower())


def test_the_slash_is_a_dash_in_the_slug_as_on_ideas(item):
    assert item_slug(HANDLE) == "2013-245817"
    assert item.slug == "2013-245817"
    assert item.get_absolute_url() == ADDRESS
    assert item.get_stats_url() == f"/stats{ADDRESS}"
    assert item.get_cited_by_url() == f"/citations{ADDRESS}"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/s/ulb/ulbeco.html",
        "/k/educational%20mismatch.html",
        "/j/J24.html",
        "/search/?q=perfect+match",
        "/feeds/series/ulb/ulbeco.xml",
        "/feeds/series/ulb/ulbeco.atom",
    ],
)
def test_the_pages_that_list_it_link_its_address(client, item, url):
    response = client.get(url)
    assert response.status_code == 200
    assert ADDRESS in response.content.decode()


@pytest.mark.parametrize("url", [ADDRESS, f"/stats{ADDRESS}", f"/citations{ADDRESS}"])
def test_its_pages_open_at_the_linked_address(client, item, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "Who is your perfect match" in response.content.decode()


def test_its_citation_feeds_are_linked_and_answer(client, item):
    page = client.get(ADDRESS).content.decode()
    feeds = re.findall(r'<link rel="alternate" type="application/[a-z+]+" title="[^"]*" href="([^"]+)">', page)
    assert f"/feeds/citations/{HANDLE}.xml" in feeds
    for url in (f"/feeds/citations/{HANDLE}.xml", f"/feeds/citations/{HANDLE}.atom"):
        response = client.get(url)
        assert response.status_code == 200
        assert ADDRESS in response.content.decode()


def test_the_handle_resolver_sends_to_its_address(client, item):
    for handle in (HANDLE, HANDLE.lower()):
        response = client.get(f"/h/{handle}")
        assert response.status_code == 301
        assert response["Location"] == ADDRESS


@pytest.mark.parametrize("extension", ["bib", "ris", "json", "txt"])
def test_its_exports_answer_with_its_address(client, item, extension):
    response = client.get(f"/cite/{HANDLE}.{extension}")
    assert response.status_code == 200
    assert f"http://testserver{ADDRESS}" in response.content.decode()


def test_its_redif_export_keeps_the_handle(client, item):
    response = client.get(f"/cite/{HANDLE}.rdf")
    assert response.status_code == 200
    assert f"Handle: {HANDLE}" in response.content.decode()


def test_the_migration_moves_a_stored_slash_out_of_the_slug(item, item_factory):
    """Items imported before the rule kept the `/` in their slug; the data migration rewrites
    them, and gives an item whose new slug another item of the series has a slug of its own."""
    Item.objects.filter(pk=item.pk).update(slug="2013/245817")
    other = item_factory(series=item.series, handle="RePEc:ulb:ulbeco:2014/1", slug="2014/1")
    taken = item_factory(series=item.series, handle="RePEc:ulb:ulbeco:2014-1", slug="2014-1")
    migration = importlib.import_module("catalogue.migrations.0026_item_slug_without_slash")
    migration.slugs_without_slash(apps, None)
    item.refresh_from_db()
    other.refresh_from_db()
    taken.refresh_from_db()
    assert item.slug == "2013-245817"
    assert taken.slug == "2014-1"
    assert "/" not in other.slug
    assert other.slug.startswith("2014-1")
    assert other.slug != taken.slug


def test_codes_differing_only_in_slash_and_dash_share_an_address_and_the_second_is_refused():
    twin = "\nTemplate-Type: ReDIF-Paper 1.0\nTitle: A twin\nAuthor-Name: Ann Author\n"
    twin += "Handle: RePEc:ulb:ulbeco:2013-245817\n"  # the same address as HANDLE
    importer = Importer()
    importer.import_templates(parse_text(UPLOAD + twin, "ulb.rdf"))
    report = importer.finish()
    assert list(Item.objects.values_list("handle", flat=True)) == [HANDLE]
    assert len(report.errors) == 1
    assert report.errors[0].startswith("ulb.rdf:20: ")
