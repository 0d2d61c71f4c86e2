"""The nightly job: run through Celery (eager in tests), on record as a JobRun, on the
schedule; a failure is on record, retried, and leaves the current dump in place."""

import pytest
from django.conf import settings

from catalogue import opendata
from catalogue.models import JobRun
from catalogue.opendata import records
from catalogue.tasks import dump_catalogue

from .conftest import read_dump

TASK = "catalogue.tasks.dump_catalogue"


@pytest.mark.django_db
def test_the_job_writes_the_dump_and_is_on_record(catalogue_rows):
    result = dump_catalogue.delay()
    assert result.successful()
    run = JobRun.objects.get(task=TASK)
    assert run.outcome == "ok"
    assert "2 items" in run.summary
    assert "1 citations" in run.summary
    current = opendata.current()
    assert current is not None
    _manifest, found = read_dump(current.folder)
    assert len(found["items"]) == 2


@pytest.mark.django_db
def test_a_failing_job_is_retried_on_record_and_leaves_the_dump_before(monkeypatch, catalogue_rows):
    before = opendata.dump()

    def failing(*args, **kwargs):
        raise RuntimeError("no space left on device")

    monkeypatch.setattr(records, "item_record", failing)
    assert dump_catalogue.delay().failed()
    runs = list(JobRun.objects.filter(task=TASK).order_by("started_at", "id"))
    assert [run.outcome for run in runs] == ["retry", "retry", "retry", "failed"]
    assert "no space left on device" in runs[-1].error
    assert opendata.current().folder == before.folder
    read_dump(before.folder)


def test_the_job_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["dump-catalogue"]
    assert entry == {"task": TASK, "schedule": 86400.0}
