"""The page cache: anonymous pages served without a query, and every write visible on the
very next request (a correction in the admin, an import, a citation count, a statistics flush);
counting still counts; logged-in readers get their own pages."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from catalogue.changes import items_changed
from catalogue.ingest.importer import Importer
from catalogue.models import MonthlyStat
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db(transaction=True)  # versions move when a write commits

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def anonymous(address: str = "192.0.2.10", agent: str = BROWSER) -> Client:
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


@pytest.fixture
def item(item_factory, authorship_factory):
    made = item_factory(title="Quokka habitats", abstract="Where quokkas live.")
    authorship_factory(item=made, position=0, name="Ana Autora")
    items_changed([made.pk], series=[made.series_id])  # its search entry and its series' counts
    return made


def test_a_second_anonymous_request_is_served_from_the_cache_without_a_query(item, django_assert_num_queries):
    url = item.get_absolute_url()
    first = anonymous().get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = anonymous("192.0.2.11").get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"]  # the outer middleware's headers are still sent


@pytest.mark.parametrize("path", ["/", "/s/", "/j/", "/search/?q=quokka"])
def test_lists_and_search_are_cached_too(item, path, django_assert_num_queries):
    assert anonymous().get(path)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert anonymous().get(path)["X-Page-Cache"] == "hit"


def test_a_correction_in_the_admin_is_live_on_the_next_request(item, staff_client):
    pages = [
        item.get_absolute_url(),
        item.series.get_absolute_url(),
        f"/cite/{item.handle}.bib",
        f"/feeds/series/{item.series.archive.code}/{item.series.code}.xml",
        "/search/?q=quokka",
    ]
    for url in pages:
        anonymous().get(url)
        assert "Quokka habitats" in anonymous().get(url).content.decode(), url
    change = f"/admin/catalogue/item/{item.pk}/change/"
    data = form_data(staff_client.get(change))
    data["title"] = "Wombat burrows"
    response = staff_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    for url in pages:
        response = anonymous().get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Wombat burrows" in response.content.decode(), url


def test_a_correction_of_a_series_reaches_its_items_pages(item, staff_client):
    url = item.get_absolute_url()
    anonymous().get(url)
    series = item.series
    series.name = "Renamed working papers"
    series.save()
    assert "Renamed working papers" in anonymous().get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_import_is_live_on_the_next_request(tmp_path):
    text = (
        "Template-Type: ReDIF-Series 1.0\nName: Papers\nType: ReDIF-Paper\nHandle: RePEc:zzz:wpaper\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: {}\nAuthor-Name: Ana Autora\nHandle: RePEc:zzz:wpaper:1\n\n"
    )
    path = tmp_path / "zzz.rdf"
    path.write_text(text.format("Quokka habitats"))
    Importer().import_paths([path])
    url = "/p/zzz/wpaper/1.html"
    home = anonymous().get("/").content.decode()
    assert "Quokka habitats" in anonymous().get(url).content.decode()
    path.write_text(text.format("Wombat burrows"))
    assert Importer().import_paths([path]).updated["paper"] == 1
    assert "Wombat burrows" in anonymous().get(url).content.decode()
    assert anonymous().get("/").content.decode() != home


def test_a_new_citation_is_live(item, item_factory, reference_factory):
    from catalogue.citations.counts import refresh_citation_counts
    from catalogue.models import Reference

    pages = [item.get_absolute_url(), "/citations" + item.get_absolute_url()]
    for url in pages:
        anonymous().get(url)
        assert "A citing paper" not in anonymous().get(url).content.decode()
    citing = item_factory(title="A citing paper")
    reference_factory(citing=citing, position=0, target=item, status=Reference.Status.MATCHED)
    refresh_citation_counts([item.pk])
    assert "A citing paper" in anonymous().get(pages[1]).content.decode()
    assert anonymous().get(pages[0])["X-Page-Cache"] == "miss"


def test_a_hit_is_counted_for_its_own_client_robots_and_repeats_left_out(item):
    url = item.get_absolute_url()
    for n in range(3):
        assert anonymous(f"192.0.2.{n}").get(url).status_code == 200
    assert anonymous("192.0.2.1").get(url)["X-Page-Cache"] == "hit"  # a repeat: folded
    assert (
        anonymous("192.0.2.9", agent="Googlebot/2.1 (+http://www.google.com/bot.html)").get(url)["X-Page-Cache"]
        == "hit"
    )
    call_command("flush_stats", verbosity=0)
    assert sum(MonthlyStat.objects.filter(item=item).values_list("abstract_views", flat=True)) == 3


def test_a_flush_makes_the_statistics_pages_stale_and_leaves_the_item_pages(item):
    url = item.get_absolute_url()
    stats_url = "/stats" + url
    anonymous().get(url)
    assert anonymous("192.0.2.99").get(stats_url).status_code == 200
    assert anonymous("192.0.2.99").get(stats_url)["X-Page-Cache"] == "hit"
    call_command("flush_stats", verbosity=0)
    assert anonymous("192.0.2.98").get(url)["X-Page-Cache"] == "hit"
    assert anonymous("192.0.2.98").get(stats_url)["X-Page-Cache"] == "miss"


def test_a_logged_in_reader_gets_their_own_page_and_it_is_not_stored(item, reader):
    url = item.get_absolute_url()
    anonymous().get(url)
    client = Client()
    client.force_login(reader)
    page = client.get(url)
    assert "X-Page-Cache" not in page
    assert "Save to my bibliography" in page.content.decode() or "bibliography" in page.content.decode()
    again = anonymous().get(url)
    assert again["X-Page-Cache"] == "hit"
    assert "Sign out" not in again.content.decode()


def test_answers_that_are_not_pages_are_not_stored(item):
    assert anonymous().get("/p/zzz/wpaper/missing.html").status_code == 404
    assert "X-Page-Cache" not in anonymous().get("/p/zzz/wpaper/missing.html")
    assert "X-Page-Cache" not in anonymous().get(f"/h/{item.handle}")  # a redirect


def test_a_cache_that_is_gone_serves_live_pages(item, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "config.cache.SafeRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    caches["pages"].close()
    response = anonymous().get(item.get_absolute_url())
    assert response.status_code == 200
    assert "Quokka habitats" in response.content.decode()


def test_the_https_redirect_comes_before_the_cache(item, settings):
    url = item.get_absolute_url()
    anonymous().get(url, secure=True)
    settings.SECURE_SSL_REDIRECT = True
    assert anonymous().get(url).status_code == 301
    assert anonymous().get(url, secure=True)["X-Page-Cache"] == "hit"


def test_a_host_not_allowed_is_refused_not_served(item):
    url = item.get_absolute_url()
    anonymous().get(url)
    assert anonymous().get(url, HTTP_HOST="evil.example").status_code == 400


def test_a_page_carries_validators_and_a_browser_holding_it_gets_304(item):
    url = item.get_absolute_url()
    first = anonymous().get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"')
    # a counted page: a shared cache in front must ask again each time (its views are counted)
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=0, stale-while-revalidate=0"
    assert "s-maxage=60," in anonymous().get("/")["Cache-Control"]
    assert first["Surrogate-Key"] == "catalogue item"
    again = anonymous().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert anonymous().get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert anonymous().get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_304_is_counted_as_a_view(item):
    url = item.get_absolute_url()
    etag = anonymous("192.0.2.1").get(url)["ETag"]
    assert anonymous("192.0.2.2").get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    call_command("flush_stats", verbosity=0)
    assert sum(MonthlyStat.objects.filter(item=item).values_list("abstract_views", flat=True)) == 2


def test_after_a_correction_the_old_validator_gets_the_new_page(item):
    url = item.get_absolute_url()
    etag = anonymous().get(url)["ETag"]
    item.title = "Wombat burrows"
    item.save()
    response = anonymous().get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Wombat burrows" in response.content.decode()
    assert response["ETag"] != etag


@pytest.mark.parametrize(("accept", "encoding"), [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("identity", None)])
def test_pages_go_out_compressed_as_the_client_accepts(item, accept, encoding):
    import gzip

    import brotli

    url = item.get_absolute_url()
    plain = anonymous().get(url).content  # stored
    for state in ("hit", "hit"):
        response = anonymous().get(url, HTTP_ACCEPT_ENCODING=accept)
        assert response["X-Page-Cache"] == state
        assert response.get("Content-Encoding") == encoding
        assert response["Vary"] == "Accept-Encoding"
        body = response.content
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        assert body == plain
        assert int(response["Content-Length"]) == len(response.content)
        if encoding:
            assert len(response.content) < len(plain) / 2


@pytest.fixture
def purges(settings):
    """A real HTTP server on loopback stands for Varnish (with xkey) or a CDN's purge API: the
    (path, Surrogate-Key) of each PURGE it received."""
    import http.server
    import threading

    received = []

    class Purges(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append((self.path, self.headers["Surrogate-Key"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Purges)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CACHE_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
    yield received
    server.shutdown()


def test_a_write_sends_a_purge_to_the_shared_cache(item, purges):
    item.title = "Wombat burrows"
    item.save()
    call_command("flush_stats", verbosity=0)  # nothing counted: no purge of the statistics
    assert ("/purge", "catalogue") in purges
    assert ("/purge", "stats") not in purges


def test_many_writes_in_one_transaction_move_the_versions_once(item, purges, authorship_factory):
    """A correction saves the item and its parts: one move (one purge) when it commits."""
    from django.db import transaction

    url = item.get_absolute_url()
    anonymous().get(url)
    with transaction.atomic():
        item.title = "Wombat burrows"
        item.save()
        item.series.name = "Renamed working papers"
        item.series.save()
        authorship_factory(item=item, position=1, name="Bea Second")
    assert purges == [("/purge", "catalogue")]
    assert "Wombat burrows" in anonymous().get(url).content.decode()
    with transaction.atomic():
        item.title = "Rolled back"
        item.save()
        transaction.set_rollback(True)
    item.title = "Numbat nests"
    item.save()  # after a rollback, the next write still moves the versions
    assert "Numbat nests" in anonymous().get(url).content.decode()


def test_a_logged_in_readers_page_is_private(item, reader):
    client = Client()
    client.force_login(reader)
    assert client.get(item.get_absolute_url())["Cache-Control"] == "private"
