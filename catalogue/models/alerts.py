"""What a logged-in reader asked to hear about (NEP reports, authors, series, JEL codes,
searches), and what was mailed to them (catalogue.alerts; DECISIONS.md, D29).

One row per subscription, with a real foreign key per kind of target (exactly the one of its
kind set, a CheckConstraint says so), so that the digests join each kind to what is new in it.
One row per message decided (a digest of a period, a monthly author report), written in the same
transaction that moves its subscriptions on, so that nothing is decided, and sent, twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .archives import Series
from .items import JelCode
from .nep import NepReport
from .people import Person


class Subscription(models.Model):
    class Kind(models.TextChoices):
        NEP = "nep", "NEP reports"
        AUTHOR = "author", "Authors"
        SERIES = "series", "Series"
        JEL = "jel", "JEL codes"
        SEARCH = "search", "Saved searches"

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "As it happens"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"

    #: The foreign key each kind sets (a saved search sets `search` instead).
    TARGET_FIELDS = {Kind.NEP: "nep_report", Kind.AUTHOR: "person", Kind.SERIES: "series", Kind.JEL: "jel"}

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    nep_report = models.ForeignKey(NepReport, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    jel = models.ForeignKey(JelCode, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    search = models.CharField(
        max_length=2000, blank=True, help_text="A saved search's query string, normalised: sorted, no page or sort"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    covered_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="News up to this moment have gone into a digest (empty: none yet; news count from created_at)",
    )

    class Meta:
        ordering = ["user_id", "kind", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="nep", nep_report__isnull=False, person=None, series=None, jel=None, search="")
                    | Q(kind="author", nep_report=None, person__isnull=False, series=None, jel=None, search="")
                    | Q(kind="series", nep_report=None, person=None, series__isnull=False, jel=None, search="")
                    | Q(kind="jel", nep_report=None, person=None, series=None, jel__isnull=False, search="")
                    | (Q(kind="search", nep_report=None, person=None, series=None, jel=None) & ~Q(search=""))
                ),
                name="subscription_one_target",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=["immediate", "weekly", "monthly"]), name="subscription_frequency"
            ),
            # one subscription per reader and target (NULLs are distinct: other kinds do not clash)
            models.UniqueConstraint(fields=["user", "nep_report"], name="subscription_unique_nep"),
            models.UniqueConstraint(fields=["user", "person"], name="subscription_unique_person"),
            models.UniqueConstraint(fields=["user", "series"], name="subscription_unique_series"),
            models.UniqueConstraint(fields=["user", "jel"], name="subscription_unique_jel"),
            models.UniqueConstraint(
                fields=["user", "search"], condition=Q(kind="search"), name="subscription_unique_search"
            ),
        ]
        indexes = [
            # the digests: each kind's subscriptions due at a frequency
            models.Index(fields=["kind", "frequency", "user"], name="subscription_due"),
            # the digests: a frequency's subscriptions not covered up to the period's end, by reader
            models.Index(fields=["frequency", "user", "covered_until"], name="subscription_covered"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.kind} {self.target_id}"

    @property
    def target_id(self):
        if self.kind == self.Kind.SEARCH:
            return self.search
        return getattr(self, f"{self.TARGET_FIELDS[self.Kind(self.kind)]}_id")


class Mailing(models.Model):
    """One message decided for one reader: a digest of their alerts for a period, or their
    monthly author report. Written with the decision (and what it holds), then sent by the queue;
    the unique key makes a second decision for the same reader, kind and period impossible."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Alerts digest"
        REPORT = "report", "Monthly author report"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being handed to the mail server"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, to be tried again"
        BOUNCED = "bounced", "Refused by the recipient's server"
        GAVE_UP = "gave_up", "Given up"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    frequency = models.CharField(max_length=10, blank=True, help_text="A digest's frequency; empty for a report")
    period_end = models.DateTimeField(help_text="What it tells of happened up to this moment")
    content = models.JSONField(help_text="What it holds, as decided: sections of item and issue ids")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="A failed message is tried again after this"
    )
    error = models.CharField(max_length=1000, blank=True, help_text="The mail server's last answer, when it failed")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "frequency", "period_end"], name="mailing_unique_period"),
        ]
        indexes = [
            # the sender: messages still to send, oldest first
            models.Index(
                fields=["status", "id"], condition=Q(status__in=["pending", "failed"]), name="mailing_to_send"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id} up to {self.period_end:%Y-%m-%d %H:%M}: {self.status}"


class MailBounce(models.Model):
    """An address whose server refused mail for good (a 5xx answer to RCPT TO): nothing more is
    sent to it until its owner says it works again on /me/alerts/, or changes it."""

    email = models.CharField(max_length=254, unique=True, help_text="Lower case")
    code = models.PositiveSmallIntegerField(help_text="The SMTP reply code, such as 550")
    reply = models.CharField(max_length=1000, blank=True, help_text="What the server said")
    bounced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.email}: {self.code}"
