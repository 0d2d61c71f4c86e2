"""Usage statistics: monthly figures per item (robots excluded upstream), and what refresh_stats
derives from them for the series, author and ranking pages (catalogue.stats.rollups)."""

from django.db import models

from .institutions import Institution
from .items import Item
from .people import Person


class MonthlyStat(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="monthly_stats")
    month = models.DateField(help_text="First day of the month")
    abstract_views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["item_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["item", "month"], name="monthlystat_unique_month"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.month:%Y-%m}"


class StatRollup(models.Model):
    """A series' or a registered author's monthly figures: the sum over its items (an author's
    distinct works). Written whole by refresh_stats, never incremented."""

    class Scope(models.TextChoices):
        SERIES = "series", "Series"
        PERSON = "person", "Registered author"

    scope = models.CharField(max_length=6, choices=Scope.choices)
    scope_id = models.PositiveBigIntegerField(help_text="The series' or the person's id")
    month = models.DateField(help_text="First day of the month")
    abstract_views = models.PositiveBigIntegerField(default=0)
    downloads = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["scope", "scope_id", "month"]
        constraints = [
            # also the index of the series and author statistics pages: one scope's months in order
            models.UniqueConstraint(fields=["scope", "scope_id", "month"], name="statrollup_unique_month"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.scope_id} {self.month:%Y-%m}"


class StatTotals(models.Model):
    """Totals over the last complete month, the 12 months ending with it, and all time, as of
    `last_month` (the month before the day refresh_stats ran)."""

    last_month = models.DateField(help_text="First day of the last complete month when these were computed")
    views_month = models.PositiveBigIntegerField(default=0)
    downloads_month = models.PositiveBigIntegerField(default=0)
    views_year = models.PositiveBigIntegerField(default=0)
    downloads_year = models.PositiveBigIntegerField(default=0)
    views_all = models.PositiveBigIntegerField(default=0)
    downloads_all = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True


def ranking_indexes(owner: str, prefix: str) -> list[models.Index]:
    """One index a ranking order: downloads or views, last month, 12 months or all time, most
    first, ties to the lower id (`<prefix>_top_downloads_month`...)."""
    return [
        models.Index(fields=[f"-{what}_{period}", owner], name=f"{prefix}_top_{what}_{period}")
        for what in ("downloads", "views")
        for period in ("month", "year", "all")
    ]


class ItemStatTotals(StatTotals):
    """An item's totals for the item rankings; a row for every item with monthly figures."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="stat_totals")

    class Meta:
        ordering = ["item_id"]
        verbose_name_plural = "item stat totals"
        # /stats/top/items.html?by=...&period=...: the first 50 (to 1,000) rows in this order,
        # read from the index; ties go to the older item (lower id)
        indexes = ranking_indexes("item", "itemstat")

    def __str__(self) -> str:
        return f"totals of item {self.item_id}"


class PersonStatTotals(StatTotals):
    """A registered author's totals over their distinct works, for the author rankings; a row
    for every person. `citations` leaves self-citations out, as rankings do."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="stat_totals")
    citations = models.PositiveBigIntegerField(default=0, help_text="Citations of the works, self-citations left out")

    class Meta:
        ordering = ["person_id"]
        verbose_name_plural = "person stat totals"
        # /stats/top/authors.html?by=...&period=...: ties go to the lower person id
        indexes = [
            *ranking_indexes("person", "personstat"),
            models.Index(fields=["-citations", "person"], name="personstat_top_citations"),
        ]

    def __str__(self) -> str:
        return f"totals of person {self.person_id}"


class InstitutionStatTotals(models.Model):
    """An institution's figures for the institution rankings: its registered authors' totals
    (PersonStatTotals), each weighted by the author's share of affiliation there (RePEc's rule:
    an author's figures are split over their affiliations by share, equally when shares are not
    all given), hence fractional. A row for every institution with an affiliated author."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, primary_key=True, related_name="stat_totals"
    )
    last_month = models.DateField(help_text="First day of the last complete month when these were computed")
    views_month = models.FloatField(default=0)
    downloads_month = models.FloatField(default=0)
    views_year = models.FloatField(default=0)
    downloads_year = models.FloatField(default=0)
    views_all = models.FloatField(default=0)
    downloads_all = models.FloatField(default=0)
    citations = models.FloatField(default=0, help_text="Citations of the authors' works, self-citations left out")
    authors = models.PositiveIntegerField(default=0, help_text="Registered authors affiliated")

    class Meta:
        ordering = ["institution_id"]
        verbose_name_plural = "institution stat totals"
        # /stats/top/institutions.html?by=...&period=...: ties go to the lower institution id
        indexes = [
            *ranking_indexes("institution", "inststat"),
            models.Index(fields=["-citations", "institution"], name="inststat_top_citations"),
        ]

    def __str__(self) -> str:
        return f"totals of institution {self.institution_id}"
