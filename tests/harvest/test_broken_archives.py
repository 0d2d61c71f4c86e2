"""Broken archives: each failure is one clear line in the run's report, and nothing half-written."""

import time

import pytest

from catalogue.harvest import harvest_archives
from catalogue.models import HarvestFile, HarvestRun, Item

from .servers import ITEMS, Server

pytestmark = pytest.mark.django_db(transaction=True)

A = "/RePEc/tst/dpaper/a.rdf"


@pytest.fixture
def tst(archive_factory, archive_folder, http_server):
    return archive_factory(code="tst", handle="RePEc:tst", url=f"{http_server.url}/RePEc/tst/")


def harvest(**options) -> HarvestRun:
    (run,) = harvest_archives(["tst"], **options)
    return run


def a_items():
    return Item.objects.filter(handle_key__in=["repec:tst:dpaper:a1", "repec:tst:dpaper:a2"])


def assert_only_a_failed(run: HarvestRun, server: Server, line: str) -> None:
    assert run.status == HarvestRun.Status.OK
    assert run.error_lines == [f"{server.url}{A}: {line}"]
    assert (run.files_seen, run.files_fetched, run.files_failed) == (9, 8, 1)
    assert run.items_created == ITEMS - 2
    assert not a_items().exists()
    assert not HarvestFile.objects.filter(url__endswith=A).exists()  # asked for again next time


def test_a_404_is_one_line_and_the_rest_is_harvested(tst, http_server):
    http_server.rules[A] = ("status", 404)
    assert_only_a_failed(harvest(), http_server, "HTTP 404")
    del http_server.rules[A]
    run = harvest()
    assert (run.files_fetched, run.items_created) == (1, 2)  # the next harvest fetches it


def test_a_500_is_tried_again_then_reported(tst, http_server):
    http_server.rules[A] = ("status", 500)
    assert_only_a_failed(harvest(), http_server, "HTTP 500 (a server error) (2 tries)")
    assert http_server.paths().count(A) == 2


def test_a_server_that_stalls_times_out(tst, http_server, settings):
    settings.HARVEST_TIMEOUT = 0.3
    http_server.rules[A] = ("stall",)
    start = time.monotonic()
    assert_only_a_failed(harvest(), http_server, "timed out after 0.3 s (2 tries)")
    assert time.monotonic() - start < 10


def test_an_html_error_page_served_as_rdf_is_not_imported(tst, http_server):
    harvest()
    page = b"<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Not found</body></html>"
    http_server.rules[A] = ("body", page, "text/html")
    run = harvest()
    assert run.error_lines == [f"{http_server.url}{A}:1: an HTML page, not ReDIF (an error page?)"]
    assert run.files_failed == 1
    assert a_items().count() == 2  # what the file held before stays, and is not withdrawn
    assert a_items().filter(withdrawn_at=None).count() == 2


def test_an_oversized_file_is_refused(tst, archive_folder, http_server, settings):
    settings.HARVEST_MAX_BYTES = 2000
    path = archive_folder / "wpaper" / "2020.rdf"
    path.write_text(path.read_text() + "Abstract: " + "long " * 500 + "\n")
    run = harvest()
    assert run.error_lines == [
        f"{http_server.url}/RePEc/tst/wpaper/2020.rdf: 2,808 bytes, more than HARVEST_MAX_BYTES (2,000): not fetched"
    ]
    assert not Item.objects.filter(handle_key="repec:tst:wpaper:2020-01").exists()
    assert Item.objects.filter(handle_key="repec:tst:dpaper:a1").exists()


def test_a_redirect_is_followed_and_a_redirect_loop_is_not(tst, http_server):
    http_server.rules[A] = ("redirect", "/RePEc/tst/dpaper/moved.rdf")
    http_server.rules["/RePEc/tst/dpaper/moved.rdf"] = ("redirect", "/RePEc/tst/dpaper/c.rdf")
    run = harvest()
    assert run.errors == ""
    http_server.rules[A] = ("redirect", A)
    run = harvest(force=True)
    assert run.error_lines == [f"{http_server.url}{A}: more than 5 redirects (a loop?)"]


