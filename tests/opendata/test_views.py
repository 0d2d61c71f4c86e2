"""The "Open data" page (/data/) and the files (/data/<file>): the page lists the current dump
(and says when there is none, never a 500), a file is served only when the manifest lists it,
with validators; any other name, `..` or an encoded slash is a 404."""

import gzip
import hashlib
import json

import pytest
from django.test import Client

from catalogue import opendata

from .conftest import read_dump


@pytest.mark.django_db
def test_without_a_dump_the_page_says_the_first_is_written_tonight(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):  # the page reads the manifest, not the database
        page = client.get("/data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "the first dump is written tonight" in text
    assert "CC0 1.0" in text
    assert client.get("/data/items.jsonl.gz").status_code == 404
    assert client.get("/data/manifest.json").status_code == 404


@pytest.mark.django_db
def test_the_page_lists_each_file_with_its_size_count_checksum_and_date(client, catalogue_rows):
    written = opendata.dump()
    page = client.get("/data/")
    assert page.status_code == 200
    text = page.content.decode()
    for entry in written.manifest["files"]:
        assert f'href="/data/{entry["name"]}"' in text
        assert entry["sha256"] in text
        assert f"{entry['records']} record" in text
        assert f"({entry['bytes']} bytes)" in text
    assert written.manifest["generated_at"][:10] in text
    assert "remain the work of their authors and publishers" in text  # abstracts: said honestly
    assert 'href="/data/"' in client.get("/").content.decode()  # the footer links it


@pytest.mark.django_db
def test_a_listed_file_is_served_whole_with_validators(client, catalogue_rows):
    written = opendata.dump()
    entry = written.manifest["files"][2]
    answer = client.get(f"/data/{entry['name']}")
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content)
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    assert answer["Content-Length"] == str(entry["bytes"])
    assert answer["Content-Type"] == "application/gzip"
    assert answer["ETag"]
    assert answer["Last-Modified"]
    assert gzip.decompress(body).decode().count("\n") == entry["records"]
    assert answer["Surrogate-Key"] == "opendata"  # a shared cache drops it when a new dump lands
    again = client.get(f"/data/{entry['name']}", HTTP_IF_NONE_MATCH=answer["ETag"])
    assert again.status_code == 304
    manifest = client.get("/data/manifest.json")
    assert manifest["Content-Type"] == "application/json"
    assert json.loads(b"".join(manifest.streaming_content)) == written.manifest
    sums = client.get("/data/SHA256SUMS")
    assert f"{entry['sha256']}  {entry['name']}" in b"".join(sums.streaming_content).decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/data/../settings.py",
        "/data/..%2Fsettings.py",
        "/data/..%2fconfig%2fsettings.py",
        "/data/%2e%2e%2fmanage.py",
        "/data/%2e%2e",
        "/data/..",
        "/data/.",
        "/data/current",
        "/data/items.jsonl",
        "/data/ITEMS.JSONL.GZ",
        "/data/%00items.jsonl.gz",
        "/data/items.jsonl.gz%00",
        "/data//etc/passwd",
        "/data/%2Fetc%2Fpasswd",
        "/data/..%5c..%5csettings.py",
    ],
)
def test_a_name_the_manifest_does_not_list_is_a_404(path, catalogue_rows, settings):
    written = opendata.dump()
    (written.folder / "secret.txt").write_text("not listed")
    (settings.OPEN_DATA_DIR / "settings.py").write_text("SECRET = 1")
    answer = Client().get(path)
    assert answer.status_code == 404
    assert b"SECRET" not in answer.content
    assert Client().get("/data/secret.txt").status_code == 404


@pytest.mark.django_db
def test_a_file_in_flight_keeps_its_generation_while_a_new_dump_lands(client, catalogue_rows, item_factory):
    first = opendata.dump()
    name = first.manifest["files"][2]["name"]
    answer = client.get(f"/data/{name}")
    item_factory()
    opendata.dump()
    body = b"".join(answer.streaming_content)  # begun before: still the first generation, whole
    assert hashlib.sha256(body).hexdigest() == first.manifest["files"][2]["sha256"]


@pytest.mark.django_db(transaction=True)
def test_the_cached_page_shows_a_new_dump_on_the_next_request(settings, catalogue_rows):
    settings.PAGE_CACHE_SECONDS = 600
    first = opendata.dump()
    client = Client()
    client.get("/data/")
    assert client.get("/data/")["X-Page-Cache"] == "hit"
    assert first.manifest["files"][2]["sha256"] in client.get("/data/").content.decode()
    from tests.factories import ItemFactory

    ItemFactory()
    second = opendata.dump()
    page = client.get("/data/")
    assert page["X-Page-Cache"] == "miss"
    assert second.manifest["files"][2]["sha256"] in page.content.decode()
    read_dump(second.folder)


@pytest.mark.django_db(transaction=True)
def test_a_new_dump_purges_the_shared_cache_of_its_page_and_files(settings, catalogue_rows):
    """A real HTTP server on loopback stands for Varnish or a CDN's purge API."""
    import http.server
    import threading

    received = []

    class Purges(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(self.headers["Surrogate-Key"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Purges)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.PAGE_CACHE_SECONDS = 600
        settings.CACHE_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
        opendata.dump()
    finally:
        server.shutdown()
        server.server_close()
    assert received == ["opendata"]  # the catalogue's pages are left alone
