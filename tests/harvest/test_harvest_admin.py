"""Harvest runs in the admin and on the archive page: staff see every run, a publisher their
archive's only; "harvest now" is a POST action with its CSRF token, on the archives one may see.

Users: `staff` (tests/personas.py), everything; `publisher`, of archive `pub` only, neither sees
nor harvests `tst`; `tst_publisher`, of `tst`, sees and harvests it.
"""

from datetime import UTC, datetime

import pytest
from django.test import Client

from catalogue.models import HarvestRun

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "/admin/catalogue/archive/"


@pytest.fixture
def tst(archive_factory, archive_folder, http_server):
    return archive_factory(code="tst", handle="RePEc:tst", url=f"{http_server.url}/RePEc/tst/")


@pytest.fixture
def tst_publisher(user_factory, tst):
    return user_factory(username="tstpub", is_staff=True, archives=[tst])


@pytest.fixture
def tst_run(tst):
    return HarvestRun.objects.create(
        archive=tst,
        url=tst.url,
        started=datetime(2026, 12, 1, 6, 0, tzinfo=UTC),
        finished=datetime(2026, 12, 1, 6, 1, tzinfo=UTC),
        status=HarvestRun.Status.OK,
        files_seen=9,
        errors="http://x/a.rdf:3: <script>alert(1)</script> is not a date\nhttp://x/b.rdf: HTTP 404",
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_the_run_and_its_report_escaped(staff, tst_run):
    client = logged_in(staff)
    assert "tst" in client.get("/admin/catalogue/harvestrun/").content.decode()
    page = client.get(f"/admin/catalogue/harvestrun/{tst_run.pk}/change/").content.decode()
    assert "http://x/a.rdf:3: &lt;script&gt;alert(1)&lt;/script&gt; is not a date" in page
    assert "http://x/b.rdf: HTTP 404" in page
    assert "<script>alert(1)" not in page


def test_a_publisher_sees_their_archives_runs_only(publisher, tst_publisher, tst_run):
    own = logged_in(tst_publisher)
    assert own.get(f"/admin/catalogue/harvestrun/{tst_run.pk}/change/").status_code == 200
    other = logged_in(publisher)
    response = other.get(f"/admin/catalogue/harvestrun/{tst_run.pk}/change/", follow=True)
    assert "is not a date" not in response.content.decode()
    link = f"/admin/catalogue/harvestrun/{tst_run.pk}/change/"
    assert link in own.get("/admin/catalogue/harvestrun/").content.decode()
    assert link not in other.get("/admin/catalogue/harvestrun/").content.decode()
    assert other.get(f"/admin/catalogue/harvestrun/{tst_run.pk}/delete/").status_code in (302, 403)
    assert HarvestRun.objects.filter(pk=tst_run.pk).exists()


def harvest_now(client: Client, archive_pk: int):
    return client.post(CHANGELIST, {"action": "harvest_now", "_selected_action": [archive_pk]}, follow=True)


def test_staff_harvest_now(staff, tst):
    page = harvest_now(logged_in(staff), tst.pk).content.decode()
    run = HarvestRun.objects.get()
    assert (run.status, run.requested_by, run.items_created) == (HarvestRun.Status.OK, staff, 14)
    assert "The harvest of tst is queued" in page
    assert "/admin/catalogue/harvestrun/" in page


def test_a_publisher_harvests_their_own_archive(tst_publisher, tst):
    harvest_now(logged_in(tst_publisher), tst.pk)
    assert HarvestRun.objects.get().requested_by == tst_publisher


def test_a_publisher_of_another_archive_cannot_harvest(publisher, tst):
    harvest_now(logged_in(publisher), tst.pk)
    assert not HarvestRun.objects.exists()


def test_harvest_now_needs_the_csrf_token(staff, tst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(CHANGELIST, {"action": "harvest_now", "_selected_action": [tst.pk]})
    assert response.status_code == 403
    assert not HarvestRun.objects.exists()


def test_a_reader_cannot_harvest(reader, tst):
    harvest_now(logged_in(reader), tst.pk)
    assert not HarvestRun.objects.exists()


@pytest.mark.parametrize("runs", [0, 1, 5])
def test_the_archive_page_says_when_it_was_last_harvested(client, tst, django_assert_max_num_queries, runs):
    for day in range(1, runs + 1):
        HarvestRun.objects.create(archive=tst, url=tst.url, started=datetime(2026, 12, day, 6, tzinfo=UTC),
                                  finished=datetime(2026, 12, day, 6, 5, tzinfo=UTC), status="ok")  # fmt: skip
    HarvestRun.objects.create(archive=tst, url=tst.url, started=datetime(2026, 12, 6, 6, tzinfo=UTC),
                              finished=datetime(2026, 12, 6, 6, 5, tzinfo=UTC), status="failed")  # fmt: skip
    # the archive (with its last harvest, a subquery) + a page of its series = 2, however many runs
    with django_assert_max_num_queries(2):
        page = client.get("/s/tst.html").content.decode()
    if runs:
        assert "Last updated from its archive" in page
        assert f"{runs} December 2026, 06:05" in page
    else:
        assert "Last updated from its archive" not in page
