"""Reference lists, the citations matched from them, and related items."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .items import Item


class ReferenceQuerySet(models.QuerySet):
    def citing(self, item):
        """References that count as citations of `item`."""
        return self.filter(target=item, status__in=Reference.Status.counted())

    def citing_item_ids(self, item):
        """Ids of the items citing `item`, most recently catalogued first (may repeat an id)."""
        return self.citing(item).order_by("-citing_id").values("citing_id")

    def self_citation_of(self, item):
        """An expression for items: True when the item cites `item` and shares an author with it."""
        return models.Exists(self.citing(item).filter(citing=models.OuterRef("pk"), self_citation=True))


class Reference(models.Model):
    """One entry of an item's reference list, matched to a catalogue item or not.

    Positions from READERS_FROM on hold references that readers added (approved missing
    citations); a reload of the item's list from its source replaces the positions below only.
    """

    READERS_FROM = 100_000

    class Status(models.TextChoices):
        MATCHED = "matched", "Matched"
        UNCERTAIN = "uncertain", "Uncertain"
        UNMATCHED = "unmatched", "Unmatched"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

        @classmethod
        def counted(cls) -> list[str]:
            """The statuses that make a reference a citation of its target."""
            return [cls.MATCHED, cls.CONFIRMED]

        @classmethod
        def decided(cls) -> list[str]:
            """Decisions a person made, which the matcher never overrides."""
            return [cls.CONFIRMED, cls.REJECTED]

    citing = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveIntegerField()
    raw_text = models.TextField()
    title = models.CharField(max_length=1000, blank=True)
    authors = models.CharField(max_length=1000, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    doi = models.CharField(max_length=255, blank=True)
    cited_handle = models.CharField(max_length=250, blank=True, help_text="Handle given by the source, if any")
    target = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNMATCHED)
    score = models.FloatField(null=True, blank=True, help_text="Matcher's confidence, 0 to 1")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    self_citation = models.BooleanField(
        default=False, help_text="The citing and cited items share an author (RePEc leaves these out of rankings)"
    )
    matched_at = models.DateTimeField(
        null=True, blank=True, help_text="When the matcher last decided; empty: new or changed since (match_references)"
    )
    linked_at = models.DateTimeField(
        null=True, blank=True, help_text="Since when it counts as a citation of its target (the citation feeds' date)"
    )

    objects = ReferenceQuerySet.as_manager()
    # a correction or a person's decision through the ORM is on record; the matcher's and the
    # loader's bulk writes are not
    history = HistoricalRecords(excluded_fields=["matched_at", "score"])

    class Meta:
        ordering = ["citing_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["citing", "position"], name="reference_unique_position"),
        ]
        indexes = [
            # "Cited by" (newest citing items first) and citation counts: an index-only scan
            models.Index(fields=["target", "citing"], include=["status"], name="reference_target_citing"),
            # what match_references reads next: the references never matched since they changed
            models.Index(fields=["id"], condition=models.Q(matched_at__isnull=True), name="reference_to_match"),
        ]

    def __str__(self) -> str:
        return self.raw_text[:80]

    def link(self, status: str, target_id: int | None, now) -> None:
        """Set the outcome; `linked_at` becomes `now` when the reference starts counting as a
        citation of this target, and is kept while it goes on counting for the same one."""
        counts = target_id is not None and status in Reference.Status.counted()
        if not counts:
            self.linked_at = None
        elif not self.is_citation or self.target_id != target_id or self.linked_at is None:
            self.linked_at = now
        self.status, self.target_id = status, target_id

    @property
    def is_citation(self) -> bool:
        """True when this reference counts as a citation of its target."""
        return self.target_id is not None and self.status in Reference.Status.counted()


class RelatedItem(models.Model):
    """A precomputed "most related" neighbour, from co-citation and bibliographic coupling."""

    # Derived data, rewritten wholesale by compute_related (20 million rows at 1M items): no
    # foreign-key constraints in the database, whose checks at commit took longer than the
    # computation (DECISIONS.md); deleting an item through the ORM still deletes its rows.
    # Lookups by item use the unique (item, related) index.
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="related_links", db_constraint=False, db_index=False
    )
    related = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        ordering = ["item_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["item", "related"], name="relateditem_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} ~ {self.related_id} ({self.score:.3f})"


class CitationReport(models.Model):
    """A missing citation a reader reports, waiting for a moderator (staff, or the publisher of
    the cited item); approving it makes the citation.

    LINK: an unmatched (or wrongly matched) reference of `citing` cites `cited`.
    CITES: `citing` cites `cited` though its reference list, if any, does not show it; `text`
    is the reference as the citing item prints it.
    """

    class Kind(models.TextChoices):
        LINK = "link", "Reference links to an item"
        CITES = "cites", "Item cites an item"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    reference = models.ForeignKey(Reference, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    citing = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    cited = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="citation_reports")
    text = models.TextField(blank=True, help_text="The reference as the citing item prints it")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citation_reports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # one open report of a pair by a reader
            models.UniqueConstraint(
                fields=["submitted_by", "kind", "citing", "cited"],
                condition=models.Q(status="pending"),
                name="citationreport_one_pending",
            ),
        ]
        indexes = [
            # the moderation queue
            models.Index(fields=["status", "created_at"], name="citationreport_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.citing_id} -> {self.cited_id} ({self.status})"
