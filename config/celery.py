"""The Celery app: the task queue's workers and scheduler (`celery -A config worker`, `... beat`).

Its settings are Django's with the CELERY_ prefix (config/settings.py); the tasks are found in
catalogue/tasks/ (DECISIONS.md, D17).
"""

import datetime
import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.beat import PersistentScheduler, ScheduleEntry

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_configure.connect
def make_broker_folders(sender: Celery, **kwargs: object) -> None:
    """The filesystem transport needs its folders before the first message."""
    from django.conf import settings  # the app's conf is being built: read its source

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


class DueAtStartEntry(ScheduleEntry):
    """A scheduled job that has never run (no record in the scheduler's file) is due at once.

    Celery's entries count their first interval from the scheduler's start, so a daily job
    whose scheduler restarts more often than daily without its file (a platform's disk that
    does not survive a restart) would never run. Every job is idempotent and incremental, so
    running each once at a fresh start costs little.
    """

    NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

    def __init__(
        self,
        name: str | None = None,
        task: str | None = None,
        last_run_at: datetime.datetime | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        # None only for an entry made from the settings with no record: after a run, beat
        # makes the next entry with its own now (_next_instance), and unpickles with the record
        super().__init__(name, task, last_run_at or self.NEVER, *args, **kwargs)


class Scheduler(PersistentScheduler):
    """beat's scheduler (settings.CELERY_BEAT_SCHEDULER): its state in VAR_DIR, as Celery's."""

    Entry = DueAtStartEntry
