"""The job runs in the admin: catalogue staff read them (filtered by task and outcome); nobody
adds, changes or deletes one; a publisher does not see them at all.

Users (tests/personas.py): `staff` (a superuser) sees the runs; `publisher` (staff flag, an
archive, no permission) gets a 403 and no link in the index; `reader` never reaches the admin.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from catalogue.models import JobRun

pytestmark = pytest.mark.django_db

URL = "/admin/catalogue/jobrun/"


@pytest.fixture
def runs():
    now = timezone.now()
    return [
        JobRun.objects.create(
            task="catalogue.tasks.flush_stats",
            started_at=now - datetime.timedelta(minutes=5),
            finished_at=now - datetime.timedelta(minutes=5) + datetime.timedelta(seconds=2),
            outcome="ok",
            summary="flushed 3 counters",
        ),
        JobRun.objects.create(
            task="catalogue.tasks.refresh_stats",
            started_at=now - datetime.timedelta(hours=1),
            finished_at=now - datetime.timedelta(hours=1) + datetime.timedelta(seconds=75),
            outcome="failed",
            retries=3,
            error="Traceback (most recent call last):\n  ...\nOperationalError: the database is gone",
        ),
    ]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_each_run_with_its_duration_outcome_and_error(staff_client, runs, django_assert_max_num_queries):
    # session, user, count for the filter's paginator, rows, the task filter's choices: a few
    with django_assert_max_num_queries(8):
        page = staff_client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "catalogue.tasks.flush_stats" in text
    assert "0:00:02" in text
    assert "0:01:15" in text
    assert "OperationalError: the database is gone" in text  # the error's last line
    assert "Add job run" not in text


def test_staff_filter_by_task_and_by_outcome(staff_client, runs):
    page = staff_client.get(URL, {"outcome": "failed"})
    assert list(page.context["cl"].result_list) == [runs[1]]
    page = staff_client.get(URL, {"task": "catalogue.tasks.flush_stats"})
    assert list(page.context["cl"].result_list) == [runs[0]]


def test_a_run_is_read_only(staff_client, runs):
    page = staff_client.get(f"{URL}{runs[1].pk}/change/")
    assert page.status_code == 200
    assert "OperationalError: the database is gone" in page.content.decode()
    assert staff_client.post(f"{URL}{runs[1].pk}/change/", {"outcome": "ok"}).status_code == 403
    assert staff_client.get(f"{URL}add/").status_code == 403
    assert staff_client.post(f"{URL}{runs[1].pk}/delete/", {"post": "yes"}).status_code == 403
    runs[1].refresh_from_db()
    assert runs[1].outcome == "failed"


def test_a_publisher_sees_no_job_runs(publisher, runs):
    client = logged_in(publisher)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{runs[0].pk}/change/").status_code == 403
    assert "jobrun" not in client.get("/admin/").content.decode()


def test_a_reader_never_reaches_them(reader, runs):
    page = logged_in(reader).get(URL)
    assert page.status_code == 302
    assert page["Location"].startswith("/admin/login/")
