"""Runs of the task queue's jobs (catalogue/tasks/): what staff see in the admin, and the lock.

A run is recorded when it starts (outcome `running`) and closed when it ends. At most one run of
a task may be `running` at a time (a unique constraint on the task among running rows, on
PostgreSQL and SQLite alike), so the row is also the lock that keeps a job from running twice
at once; a run whose worker vanished is taken over once its `expires_at` has passed
(DECISIONS.md, D17).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class JobRunQuerySet(models.QuerySet["JobRun"]):
    def last_success(self, task: str) -> datetime.datetime | None:
        """When the last run of `task` that ended well started (None: never, or pruned)."""
        return (
            self.filter(task=task, outcome=JobRun.Outcome.OK)
            .order_by("-started_at")
            .values_list("started_at", flat=True)
            .first()
        )

    def prune(self, before: datetime.datetime) -> int:
        """Delete the finished runs started before `before`; how many."""
        return self.filter(started_at__lt=before).exclude(outcome=JobRun.Outcome.RUNNING).delete()[0]


class JobRun(models.Model):
    class Outcome(models.TextChoices):
        RUNNING = "running", "running"
        OK = "ok", "ok"
        RETRY = "retry", "failed, retried later"
        FAILED = "failed", "failed"
        SKIPPED = "skipped", "skipped: already running"
        LOST = "lost", "lost: its worker stopped"

    task = models.CharField(max_length=200, help_text="the Celery task's name, e.g. catalogue.tasks.flush_stats")
    task_id = models.CharField(max_length=255, blank=True, help_text="the Celery task id (the same over retries)")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="while running: another run may take over after this moment"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    retries = models.PositiveSmallIntegerField(default=0, help_text="how many times this job was retried before")
    summary = models.TextField(blank=True, help_text="what the job reported")
    error = models.TextField(blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # the lock: one running row per task
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(outcome="running"), name="jobrun_one_running_per_task"
            ),
        ]
        indexes = [
            # the admin's list filtered by task, newest first; the last good run of a task
            models.Index(fields=["task", "-started_at"], name="jobrun_task_started"),
            # pruning old runs
            models.Index(fields=["started_at"], name="jobrun_started"),
        ]

    def __str__(self) -> str:
        return f"{self.task} at {self.started_at:%Y-%m-%d %H:%M:%S}: {self.outcome}"

    @property
    def duration(self) -> datetime.timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None
