"""Versions of a work: the links between records that are one work (a working paper and the
article it became), kept by handle like claims, and the groups they make (Item.version_group)."""

from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .items import HandleAlias, Item
from .people import Person


class VersionLinkQuerySet(models.QuerySet):
    def exported(self):
        """The links a ReDIF export writes: the stated ones and the versions an author confirmed
        (never a refusal), each with the other record's current handle and kind (`other_handle`,
        `other_kind`: found by its handle, else by an old one; "" when it is not imported), in the
        order they were written (a template's, for stated links). Four lookups a link, each on a
        unique index; one query for any number of items."""
        by_handle = Item.objects.filter(handle_key=OuterRef("other_key")).order_by()
        by_alias = HandleAlias.objects.filter(handle_key=OuterRef("other_key")).order_by()
        return (
            self.filter(source__in=[VersionLink.Source.STATED, VersionLink.Source.CONFIRMED])
            .annotate(
                other_handle=Coalesce(
                    Subquery(by_handle.values("handle")[:1]), Subquery(by_alias.values("item__handle")[:1]), Value("")
                ),
                other_kind=Coalesce(
                    Subquery(by_handle.values("kind")[:1]), Subquery(by_alias.values("item__kind")[:1]), Value("")
                ),
            )
            .order_by("item_id", "pk")
        )


class VersionLink(models.Model):
    """A record names another: stated in its ReDIF template, or confirmed (or refused) by an author.

    The other record is named by its handle key, so a link is kept before that record is
    imported, and a link naming an old handle (HandleAlias) reaches the renumbered item.
    Stated links are rewritten with the item at each import; an author's decisions are kept.
    """

    class Source(models.TextChoices):
        STATED = "stated", "Stated in the ReDIF template"
        CONFIRMED = "confirmed", "Confirmed by an author"
        REFUSED = "refused", "Refused by an author"

    class Relation(models.TextChoices):
        VERSION = "version", "Another version of the same work"
        PART = "part", "A chapter of the book, or the book of the chapter"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="version_links")
    other_key = models.CharField(max_length=250, help_text="The other record's handle, lower case")
    relation = models.CharField(max_length=10, choices=Relation.choices, default=Relation.VERSION)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STATED)
    field = models.CharField(max_length=20, blank=True, help_text="The ReDIF field that states it: paper-handle")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Who decided"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = VersionLinkQuerySet.as_manager()

    class Meta:
        ordering = ["item_id", "other_key"]
        constraints = [
            models.UniqueConstraint(fields=["item", "other_key", "source"], name="versionlink_unique"),
        ]
        indexes = [
            # the links naming an imported item (or an old handle of it)
            models.Index(fields=["other_key"], name="versionlink_other_key"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.source} {self.relation} {self.other_key}"

    @classmethod
    def joining(cls) -> models.Q:
        """The links that make two records one work: stated or confirmed versions."""
        return models.Q(relation=cls.Relation.VERSION, source__in=[cls.Source.STATED, cls.Source.CONFIRMED])
