"""Archives (a publisher's metadata archive, `ipt`) and their series (`iptwpa`)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    """The five kinds of research item, each with the letter IDEAS uses in its URLs."""

    PAPER = "paper", "Working paper"
    ARTICLE = "article", "Journal article"
    CHAPTER = "chapter", "Book chapter"
    BOOK = "book", "Book"
    SOFTWARE = "software", "Software component"

    @property
    def letter(self) -> str:
        return KIND_LETTERS[self.value]

    @classmethod
    def from_letter(cls, letter: str) -> "Kind | None":
        for value, kind_letter in KIND_LETTERS.items():
            if kind_letter == letter:
                return cls(value)
        return None


KIND_LETTERS = {"paper": "p", "article": "a", "chapter": "h", "book": "b", "software": "c"}


@dataclass(frozen=True)
class Contact:
    """Whom to write to, as templates/_contact.html prints it: a name (linked to the homepage when
    there is one), then the e-mail address when there is one."""

    name: str
    email: str = ""
    homepage: str = ""


class ArchiveQuerySet(models.QuerySet):
    def by_code(self, code: str):
        return self.filter(code=code.lower())


class Archive(models.Model):
    code = models.CharField(max_length=3, unique=True, help_text="Three letters, lower case: ipt")
    handle = models.CharField(max_length=20, help_text="As published: RePEc:ipt")
    name = models.CharField(max_length=255)
    url = models.URLField(max_length=2000, blank=True, help_text="Where the archive's files live")
    homepage = models.URLField(max_length=2000, blank=True)
    maintainer_name = models.CharField(max_length=255, blank=True)
    maintainer_email = models.EmailField(max_length=254, blank=True)
    description = models.TextField(blank=True)
    series_count = models.PositiveIntegerField(default=0, editable=False, help_text="Kept by catalogue.browse.counts")
    item_count = models.PositiveIntegerField(default=0, editable=False, help_text="Kept by catalogue.browse.counts")
    citation_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Citations of its items; kept by catalogue.citations.counts"
    )
    publishers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="published_archives",
        help_text="Accounts that may correct this archive's records in the admin",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArchiveQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["series_count", "item_count", "citation_count", "updated_at"])

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("archive", kwargs={"archive": self.code})

    @property
    def maintainer(self) -> Contact | None:
        """The maintainer as given (a name, an address or both); None when neither is."""
        if not (self.maintainer_name or self.maintainer_email):
            return None
        return Contact(self.maintainer_name, self.maintainer_email)


class SeriesQuerySet(models.QuerySet):
    def by_codes(self, archive: str, series: str):
        return self.filter(archive__code=archive.lower(), code=series.lower())


class Series(models.Model):
    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="series")
    code = models.CharField(max_length=6, help_text="Six letters or digits, lower case: iptwpa")
    handle = models.CharField(max_length=40, help_text="As published: RePEc:ipt:iptwpa")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAPER)
    description = models.TextField(blank=True)
    provider_name = models.CharField(max_length=255, blank=True)
    provider_homepage = models.URLField(max_length=2000, blank=True)
    provider_institution = models.CharField(max_length=100, blank=True)
    maintainer_name = models.CharField(max_length=255, blank=True)
    maintainer_email = models.EmailField(max_length=254, blank=True)
    homepage = models.URLField(max_length=2000, blank=True)
    issn = models.CharField(max_length=20, blank=True)
    item_count = models.PositiveIntegerField(default=0, editable=False, help_text="Kept by catalogue.browse.counts")
    citation_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Citations of its items; kept by catalogue.citations.counts"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeriesQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["item_count", "citation_count", "updated_at"])

    class Meta:
        ordering = ["archive__code", "code"]
        verbose_name_plural = "series"
        constraints = [
            models.UniqueConstraint(fields=["archive", "code"], name="series_unique_code_in_archive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.handle})"

    def get_absolute_url(self) -> str:
        return reverse("series", kwargs={"archive": self.archive.code, "series": self.code})

    @property
    def maintainer(self) -> Contact | None:
        """The maintainer as given (a name, an address or both); None when neither is."""
        if not (self.maintainer_name or self.maintainer_email):
            return None
        return Contact(self.maintainer_name, self.maintainer_email)

    @property
    def contact(self) -> Contact:
        """Whom to write to about its items: its maintainer, else its archive's (loaded with it),
        named by role when only an address is given."""
        for maintainer, role in (
            (self.maintainer, "the series maintainer"),
            (self.archive.maintainer, "the archive maintainer"),
        ):
            if maintainer:
                return Contact(maintainer.name or role, maintainer.email)
        return Contact("the archive maintainer")

    @property
    def provider(self) -> Contact:
        """Who provides it: the provider's name, else its homepage, else the archive's name; linked
        to the provider's homepage when there is one."""
        return Contact(
            self.provider_name or self.provider_homepage or self.archive.name, homepage=self.provider_homepage
        )
