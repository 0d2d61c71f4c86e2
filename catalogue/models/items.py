"""Items and what hangs off them: handles, authorships, keywords, JEL codes, files."""

import re

from django.apps import apps
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..handles import handle_key
from .archives import Kind, Series
from .people import ORCID_URL, orcid_field


def version_key(title: str) -> str:
    """The key that groups versions of one work: the title's letters and digits, lower case."""
    return re.sub(r"[\W_]+", "", title.casefold())[:100]


def work_citations():
    """An item's citations without self-citations, its versions counted once (the rankings' figure):
    the group's counts when it has other versions, else its own."""
    return Coalesce("group_citation_count", "citation_count") - Coalesce(
        "group_self_citation_count", "self_citation_count"
    )


class JelCode(models.Model):
    """A JEL classification code; `O31` sits under `O3`, which sits under `O`."""

    code = models.CharField(max_length=3, primary_key=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(max_length=255, blank=True)
    item_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Items under this code or its sub-codes (catalogue.browse.counts)",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "JEL code"

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("jel", kwargs={"code": self.code})

    @staticmethod
    def parent_code(code: str) -> str | None:
        return code[:-1] if len(code) > 1 else None


class Keyword(models.Model):
    """A free keyword; `key` is its case-folded, space-normalised form (unique)."""

    key = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255)
    item_count = models.PositiveIntegerField(default=0, editable=False, help_text="Kept by catalogue.browse.counts")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("keyword", kwargs={"keyword": self.key})

    @staticmethod
    def make_key(name: str) -> str:
        return " ".join(name.casefold().split())[:255]


class ItemQuerySet(models.QuerySet):
    def by_handle(self, handle: str):
        return self.filter(handle_key=handle_key(handle))

    def at_path(self, archive: str, series: str, code: str):
        """The item at `/p/<archive>/<series>/<code>.html`, whatever the case."""
        return self.filter(series__archive__code=archive.lower(), series__code=series.lower(), slug=code.lower())

    def for_listing(self):
        """What a citation line needs: series, archive and the ordered authors."""
        return self.select_related("series__archive").prefetch_related(ordered_authorships())

    def for_export(self):
        """What an export of the item holds (catalogue.formatting.exports), in 5 queries: the item with its
        series and archive, authorships with persons, keywords, JEL codes, files."""
        return self.select_related("series__archive").prefetch_related(
            models.Prefetch("authorships", queryset=Authorship.objects.select_related("person").order_by("position")),
            models.Prefetch(
                "item_keywords", queryset=ItemKeyword.objects.select_related("keyword").order_by("position")
            ),
            "jel_codes",
            models.Prefetch("files", queryset=File.objects.order_by("position")),
        )

    def with_version_links(self):
        """What a ReDIF export writes besides (catalogue.formatting.redif): the links each item
        states or an author confirmed, with the other record's current handle, as
        `exported_links`, in 1 query more whatever the number of items."""
        links = apps.get_model("catalogue", "VersionLink").objects.exported()
        return self.prefetch_related(models.Prefetch("version_links", queryset=links, to_attr="exported_links"))

    def for_item_page(self):
        """Everything of its own that the item page prints (catalogue.pages.item), in 6 queries: what
        the export holds, the item replacing a withdrawn one, and the NEP announcements in date order.
        The page itself reads the same with queries compiled once (pages.item.item_at_path)."""
        announcements = apps.get_model("catalogue", "NepAnnouncement").objects.select_related("issue__report")
        return (
            self.for_export()
            .select_related("replaced_by__series__archive")
            .prefetch_related(
                models.Prefetch(
                    "nep_announcements", queryset=announcements.order_by("issue__date", "issue__report__code")
                )
            )
        )


