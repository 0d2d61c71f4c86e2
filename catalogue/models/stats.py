"""Monthly usage statistics per item (robots excluded upstream)."""

from django.db import models

from .items import Item


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
