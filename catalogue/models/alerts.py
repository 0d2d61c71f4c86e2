"""What a logged-in reader asked to hear about: NEP reports, authors, series, JEL codes, searches.

One row per subscription, with a real foreign key per kind of target (exactly the one of its
kind set, a CheckConstraint says so), so that the digests join each kind to what is new in it.
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
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last digest with this subscription's news was sent"
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
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.kind} {self.target_id}"

    @property
    def target_id(self):
        if self.kind == self.Kind.SEARCH:
            return self.search
        return getattr(self, f"{self.TARGET_FIELDS[self.Kind(self.kind)]}_id")
