"""The machinery every job shares (DECISIONS.md, D17).

- One run at a time: a run is recorded (JobRun, outcome `running`) before it starts, and the
  database allows one running row per task, so the row is the lock; a second run finds it
  taken, is recorded as skipped, and does nothing. A run whose worker vanished holds the lock
  until its `expires_at` (the job's `lock_seconds`), then the next run takes over.
- A failure retries with exponential backoff (`RETRY_BACKOFF` s, doubling, with jitter, at
  most `RETRY_BACKOFF_MAX` s) up to `MAX_RETRIES` times; each failed attempt is on record
  with its error; the last is logged at ERROR and mailed to ADMINS (when there are any).
"""

from __future__ import annotations

import datetime
import logging
import traceback
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import mail_admins
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from ..models import JobRun

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
RETRY_BACKOFF = 30  # seconds before the first retry; then 60, 120 (with jitter)
RETRY_BACKOFF_MAX = 1800
Outcome = JobRun.Outcome


def job(name: str, *, lock_seconds: int) -> Callable[[Callable[..., object]], Task]:
    """Make `func` the body of the task `name`: locked, recorded, retried (see the module)."""

    def decorate(func: Callable[..., object]) -> Task:
        @shared_task(  # type: ignore[untyped-decorator]
            name=name,
            bind=True,
            autoretry_for=(Exception,),
            retry_backoff=RETRY_BACKOFF,
            retry_backoff_max=RETRY_BACKOFF_MAX,
            retry_jitter=True,
            max_retries=MAX_RETRIES,
        )
        def task(self: Task, *args: Any, **kwargs: Any) -> str:
            return run_recorded(self, func, lock_seconds, *args, **kwargs)

        task.__doc__ = func.__doc__
        return task

    return decorate


def run_recorded(task: Task, func: Callable[..., object], lock_seconds: int, *args: Any, **kwargs: Any) -> str:
    """Run `func` if no other run of `task` is running, with its run on record; its summary."""
    retries = int(task.request.retries or 0)
    run = start_run(task.name, task.request.id or "", retries, lock_seconds)
    if run is None:
        logger.info("%s: another run is running; this one is skipped", task.name)
        return "skipped: another run is running"
    try:
        summary = str(func(*args, **kwargs) or "")
    except Exception as error:
        final = retries >= task.max_retries
        text = "".join(traceback.format_exception(error))
        finish_run(run, Outcome.FAILED if final else Outcome.RETRY, error=text)
        if final:
            report_failure(run, text)
        else:
            logger.warning(
                "%s failed (attempt %d of %d), retried later: %s", task.name, retries + 1, task.max_retries + 1, error
            )
        raise
    finish_run(run, Outcome.OK, summary=summary)
    logger.info("%s: %s", task.name, summary)
    return summary


def start_run(task: str, task_id: str, retries: int, lock_seconds: int) -> JobRun | None:
    """The new running row of `task` (the lock), or None when another run holds it (a skipped
    run is recorded). A running row past its expiry is marked lost and taken over."""
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return JobRun.objects.create(
                    task=task,
                    task_id=task_id,
                    started_at=now,
                    expires_at=now + datetime.timedelta(seconds=lock_seconds),
                    retries=retries,
                )
        except IntegrityError:
            lost = JobRun.objects.filter(task=task, outcome=Outcome.RUNNING, expires_at__lt=now).update(
                outcome=Outcome.LOST,
                finished_at=now,
                expires_at=None,
                error="no word from its worker before its lock expired: taken over by the next run",
            )
            if not lost:
                break
    holder = JobRun.objects.filter(task=task, outcome=Outcome.RUNNING).first()
    JobRun.objects.create(
        task=task,
        task_id=task_id,
        started_at=now,
        finished_at=now,
        outcome=Outcome.SKIPPED,
        retries=retries,
        summary=f"another run has been running since {holder.started_at:%Y-%m-%d %H:%M:%S}" if holder else "",
    )
    return None


def finish_run(run: JobRun, outcome: str, *, summary: str = "", error: str = "") -> None:
    """Close the run (which frees the lock). The database failing here is logged: the run then
    holds the lock until it expires."""
    run.outcome, run.finished_at, run.expires_at = outcome, timezone.now(), None
    run.summary, run.error = summary[:10_000], error[-20_000:]
    try:
        run.save(update_fields=["outcome", "finished_at", "expires_at", "summary", "error"])
    except DatabaseError:
        logger.exception("the run of %s could not be recorded as %s", run.task, outcome)


def report_failure(run: JobRun, text: str) -> None:
    """A job failed for good: an ERROR in the log, and a mail to ADMINS where there are any."""
    logger.error("%s failed after %d retries: %s", run.task, run.retries, text.strip().splitlines()[-1])
    if settings.ADMINS:
        mail_admins(
            f"Job {run.task} failed",
            f"The job {run.task} started at {run.started_at:%Y-%m-%d %H:%M:%S %Z} failed after "
            f"{run.retries} retries. Its runs: /admin/catalogue/jobrun/?task={run.task}\n\n{text}",
            fail_silently=True,
        )
