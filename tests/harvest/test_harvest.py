"""A whole archive harvested over HTTP and FTP, re-harvested, changed, and files removed."""

import shutil

import pytest

from catalogue.harvest import harvest_archives
from catalogue.models import Archive, HarvestFile, HarvestRun, Item, Series

from .servers import FTP, ITEMS, touch_later, write_archive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tst(archive_factory, archive_folder, http_server):
    return archive_factory(code="tst", handle="RePEc:tst", url=f"{http_server.url}/RePEc/tst/")


def harvest(**options) -> HarvestRun:
    (run,) = harvest_archives(["tst"], **options)
    return run


def test_a_whole_archive_is_harvested_over_http(tst, http_server):
    run = harvest()
    assert run.status == HarvestRun.Status.OK, run.errors
    assert run.errors == ""
    # 2 top files + 7 item files; README.txt and papers/ (no series of that name) are left alone
    assert (run.files_seen, run.files_fetched, run.files_unchanged, run.files_failed) == (9, 9, 0, 0)
    assert (run.items_created, run.items_updated, run.items_withdrawn) == (ITEMS, 0, 0)
    assert Item.objects.filter(series__archive=tst).count() == ITEMS
    assert set(Series.objects.filter(archive=tst).values_list("code", flat=True)) == {"wpaper", "dpaper"}
    assert Archive.objects.get(code="tst").name == "Test University"
    assert Item.objects.get(handle_key="repec:tst:wpaper:2019-01").source.startswith(
        f"{http_server.url}/RePEc/tst/wpaper/old/2019.rdf:"
    )
    assert "/RePEc/tst/papers/" not in http_server.paths()
    assert all("EconCat-harvester" in agent and "@" in agent for _, _, agent in http_server.log)
    assert HarvestFile.objects.filter(archive=tst).count() == 9


def test_an_unchanged_archive_makes_only_conditional_requests_and_imports_nothing(tst, http_server):
    harvest()
    http_server.log.clear()
    run = harvest()
    assert run.status == HarvestRun.Status.OK
    assert (run.files_seen, run.files_fetched, run.files_unchanged) == (9, 0, 9)
    assert (run.items_created, run.items_updated) == (0, 0)
    files = [(path, conditional) for path, conditional, _ in http_server.log if not path.endswith("/")]
    assert len(files) == 9
    assert all(conditional for _, conditional in files)  # every file asked for with If-None-Match: 304


def test_one_changed_file_is_fetched_and_updates_its_items(tst, archive_folder, http_server):
    harvest()
    path = archive_folder / "wpaper" / "2021.rdf"
    path.write_text(path.read_text().replace("Paper 2021-01", "Paper 2021-01, revised"))
    touch_later(path)
    run = harvest()
    assert (run.files_fetched, run.files_unchanged) == (1, 8)
    assert (run.items_created, run.items_updated) == (0, 1)
    assert Item.objects.get(handle_key="repec:tst:wpaper:2021-01").title == "Paper 2021-01, revised"


def test_a_removed_file_withdraws_its_items_at_the_third_harvest(tst, archive_folder, client):
    harvest()
    (archive_folder / "dpaper" / "c.rdf").unlink()
    gone = Item.objects.filter(handle_key__in=["repec:tst:dpaper:c1", "repec:tst:dpaper:c2"])
    for n in (1, 2):
        run = harvest()
        assert (run.status, run.files_missing, run.items_withdrawn) == (HarvestRun.Status.OK, 1, 0)
        assert HarvestFile.objects.get(url__endswith="/c.rdf").missing_count == n
        assert not gone.exclude(withdrawn_at=None).exists()
    before = max(gone.values_list("updated_at", flat=True))
    run = harvest()
    assert run.items_withdrawn == 2
    assert gone.filter(withdrawn_at=None).count() == 0
    assert min(gone.values_list("updated_at", flat=True)) > before  # the OAI datestamp moves (catalogue/oai)
    assert "missing from 3 harvests" in gone.first().withdrawal_note
    assert Item.objects.filter(series__archive=tst, withdrawn_at=None).count() == ITEMS - 2
    page = client.get(gone.first().get_absolute_url())
    assert "No longer in its archive" in page.content.decode()
    assert harvest().items_withdrawn == 0  # once only


def test_an_item_that_moved_to_another_file_is_not_withdrawn(tst, archive_folder):
    harvest()
    c = archive_folder / "dpaper" / "c.rdf"
    (archive_folder / "dpaper" / "d.rdf").write_text(c.read_text())
    c.unlink()
    for _ in range(3):
        run = harvest()
    assert run.items_withdrawn == 0
    assert not Item.objects.exclude(withdrawn_at=None).exists()


def test_more_than_a_fifth_gone_withdraws_nothing_and_flags_the_run(tst, archive_folder):
    harvest()
    shutil.rmtree(archive_folder / "dpaper")  # 3 of 9 files
    for _ in range(3):
        run = harvest()
        assert run.status == HarvestRun.Status.FLAGGED
        assert "3 of 9 files gone" in run.flag
    assert not Item.objects.exclude(withdrawn_at=None).exists()
    assert set(HarvestFile.objects.values_list("missing_count", flat=True)) == {0}


def test_a_failed_listing_withdraws_nothing_and_flags_the_run(tst, archive_folder, http_server):
    harvest()
    (archive_folder / "dpaper" / "c.rdf").unlink()
    http_server.rules["/RePEc/tst/dpaper/"] = ("status", 500)
    for _ in range(3):
        run = harvest()
        assert run.status == HarvestRun.Status.FLAGGED
        assert "a listing failed" in run.flag
    assert f"{http_server.url}/RePEc/tst/dpaper/: the listing failed: HTTP 500 (a server error) (2 tries)" in (
        run.error_lines
    )
    assert not Item.objects.exclude(withdrawn_at=None).exists()


