"""Corrections made through the ORM (the admin, a shell) reach the search index when they commit.

Importers write in bulk, which sends no signals; they call `index_items` themselves.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ..models import Authorship, File, Item, ItemKeyword, Keyword
from .indexing import index_items


def _reindex(item_ids) -> None:
    transaction.on_commit(partial(index_items, list(item_ids)))


def item_changed(sender, instance, **kwargs):
    _reindex([instance.pk])


def child_changed(sender, instance, **kwargs):
    _reindex([instance.item_id])


def keyword_changed(sender, instance, created=False, **kwargs):
    if not created:
        _reindex(ItemKeyword.objects.filter(keyword=instance).values_list("item_id", flat=True))


def connect() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(item_changed, sender=Item, dispatch_uid=f"search-{name}-item")
        for model in (Authorship, ItemKeyword, File):
            signal.connect(child_changed, sender=model, dispatch_uid=f"search-{name}-{model.__name__}")
    post_save.connect(keyword_changed, sender=Keyword, dispatch_uid="search-keyword")
