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