def test_force_fetches_and_imports_every_file(tst):
    harvest()
    run = harvest(force=True)
    assert (run.files_fetched, run.files_unchanged) == (9, 0)
    assert run.forced


def test_a_whole_archive_is_harvested_over_ftp_then_only_listed(archive_factory, tmp_path):
    folder = tmp_path / "ftp"
    folder.mkdir()
    server = FTP(folder)
    try:
        write_archive(folder, f"{server.url}/RePEc/tst/")
        archive = archive_factory(code="tst", handle="RePEc:tst", url=f"{server.url}/RePEc/tst/")
        run = harvest()
        assert run.status == HarvestRun.Status.OK, run.errors
        assert (run.files_seen, run.files_fetched, run.items_created) == (9, 9, ITEMS)
        assert Item.objects.filter(series__archive=archive).count() == ITEMS
        server.commands.clear()
        run = harvest()
        assert (run.files_fetched, run.files_unchanged, run.items_created) == (0, 9, 0)
        assert "RETR" not in server.commands  # size and time from MLSD: nothing downloaded
        path = folder / "RePEc" / "tst" / "wpaper" / "2020.rdf"
        touch_later(path)  # the same bytes at a later time: fetched, found the same by its hash
        run = harvest()
        assert (run.files_fetched, run.files_unchanged, server.commands.count("RETR")) == (0, 9, 1)
        path.write_text(path.read_text().replace("Paper 2020-01", "Paper 2020-01, revised"))
        touch_later(path)
        run = harvest()
        assert (run.files_fetched, run.items_updated) == (1, 1)
    finally:
        server.stop()


def test_an_ftp_server_without_mlsd_is_listed_with_nlst(archive_factory, tmp_path):
    folder = tmp_path / "ftp"
    folder.mkdir()
    server = FTP(folder, mlsd=False)
    try:
        write_archive(folder, f"{server.url}/RePEc/tst/")
        archive_factory(code="tst", handle="RePEc:tst", url=f"{server.url}/RePEc/tst/")
        run = harvest()
        assert run.status == HarvestRun.Status.OK, run.errors
        assert (run.files_seen, run.items_created) == (9, ITEMS)
        assert "NLST" in server.commands
        assert harvest().files_fetched == 0
    finally:
        server.stop()


def test_a_big_harvest_reads_in_a_second_process_and_names_urls(tst, archive_folder, http_server, monkeypatch):
    """As import_redif, past Spool.min_bytes: the same items, their sources and errors named by URL."""
    from catalogue.harvest import spool

    started = []
    real = spool.ReaderProcess

    def reader(files):
        started.append(len(files))
        return real(files)

    monkeypatch.setattr(spool.Spool, "min_bytes", 1)
    monkeypatch.setattr(spool, "ReaderProcess", reader)
    (archive_folder / "dpaper" / "c.rdf").write_text("Template-Type: ReDIF-Paper 1.0\nTitle: No handle\n")
    run = harvest()
    assert started == [7]
    assert run.items_created == ITEMS - 2
    assert run.error_lines[0].startswith(f"{http_server.url}/RePEc/tst/dpaper/c.rdf:1: ")
    assert Item.objects.get(handle_key="repec:tst:dpaper:b1").source == f"{http_server.url}/RePEc/tst/dpaper/b.redif:1"


OTHERS = (
    "\nTemplate-Type: ReDIF-Archive 1.0\nHandle: RePEc:aaa\nName: Archive A\nMaintainer-Email: a@example.org\nURL: https://a.example.org/RePEc/aaa/\n"
    "\nTemplate-Type: ReDIF-Archive 1.0\nHandle: RePEc:bbb\nName: Archive B\nMaintainer-Email: b@example.org\nURL: https://b.example.org/RePEc/bbb/\n"
)


def test_a_registry_archive_registers_many_archives_at_once(tst, archive_folder, settings):
    settings.HARVEST_REGISTRY_ARCHIVES = ["tst"]
    with (archive_folder / "tstarch.rdf").open("a") as out:
        out.write(OTHERS)
    run = harvest()
    assert run.errors == ""
    assert dict(Archive.objects.filter(code__in=["aaa", "bbb"]).values_list("code", "url")) == {
        "aaa": "https://a.example.org/RePEc/aaa/",
        "bbb": "https://b.example.org/RePEc/bbb/",
    }


def test_another_archive_may_not_register_or_move_archives(tst, archive_folder, archive_factory, http_server):
    archive_factory(code="bbb", handle="RePEc:bbb", url="https://b.example.org/RePEc/bbb/")
    with (archive_folder / "tstarch.rdf").open("a") as out:
        out.write(OTHERS.replace("b.example.org", "evil.example.org"))
    run = harvest()
    assert [line.split(": ", 1)[1] for line in run.error_lines] == [
        "RePEc:aaa is not in the archive tst: nothing of it was written",
        "RePEc:bbb is not in the archive tst: nothing of it was written",
    ]
    assert not Archive.objects.filter(code="aaa").exists()
    assert Archive.objects.get(code="bbb").url == "https://b.example.org/RePEc/bbb/"


def test_a_withdrawn_file_that_comes_back_brings_its_items_back(tst, archive_folder):
    harvest()
    path = archive_folder / "dpaper" / "c.rdf"
    kept = path.read_text()
    path.unlink()
    for _ in range(3):
        run = harvest()
    assert run.items_withdrawn == 2
    path.write_text(kept)
    run = harvest()
    assert (run.files_fetched, run.errors) == (1, "")
    assert not Item.objects.exclude(withdrawn_at=None).exists()
    assert not HarvestFile.objects.filter(withdrawn=True).exists()
