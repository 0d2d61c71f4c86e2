"""Anchors that let a deep page of a long browse list start near its rows (catalogue.browse.paging)."""

from django.db import models


class ListAnchor(models.Model):
    """Every STEP-th row of a long browse list in ascending order, with its sort key.

    A page deep in a list reads its ids from the nearest anchor on (a keyset condition plus an
    OFFSET under STEP) instead of skipping every row before it. Rebuilt with the list's count
    (catalogue.browse.counts), so both describe the same rows.
    """

    list_key = models.CharField(max_length=40, help_text="series:<id>, keyword:<id> or jel:<code>")
    position = models.PositiveIntegerField(help_text="0-based index in ascending order")
    year = models.IntegerField(default=0, help_text="Series lists: the item's year, 0 when it has none")
    number = models.CharField(max_length=100, blank=True, help_text="Series lists: the item's number")
    item_id = models.BigIntegerField()

    class Meta:
        ordering = ["list_key", "position"]
        constraints = [
            models.UniqueConstraint(fields=["list_key", "position"], name="listanchor_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.list_key}@{self.position}: {self.item_id}"
