"""The jobs do their work on the real database, run eagerly (tests/conftest.py): counters
flushed, one run at a time, failures retried then reported, expired things cleaned."""

import datetime
import logging
import threading

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from catalogue.models import JobRun, MonthlyStat
from catalogue.tasks import clean_expired, flush_stats, harvest_archives
from catalogue.tasks.runs import MAX_RETRIES, job

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
FLUSH = "catalogue.tasks.flush_stats"


def views(item) -> int:
    return sum(MonthlyStat.objects.filter(item=item).values_list("abstract_views", flat=True))


def browse(item, readers: int) -> None:
    for n in range(readers):
        page = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"192.0.2.{n + 1}").get(item.get_absolute_url())
        assert page.status_code == 200


@pytest.mark.django_db
def test_the_flush_job_moves_the_counts_and_is_on_record(item_factory):
    item = item_factory()
    browse(item, 3)
    assert views(item) == 0
    flush_stats.delay()
    assert views(item) == 3
    run = JobRun.objects.get(task=FLUSH)
    assert run.outcome == "ok"
    assert run.retries == 0
    assert run.finished_at >= run.started_at
    assert run.expires_at is None  # the lock is free
    assert "3 abstract views" in run.summary
    assert "statistics refreshed" in run.summary  # as flush_stats --refresh


@pytest.mark.django_db
def test_a_job_does_not_run_while_another_run_holds_its_lock(item_factory):
    item = item_factory()
    browse(item, 2)
    holder = JobRun.objects.create(task=FLUSH, expires_at=timezone.now() + datetime.timedelta(minutes=10))
    flush_stats.delay()
    assert views(item) == 0  # nothing done
    skipped = JobRun.objects.get(task=FLUSH, outcome="skipped")
    assert "another run has been running since" in skipped.summary
    holder.refresh_from_db()
    assert holder.outcome == "running"


@pytest.mark.django_db
def test_a_run_whose_worker_vanished_is_taken_over_after_its_lock_expires(item_factory):
    item = item_factory()
    browse(item, 2)
    JobRun.objects.create(
        task=FLUSH,
        started_at=timezone.now() - datetime.timedelta(hours=1),
        expires_at=timezone.now() - datetime.timedelta(minutes=45),
    )
    flush_stats.delay()
    assert views(item) == 2
    assert sorted(JobRun.objects.filter(task=FLUSH).values_list("outcome", flat=True)) == ["lost", "ok"]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_one_waits_for_nothing(item_factory):
    """Two threads, two database connections: while one run is inside the job, the other skips."""
    inside, release = threading.Event(), threading.Event()

    @job("tests.slow_job", lock_seconds=60)
    def slow_job() -> str:
        inside.set()
        assert release.wait(20)
        return "done"

    outcomes = []

    def first() -> None:
        try:
            outcomes.append(slow_job.delay().get(disable_sync_subtasks=False))
        finally:
            from django.db import connection

            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert inside.wait(20)
        assert slow_job.delay().get(disable_sync_subtasks=False) == "skipped: another run is running"
    finally:
        release.set()
        thread.join(30)
    assert outcomes == ["done"]
    assert sorted(JobRun.objects.filter(task="tests.slow_job").values_list("outcome", flat=True)) == ["ok", "skipped"]
    # the lock is free again
    inside.clear()
    release.set()
    assert slow_job.delay().get(disable_sync_subtasks=False) == "done"


@pytest.mark.django_db
def test_a_failing_job_retries_then_logs_an_error_and_mails_the_admins(settings, caplog):
    settings.ADMINS = [("Operations", "ops@example.org")]
    calls = []

    @job("tests.failing_job", lock_seconds=60)
    def failing_job() -> str:
        calls.append(1)
        raise RuntimeError("the peer is gone")

    with caplog.at_level(logging.WARNING, logger="catalogue.tasks.runs"):
        result = failing_job.delay()
    assert result.failed()
    assert len(calls) == MAX_RETRIES + 1
    runs = list(JobRun.objects.filter(task="tests.failing_job").order_by("started_at", "id"))
    assert [(run.outcome, run.retries) for run in runs] == [("retry", 0), ("retry", 1), ("retry", 2), ("failed", 3)]
    assert all("RuntimeError: the peer is gone" in run.error for run in runs)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "catalogue.tasks.runs"]
    assert len(errors) == 1  # once, at the end (celery's worker logs the failure too)
    assert "tests.failing_job failed after 3 retries: RuntimeError: the peer is gone" in errors[0].getMessage()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.org"]
    assert "tests.failing_job" in mail.outbox[0].subject
    assert "the peer is gone" in mail.outbox[0].body


@pytest.mark.django_db
def test_without_admins_a_failure_is_only_logged(settings):
    settings.ADMINS = []

    @job("tests.failing_quietly", lock_seconds=60)
    def failing_quietly() -> str:
        raise ValueError("bad")

    assert failing_quietly.delay().failed()
    assert mail.outbox == []
    assert JobRun.objects.filter(task="tests.failing_quietly", outcome="failed").count() == 1


@pytest.mark.django_db
def test_the_harvest_job_with_no_archive_to_harvest_says_so():
    """A whole harvest through this job, from a real server on loopback and queued by the
    admin's "harvest now": tests/harvest/test_harvest_admin.py."""
    assert harvest_archives.delay().get() == "no archive to harvest"
    assert JobRun.objects.get(task="catalogue.tasks.harvest_archives").outcome == "ok"


@pytest.mark.django_db
def test_the_cleaning_job_removes_what_expired_and_keeps_the_rest(settings):
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now - datetime.timedelta(days=1))
    Session.objects.create(session_key="current", session_data="", expire_date=now + datetime.timedelta(days=1))
    cooled = AccessAttempt.objects.create(username="a", ip_address="192.0.2.1", failures_since_start=10)
    locked = AccessAttempt.objects.create(username="b", ip_address="192.0.2.2", failures_since_start=10)
    AccessAttempt.objects.filter(pk=cooled.pk).update(attempt_time=now - datetime.timedelta(hours=2))  # cool-off 1 h
    old_log = AccessLog.objects.create(username="a", ip_address="192.0.2.1")
    AccessLog.objects.filter(pk=old_log.pk).update(
        attempt_time=now - datetime.timedelta(days=settings.ACCESS_LOGS_KEEP_DAYS + 1)
    )
    recent_log = AccessLog.objects.create(username="b", ip_address="192.0.2.2")
    old_run = JobRun.objects.create(
        task=FLUSH, outcome="ok", started_at=now - datetime.timedelta(days=settings.JOB_RUNS_KEEP_DAYS + 1)
    )
    recent_run = JobRun.objects.create(task=FLUSH, outcome="ok", started_at=now - datetime.timedelta(days=1))

    clean_expired.delay()

    assert set(Session.objects.values_list("session_key", flat=True)) == {"current"}
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [locked.pk]
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent_log.pk]
    assert not JobRun.objects.filter(pk=old_run.pk).exists()
    assert JobRun.objects.filter(pk=recent_run.pk).exists()
    run = JobRun.objects.get(task="catalogue.tasks.clean_expired")
    assert run.outcome == "ok"
    assert "1 cooled-off log-in attempts, 1 access logs" in run.summary
    assert "1 job runs older than 30 days deleted" in run.summary
