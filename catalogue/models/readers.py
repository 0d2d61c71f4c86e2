"""What a logged-in reader keeps: the items of "My bibliography"."""

from django.conf import settings
from django.db import models

from .items import Item


class SavedItem(models.Model):
    """An item a reader saved ("Save this paper"), listed in their bibliography."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_items")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="saveditem_unique"),
        ]
        indexes = [
            # the bibliography page: a reader's items, newest first
            models.Index(fields=["user", "-created_at"], name="saveditem_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.item_id}"