def test_a_redirect_to_a_private_address_is_refused(tst, http_server, settings, tmp_path):
    """The archive's own server is allowed by HARVEST_ALLOW_NETWORKS (an operator's mirror);
    its redirects to another loopback address and to the cloud metadata address are refused
    before any connection: the server there hears nothing."""
    settings.HARVEST_ALLOW_PRIVATE = False
    settings.HARVEST_ALLOW_NETWORKS = ["127.0.0.1/32"]
    inside = Server(tmp_path / "www", host="127.0.0.2")
    try:
        http_server.rules[A] = ("redirect", f"{inside.url}{A}")
        http_server.rules["/RePEc/tst/dpaper/c.rdf"] = ("redirect", "http://169.254.169.254/latest/meta-data/")
        run = harvest()
    finally:
        inside.stop()
    assert inside.log == []
    assert f"{http_server.url}{A}: refused: 127.0.0.2 resolves to 127.0.0.2 is a loopback address " in "\n".join(
        line + " " for line in run.error_lines
    )
    assert any("169.254.169.254 is a link-local address" in line for line in run.error_lines)
    assert run.files_failed == 2


def test_a_private_archive_url_is_refused_unless_allowed(tst, http_server, settings):
    settings.HARVEST_ALLOW_PRIVATE = False
    run = harvest()
    assert run.status == HarvestRun.Status.FAILED
    assert "refused: 127.0.0.1 resolves to 127.0.0.1 is a loopback address (HARVEST_ALLOW_PRIVATE is off)" in run.errors
    assert http_server.log == []
    assert not Item.objects.exists()


def test_only_http_https_and_ftp(tst):
    tst.url = "file:///etc/"
    tst.save()
    run = harvest()
    assert run.status == HarvestRun.Status.FAILED
    assert run.error_lines == ["file:///etc/: only http, https and ftp URLs are harvested, not file: file:///etc/"]


def test_windows_1252_and_utf_16_files_are_decoded_as_the_importer_does(tst, archive_folder):
    paper = "Template-Type: ReDIF-Paper 1.0\nTitle: {}\nAuthor-Name: {}\nHandle: RePEc:tst:dpaper:{}\n"
    cafe = paper.format("Caf\u00e9 \u201cquotes\u201d", "A\u00efda", "a1")
    (archive_folder / "dpaper" / "a.rdf").write_bytes(cafe.encode("cp1252"))
    lodz = paper.format("Gr\u00fc\u00dfe aus \u0141\u00f3d\u017a", "\u0141ukasz", "c1")
    (archive_folder / "dpaper" / "c.rdf").write_bytes(lodz.encode("utf-16"))
    run = harvest()
    assert run.errors == ""
    assert Item.objects.get(handle_key="repec:tst:dpaper:a1").title == "Caf\u00e9 \u201cquotes\u201d"
    assert Item.objects.get(handle_key="repec:tst:dpaper:c1").title == "Gr\u00fc\u00dfe aus \u0141\u00f3d\u017a"


def test_a_bad_template_is_reported_by_url_and_line_and_the_others_land(tst, archive_folder, http_server):
    (archive_folder / "dpaper" / "a.rdf").write_text(
        "Template-Type: ReDIF-Paper 1.0\nTitle: Good\nAuthor-Name: A\nHandle: RePEc:tst:dpaper:a1\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: No handle\nAuthor-Name: A\n\n"
        "Template-Type: ReDIF-Paper 1.0\nTitle: Elsewhere\nAuthor-Name: A\nHandle: RePEc:zzz:dpaper:x1\n"
    )
    run = harvest()
    url = f"{http_server.url}{A}"
    assert len(run.error_lines) == 2
    assert run.error_lines[0] == f"{url}:6: missing required field Handle"
    assert run.error_lines[1] == f"{url}:10: RePEc:zzz:dpaper:x1 is not in the archive tst: nothing of it was written"
    assert Item.objects.filter(handle_key="repec:tst:dpaper:a1").exists()
    assert not Item.objects.filter(handle_key="repec:zzz:dpaper:x1").exists()


def test_an_oversized_file_over_ftp_is_refused_and_the_rest_harvested(archive_factory, tmp_path, settings):
    from .servers import FTP, write_archive

    settings.HARVEST_MAX_BYTES = 2000
    folder = tmp_path / "ftp"
    folder.mkdir()
    server = FTP(folder)
    url = server.url
    try:
        top = write_archive(folder, f"{url}/RePEc/tst/")
        path = top / "dpaper" / "a.rdf"
        path.write_text(path.read_text() + "Abstract: " + "long " * 500 + "\n")
        archive_factory(code="tst", handle="RePEc:tst", url=f"{url}/RePEc/tst/")
        run = harvest()
    finally:
        server.stop()
    assert run.error_lines == [f"{url}{A}: more than HARVEST_MAX_BYTES (2,000) bytes: not imported"]
    assert (run.files_fetched, run.files_failed, run.items_created) == (8, 1, ITEMS - 2)
    assert not a_items().exists()
