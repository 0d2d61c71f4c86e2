"""Institutions (RePEc's EDIRC): imported from ReDIF-Institution templates, named by the
affiliations of registered authors."""

from django.db import models
from django.urls import reverse


class Institution(models.Model):
    """An institution known by its EDIRC handle (`RePEc:edi:esyoxuk`); its page is `/i/<code>.html`.

    A template names up to four levels (Primary: the university, Secondary: its department...);
    the institution is the innermost one, and `parent` the institution whose levels are the
    same but the last (linked after each import, whichever came first)."""

    handle = models.CharField(max_length=120, help_text="EDIRC handle: RePEc:edi:esyoxuk")
    handle_key = models.CharField(max_length=120, unique=True, help_text="The handle in lower case")
    code = models.CharField(
        max_length=7, unique=True, help_text="The handle's last part, lower case: its page's address"
    )
    name = models.CharField(max_length=255, help_text="The innermost level's English name if given, else its name")
    levels = models.JSONField(
        default=list, blank=True, help_text='Every level from the outermost in: [{"name": ..., "en": ...}]'
    )
    all_names = models.CharField(
        max_length=2000, blank=True, help_text="Every level's names and English names: what the chooser searches"
    )
    location = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2; blank when not known")
    homepage = models.URLField(max_length=2000, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    postal = models.CharField(max_length=5000, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", db_index=True
    )
    fingerprint = models.CharField(
        max_length=32, blank=True, editable=False, help_text="Hash of the template as imported"
    )
    work_count = models.PositiveIntegerField(
        default=0, help_text="Its registered authors' distinct works: the rows of InstitutionWork, kept with them"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # the directory's country pages (/i/c/<cc>.html), by name; its counts per country
            models.Index(fields=["country", "name", "id"], name="institution_country"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("institution", kwargs={"code": self.code})

    @property
    def native_names(self) -> list[str]:
        """The levels' own names, outermost first."""
        return [level.get("name", "") for level in self.levels]

    @property
    def full_name(self) -> str:
        """Every level, outermost first, in English where given: `Yale University, MacMillan Center`."""
        return ", ".join(level.get("en") or level.get("name", "") for level in self.levels) or self.name

    @property
    def native_name(self) -> str:
        """The innermost level's own name when the English one differs (shown beside it), else ""."""
        own = self.levels[-1].get("name", "") if self.levels else ""
        return own if own != self.name else ""


class InstitutionWork(models.Model):
    """A work of one of the institution's registered authors (an Authorship linked to a person
    with an Affiliation there): the institution page's list, kept so that a page of it is a
    range of one index and its length a column (Institution.work_count), whatever the size.

    Derived data, never edited: catalogue.browse.institutions rewrites the rows of the items
    and persons a write touched (through catalogue.changes.items_changed) and rebuilds them all
    with the statistics rollup (catalogue.stats.rollups.refresh_all)."""

    # no index of their own: the two below start with each
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="works", db_index=False)
    item = models.ForeignKey(
        "catalogue.Item", on_delete=models.CASCADE, related_name="institution_works", db_index=False
    )
    year = models.PositiveSmallIntegerField(default=0, help_text="The item's year, 0 when not known (listed last)")

    class Meta:
        ordering = ["institution_id", "-year", "-item_id"]
        constraints = [
            # each work once an institution; also the index of a rewrite by items (item first)
            models.UniqueConstraint(fields=["item", "institution"], name="institutionwork_unique"),
        ]
        indexes = [
            # /i/<code>.html: a page of an institution's works, newest first (an index-only range)
            models.Index(fields=["institution", "-year", "-item"], name="institutionwork_listing"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.item_id}"
