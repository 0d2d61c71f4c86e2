"""Versions of a work: the links between records that are one work (a working paper and the
article it became), kept by handle like claims, and the groups they make (Item.version_group)."""

from collections.abc import Iterable

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


def parts_of(item_id: int):
    """The records stated as this one's parts or as its whole (`relation=part`, whichever record
    says so): a book's chapters (its HasChapter, or their In-Book naming it), a chapter's book
    (its In-Book, or the book's HasChapter naming it), by handle or an old one. Each with
    `position`: the order in which this item's own template names it (a book's HasChapter; by
    its handle, else an old one), None for a record that only names this one. Ordered by that,
    then by title."""
    part = VersionLink.Relation.PART
    own = VersionLink.objects.filter(item_id=item_id, relation=part)
    my_keys = Item.objects.filter(pk=item_id).values("handle_key")
    my_old_keys = HandleAlias.objects.filter(item_id=item_id).values("handle_key")
    naming_me = VersionLink.objects.filter(relation=part).filter(
        models.Q(other_key__in=my_keys) | models.Q(other_key__in=my_old_keys)
    )
    named = HandleAlias.objects.filter(handle_key__in=own.values("other_key")).values("item_id")
    old_keys = HandleAlias.objects.filter(item_id=OuterRef(OuterRef("pk"))).values("handle_key")
    return (
        Item.objects.filter(
            models.Q(handle_key__in=own.values("other_key"))
            | models.Q(pk__in=named)
            | models.Q(pk__in=naming_me.values("item_id"))
        )
        .exclude(pk=item_id)
        .annotate(
            position=Coalesce(
                Subquery(own.filter(other_key=OuterRef("handle_key")).order_by("pk").values("pk")[:1]),
                Subquery(own.filter(other_key__in=old_keys).order_by("pk").values("pk")[:1]),
            )
        )
        .order_by(models.F("position").asc(nulls_last=True), "title", "pk")
    )


def version_handles(items: Iterable[Item]) -> dict[int, list[str]]:
    """item id -> the handles of the other records of its work (its group: linked versions,
    counted once), in id order, for those of these items that have a group: one query, none
    when none has."""
    grouped = [item for item in items if item.version_group is not None]
    if not grouped:
        return {}
    members: dict[int, list[tuple[int, str]]] = {}
    rows = Item.objects.filter(version_group__in={item.version_group for item in grouped}).order_by("pk")
    for pk, group, handle in rows.values_list("pk", "version_group", "handle"):
        members.setdefault(group, []).append((pk, handle))
    return {item.pk: [h for pk, h in members.get(item.version_group, []) if pk != item.pk] for item in grouped}  # type: ignore[arg-type]