class Item(models.Model):
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAPER)
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="items")
    slug = models.CharField(
        max_length=200,
        help_text="Item code in the URL: the handle after the series, colons removed, / as -, lower case",
    )
    handle = models.CharField(max_length=250, help_text="As published: RePEc:ipt:iptwpa:jrc108028")
    handle_key = models.CharField(max_length=250, unique=True, editable=False, help_text="The handle in lower case")
    title = models.CharField(max_length=1000)
    abstract = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of publication, for lists and citations"
    )
    creation_date = models.CharField(max_length=10, blank=True, help_text="yyyy, yyyy-mm or yyyy-mm-dd")
    revision_date = models.CharField(max_length=10, blank=True)
    publication_date = models.CharField(max_length=10, blank=True)
    number = models.CharField(max_length=100, blank=True)
    length = models.CharField(max_length=100, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    month = models.CharField(max_length=30, blank=True)
    journal = models.CharField(max_length=255, blank=True, help_text="Journal, when it differs from the series name")
    book_title = models.CharField(max_length=1000, blank=True)
    publisher = models.CharField(max_length=255, blank=True)
    edition = models.CharField(max_length=50, blank=True)
    isbn = models.CharField(max_length=50, blank=True)
    issn = models.CharField(max_length=20, blank=True)
    doi = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=50, blank=True)
    publication_status = models.CharField(max_length=1000, blank=True)
    note = models.TextField(blank=True)
    programming_language = models.CharField(max_length=100, blank=True)
    version_key = models.CharField(max_length=100, blank=True, editable=False, help_text="Groups other versions")
    citation_count = models.PositiveIntegerField(default=0, help_text="Matched and confirmed citations")
    self_citation_count = models.PositiveIntegerField(
        default=0, help_text="Citations by items sharing an author, counted in citation_count (rankings leave them out)"
    )
    version_group = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The smallest item id of its versions (VersionLink); empty: no other version",
    )
    group_citation_count = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Distinct items citing any of its versions; empty: no version"
    )
    group_self_citation_count = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Of those, the self-citations"
    )
    keywords: "models.ManyToManyField[Keyword, ItemKeyword]" = models.ManyToManyField(
        Keyword, through="ItemKeyword", related_name="items"
    )
    jel_codes = models.ManyToManyField(JelCode, related_name="items", blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="Set: the item is withdrawn; its page says so")
    withdrawal_note = models.CharField(max_length=500, blank=True, help_text="Why it was withdrawn, shown on its page")
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A withdrawn item's replacement: its page redirects there",
    )
    corrected_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last correction through the admin, shown on the page"
    )
    source = models.CharField(max_length=500, blank=True, help_text="file:line it was last imported from")
    fingerprint = models.CharField(max_length=32, blank=True, editable=False, help_text="Hash of the imported record")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()
    # corrections on record (who, when, each field before and after); imports write in bulk, unrecorded
    history = HistoricalRecords(
        excluded_fields=[
            "citation_count",
            "self_citation_count",
            "fingerprint",
            "updated_at",
            "version_key",
            "version_group",
            "group_citation_count",
            "group_self_citation_count",
        ],
        m2m_fields=[jel_codes],
    )

    class Meta:
        ordering = ["handle_key"]  # indexed and join-free (an ordering through series joins two tables)
        constraints = [
            models.UniqueConstraint(fields=["series", "slug"], name="item_unique_slug_in_series"),
        ]
        indexes = [
            # series page: a page of a series' ids by year (0 when unknown), number and id, newest
            # first, from the nearest ListAnchor (an index-only scan read backwards)
            models.Index(F("series"), Coalesce("year", 0), F("number"), F("id"), name="item_series_listing"),
            # other versions of an item
            models.Index(fields=["version_key"], name="item_version_key"),
            # reference matching by DOI, and a DOI pasted into the search box
            models.Index(fields=["doi"], name="item_doi"),
            # an item's number pasted into the search box (catalogue.search.identifiers)
            models.Index(fields=["slug"], name="item_slug"),
            # /stats/top/items.html?by=citations: citations without self-citations, a work's versions
            # counted once, most first, ties to the older item (catalogue.stats.rankings orders by
            # this very expression, work_citations())
            models.Index(work_citations().desc(), F("id"), name="item_top_citations"),
            # the other versions of an item
            models.Index(fields=["version_group"], name="item_version_group"),
            # the admin's item list filtered by type, in handle order (books are 1 in 100 items:
            # without it, the list read the handle index until it met 100 of them)
            models.Index(fields=["kind", "handle_key"], name="item_kind_handle"),
            # OAI-PMH lists (catalogue/oai/records.py): a page of items in datestamp order after the
            # last (updated_at, id) sent, and the earliest datestamp
            models.Index(fields=["updated_at", "id"], name="item_oai_datestamp"),
            # the alerts (catalogue.alerts.news): the items that came in during a period
            models.Index(fields=["created_at", "id"], name="item_created"),
            # the admin's list of withdrawn items, in handle order (a few rows of a million)
            models.Index(
                fields=["handle_key"], condition=models.Q(withdrawn_at__isnull=False), name="item_withdrawn_handle"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.handle_key = handle_key(self.handle)
        self.version_key = version_key(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("item", kwargs=self.url_kwargs())

    def url_kwargs(self) -> dict[str, str]:
        """The parts of the item's address, shared by its page and its sub-pages."""
        return {
            "letter": Kind(self.kind).letter,
            "archive": self.series.archive.code,
            "series": self.series.code,
            "code": self.slug,
        }

    def get_stats_url(self) -> str:
        return reverse("item_stats", kwargs=self.url_kwargs())

    def get_cited_by_url(self) -> str:
        return reverse("cited_by", kwargs=self.url_kwargs())

    def get_chapters_url(self) -> str:
        """A book's chapters, all of them (views.chapters)."""
        return reverse("chapters", kwargs=self.url_kwargs())

    @property
    def kind_letter(self) -> str:
        return Kind(self.kind).letter


def ordered_authorships() -> models.Prefetch:
    """Prefetch of an item's authorships in their order on the item."""
    return models.Prefetch("authorships", queryset=Authorship.objects.order_by("position"))


class HandleAlias(models.Model):
    """An old handle of an item; requests for it redirect (301) to the item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="aliases")
    handle = models.CharField(max_length=250)
    handle_key = models.CharField(max_length=250, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["handle_key"]
        verbose_name_plural = "handle aliases"

    def __str__(self) -> str:
        return self.handle

    def save(self, *args, **kwargs):
        self.handle_key = handle_key(self.handle)
        super().save(*args, **kwargs)


def item_by_handle(handle: str, queryset: models.QuerySet | None = None) -> Item | None:
    """The item a handle names, or an old handle of it (HandleAlias), whatever the case; from
    `queryset` when it is the current handle (default: with its series and archive loaded; one
    query, two for an alias). None when nothing has it."""
    key = handle_key(handle)
    queryset = Item.objects.select_related("series__archive") if queryset is None else queryset
    item = queryset.filter(handle_key=key).first()
    if item is None:
        alias = HandleAlias.objects.select_related("item__series__archive").filter(handle_key=key).first()
        item = alias.item if alias else None
    return item


class Authorship(models.Model):
    """An author (or editor) as written on an item, in order; maybe linked to a registered person."""

    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        EDITOR = "editor", "Editor"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.AUTHOR)
    name = models.CharField(max_length=255)
    email = models.EmailField(max_length=254, blank=True)
    workplace = models.CharField(max_length=500, blank=True)
    homepage = models.URLField(max_length=2000, blank=True)
    person = models.ForeignKey(
        "catalogue.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="authorships"
    )
    orcid = orcid_field(help_text="As the item's template gives it (Author-Orcid); a registered person's iD wins")

    history = HistoricalRecords()

    class Meta:
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="authorship_unique_position"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def orcid_id(self) -> str:
        """The author's ORCID iD: the registered person's, else the one the template gave."""
        person = self.person if self.person_id else None
        return (person.orcid if person is not None else "") or self.orcid

    @property
    def orcid_url(self) -> str:
        return ORCID_URL + self.orcid_id if self.orcid_id else ""


class ItemKeyword(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="item_keywords")
    keyword = models.ForeignKey(Keyword, on_delete=models.CASCADE, related_name="item_keywords")
    position = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "keyword"], name="itemkeyword_unique"),
        ]
        indexes = [
            # keyword page: a page of a keyword's item ids, newest first, by an index-only scan
            models.Index(fields=["keyword", "item"], name="itemkeyword_keyword_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.keyword_id}"


class File(models.Model):
    """A download link of an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=2000)
    format = models.CharField(max_length=100, blank=True, help_text="MIME type: application/pdf")
    function = models.CharField(max_length=255, blank=True, help_text="What the file is: Full text, Data")
    restriction = models.CharField(max_length=500, blank=True, help_text="Empty when freely available")
    size = models.CharField(max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="file_unique_position"),
        ]

    def __str__(self) -> str:
        return self.url
