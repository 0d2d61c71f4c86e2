"""Corrections made through the ORM (the admin, a shell) keep the browse pages' kept counts and
anchors exact when they commit, as the search index is (catalogue/search/signals.py).

An item created, deleted or moved to another series, or whose year or number changes (the
series list's order), recounts its series (and their archives); a keyword link recounts its keyword; a
change of JEL codes recounts those codes and the codes above them. Importers write in bulk,
which sends no signals; they refresh what they touched themselves.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from ..browse.counts import refresh_counts
from ..models import Item, ItemKeyword

JelLink = Item.jel_codes.through


def _refresh(series=(), keywords=(), jel=()) -> None:
    wanted = {"series_ids": {s for s in series if s}, "keyword_ids": {k for k in keywords if k}, "jel_codes": set(jel)}
    if any(wanted.values()):
        transaction.on_commit(partial(refresh_counts, **{k: sorted(v) for k, v in wanted.items()}))


def item_before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._was = None
        return
    instance._was = Item.objects.filter(pk=instance.pk).values_list("series_id", "year", "number").first()


def item_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    was = getattr(instance, "_was", None)
    if created or was is None:
        _refresh(series=[instance.series_id])
    elif was != (instance.series_id, instance.year, instance.number):
        _refresh(series=[was[0], instance.series_id])


def item_deleted(sender, instance, **kwargs):
    _refresh(series=[instance.series_id])


def keyword_link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh(keywords=[instance.keyword_id])


def jel_changed(sender, instance, action, pk_set=None, reverse=False, **kwargs):
    if reverse:  # from the code's side: this code's items changed
        if action in ("post_add", "post_remove", "post_clear"):
            _refresh(jel=[instance.pk])
        return
    if action in ("post_add", "post_remove"):
        _refresh(jel=pk_set or ())
    elif action == "pre_clear":
        instance._jel_cleared = list(instance.jel_codes.values_list("code", flat=True))
    elif action == "post_clear":
        _refresh(jel=getattr(instance, "_jel_cleared", ()))


def connect() -> None:
    pre_save.connect(item_before_save, sender=Item, dispatch_uid="live-item-before")
    post_save.connect(item_saved, sender=Item, dispatch_uid="live-item-saved")
    post_delete.connect(item_deleted, sender=Item, dispatch_uid="live-item-deleted")
    post_save.connect(keyword_link_changed, sender=ItemKeyword, dispatch_uid="live-keyword-saved")
    post_delete.connect(keyword_link_changed, sender=ItemKeyword, dispatch_uid="live-keyword-deleted")
    m2m_changed.connect(jel_changed, sender=JelLink, dispatch_uid="live-jel")
