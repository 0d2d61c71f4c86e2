"""Harvesting (issue 15): each run of an archive's harvest, and each remote file it has seen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from .archives import Archive


def last_harvest() -> models.Subquery:
    """When the archive (the outer query's row) was last harvested with success (ok or flagged),
    as a subquery to annotate the archive page's one query with (`harvested_at`)."""
    runs = HarvestRun.objects.filter(
        archive=models.OuterRef("pk"), status__in=[HarvestRun.Status.OK, HarvestRun.Status.FLAGGED]
    )
    return models.Subquery(runs.order_by("-finished").values("finished")[:1])


class HarvestRun(models.Model):
    """One harvest of one archive: what it saw, fetched and imported, and every error as `url:line: what`."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "OK"
        FLAGGED = "flagged", "Flagged: nothing withdrawn"
        FAILED = "failed", "Failed"

    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="harvest_runs")
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    url = models.URLField(max_length=2000, help_text="The archive's URL when it ran")
    forced = models.BooleanField(default=False, help_text="Every file fetched and imported, changed or not")
    files_seen = models.PositiveIntegerField(default=0)
    files_fetched = models.PositiveIntegerField(default=0, help_text="Fetched and imported: new or changed")
    files_unchanged = models.PositiveIntegerField(default=0)
    files_failed = models.PositiveIntegerField(default=0)
    files_missing = models.PositiveIntegerField(default=0, help_text="Known files not in the listing")
    items_created = models.PositiveIntegerField(default=0)
    items_updated = models.PositiveIntegerField(default=0)
    items_withdrawn = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0, help_text="Requests made (listings, files, retries)")
    flag = models.CharField(max_length=500, blank=True, help_text="Why nothing was withdrawn")
    errors = models.TextField(blank=True, help_text="One a line: url:line: what is wrong")
    warnings = models.TextField(blank=True, help_text="One a line: url:line: what was taken how")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started", "-id"]
        indexes = [
            # an archive's runs, newest first (the admin's list filtered by archive, the archive page)
            models.Index(fields=["archive", "-started"], name="harvestrun_archive_started"),
        ]

    def __str__(self) -> str:
        return f"{self.archive.code} {self.started:%Y-%m-%d %H:%M} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("admin:catalogue_harvestrun_change", args=[self.pk])

    @property
    def error_lines(self) -> list[str]:
        return self.errors.splitlines()

    @property
    def warning_lines(self) -> list[str]:
        return self.warnings.splitlines()


class HarvestFile(models.Model):
    """A remote ReDIF file of an archive: how it was last fetched, so a re-harvest asks only
    whether it changed (ETag, Last-Modified; size and time over FTP) and a content hash; and
    how many successful harvests in a row have missed it (its items go at the third)."""

    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="harvest_files")
    url = models.CharField(max_length=2000)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True, help_text="As the server sent it")
    size = models.BigIntegerField(null=True, blank=True)
    mtime = models.CharField(max_length=40, blank=True, help_text="FTP: the listing's modification time")
    sha256 = models.CharField(max_length=64, blank=True)
    handles = models.TextField(blank=True, help_text="The item handles it held, one a line (lower case)")
    last_seen_run = models.ForeignKey(HarvestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_fetched = models.DateTimeField(null=True, blank=True)
    missing_count = models.PositiveSmallIntegerField(default=0, help_text="Successful harvests in a row without it")
    withdrawn = models.BooleanField(default=False, help_text="Gone for good: its items were withdrawn")

    class Meta:
        ordering = ["archive", "url"]
        constraints = [models.UniqueConstraint(fields=["archive", "url"], name="harvestfile_unique_url")]

    def __str__(self) -> str:
        return self.url

    @property
    def handle_keys(self) -> set[str]:
        return set(self.handles.split())
