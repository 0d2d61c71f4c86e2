"""The search index's narrow table: one row per item, the columns search filters and sorts on.

The text itself lives beside it, in storage each backend creates in migration 0004: on
PostgreSQL two tsvector columns of this table (`head`: title, authors and keywords;
`document`: those and the abstract) with GIN indexes; on SQLite an FTS5 table
`catalogue_searchtext` whose rowid is the item id. `catalogue.search.indexing` keeps both in
step with the catalogue. The table is narrow on purpose: a search reads thousands of rows,
and the item table is wide.
"""

from django.db import models

from .archives import Archive, Kind, Series
from .items import Item

SAMPLE_BUCKETS = 100  # `sample` is a hash of the item id in 0..99
SAMPLE_BELOW = 5  # the 5% sample that estimates counts of large result sets
SMALL_SAMPLE_BELOW = 1  # the 1% sample (within the 5%) for very large ones


class SearchEntry(models.Model):
    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(default=0, help_text="0 when the item has no year")
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    citations = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    free = models.BooleanField(default=False, help_text="Has a file without restriction")
    jel_tops = models.CharField(max_length=26, blank=True, help_text="Top-level JEL letters, for facet counts")
    sample = models.PositiveSmallIntegerField(default=0, help_text="Hash of the item id, 0-99")

    class Meta:
        ordering = ["item_id"]
        verbose_name_plural = "search entries"
        indexes = [
            # sort=cited, and relevance candidates (the most cited matches first)
            models.Index(models.F("citations").desc(), models.F("item_id").desc(), name="search_cited"),
            # sort=downloads
            models.Index(models.F("downloads").desc(), models.F("item_id").desc(), name="search_downloads"),
            # sort=newest
            models.Index(models.F("year").desc(), models.F("item_id").desc(), name="search_newest"),
            # type=b, h or c (each under 1% of items): ANDed with the text index's bitmap instead
            # of filtering every match. Partial: papers and articles are too common for an index
            # to pay, and the planner would still use it, building a bitmap of 40% of the table.
            models.Index(
                fields=["kind"],
                name="search_kind_rare",
                condition=models.Q(kind__in=[Kind.BOOK, Kind.CHAPTER, Kind.SOFTWARE]),
            ),
        ]

    def __str__(self) -> str:
        return str(self.item_id)
