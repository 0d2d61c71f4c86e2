"""NEP (New Economics Papers) reports, their issues and the items each announced."""

from django.db import models
from django.db.models.functions import Now
from django.urls import reverse

from .items import Item


class NepReport(models.Model):
    code = models.CharField(max_length=20, unique=True, help_text="nep-ino")
    name = models.CharField(max_length=255, help_text="Innovation")

    class Meta:
        ordering = ["code"]
        verbose_name = "NEP report"

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("nep_report", kwargs={"code": self.code})


class NepIssue(models.Model):
    report = models.ForeignKey(NepReport, on_delete=models.CASCADE, related_name="issues")
    date = models.DateField()
    created_at = models.DateTimeField(
        db_default=Now(), editable=False, help_text="When it came in: the alerts announce issues by this"
    )

    class Meta:
        ordering = ["report_id", "-date"]
        verbose_name = "NEP issue"
        constraints = [
            models.UniqueConstraint(fields=["report", "date"], name="nepissue_unique_date"),
        ]
        indexes = [
            # home page: the latest issues of all reports
            models.Index(fields=["date"], name="nepissue_date"),
            # the alerts: the issues that came in since a digest's last period
            models.Index(fields=["created_at"], name="nepissue_created"),
        ]

    def __str__(self) -> str:
        return f"{self.report.code} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("nep_issue", kwargs={"code": self.report.code, "date": f"{self.date:%Y-%m-%d}"})


class NepAnnouncement(models.Model):
    issue = models.ForeignKey(NepIssue, on_delete=models.CASCADE, related_name="announcements")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="nep_announcements")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["issue_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "item"], name="nepannouncement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} #{self.position}: {self.item_id}"
