"""Corrections made through the ORM (the admin, a shell) reach `items_changed` when they commit.

Each receiver says what its row touched: an item (its search entry), and the lists whose kept
counts may move. An item created, deleted or moved to another series, or whose year or number
changes (the series list's order), recounts its series (and their archives); a keyword link
recounts its keyword; a change of JEL codes recounts those codes and the codes above them; a
renamed keyword reindexes its items. An affiliation saved or deleted rewrites the kept works
lists of its person's institutions; a person or an item deleted takes its rows out of them (the
institutions are read before the delete, whose cascade loses them). Importers and the generator
write in bulk, which sends no signals; they call `items_changed` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .. import pagecache
from ..models import (
    Affiliation,
    Authorship,
    File,
    HandleAlias,
    HarvestFile,
    InstitutionWork,
    Item,
    ItemKeyword,
    JobRun,
    Keyword,
    Person,
    SavedItem,
    VersionLink,
)
from . import items_changed

JelLink = Item.jel_codes.through


def _on_commit(item_ids: Iterable[int] = (), **lists: Any) -> None:
    # the cached pages: any_row_changed below has made them stale for this whole transaction
    transaction.on_commit(partial(items_changed, list(item_ids), pages=False, **lists))


def item_before_save(sender: type[Item], instance: Item, raw: bool = False, **kwargs: Any) -> None:
    # what the series list's order depends on before the save, and the handle (which version
    # links may name), kept on the instance for item_saved
    was = None if raw or instance.pk is None else _list_place(instance.pk)
    setattr(instance, "_was", was and was[:3])  # noqa: B010 (an attribute the model does not declare)
    setattr(instance, "_handle_was", was and was[3])  # noqa: B010


def _list_place(pk: int) -> tuple | None:
    return Item.objects.filter(pk=pk).values_list("series_id", "year", "number", "handle_key").first()


def item_saved(sender: type[Item], instance: Item, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the entry, not the counts (a fixture's lists are recounted by refresh_counts)
        _on_commit([instance.pk])
        return
    was = getattr(instance, "_was", None)
    # a new or renumbered item may be what version links name
    versions = created or getattr(instance, "_handle_was", None) != instance.handle_key
    if created or was is None:
        _on_commit([instance.pk], series=[instance.series_id], versions=versions)
    elif was != (instance.series_id, instance.year, instance.number):
        _on_commit([instance.pk], series=[was[0], instance.series_id], versions=versions)
    else:
        _on_commit([instance.pk], versions=versions)


def item_before_delete(sender: type[Item], instance: Item, **kwargs: Any) -> None:
    # the institutions listing it: the delete's cascade takes its rows before item_deleted runs
    institutions = InstitutionWork.objects.filter(item_id=instance.pk).values_list("institution_id", flat=True)
    setattr(instance, "_institutions", list(institutions))  # noqa: B010 (an attribute the model does not declare)


def item_deleted(sender: type[Item], instance: Item, **kwargs: Any) -> None:
    # its group's first item too: the others' groups are recomputed though it linked them
    institutions = getattr(instance, "_institutions", ())
    group = [instance.pk, instance.version_group or 0]
    _on_commit(group, series=[instance.series_id], versions=True, institutions=institutions)


def affiliation_changed(sender: type[Affiliation], instance: Affiliation, **kwargs: Any) -> None:
    """An affiliation added, changed or removed (the profile form, the admin): the works of its
    person move in or out of the institutions' lists."""
    _on_commit(persons=[instance.person_id])


def affiliation_before_save(sender: type[Affiliation], instance: Affiliation, raw: bool = False, **kwargs: Any) -> None:
    # the copies of the person's names, when the person is at hand (the profile form); else
    # affiliation_changed brings them on commit
    if not raw and Affiliation.person.is_cached(instance):
        instance.sort_last, instance.sort_first = instance.person.name_last, instance.person.name_first


NAMES = {"name_last", "name_first"}


def person_saved(sender: type[Person], instance: Person, raw: bool = False, **kwargs: Any) -> None:
    """A person saved (the profile form, the admin, an import): the copies of their names on
    their affiliations follow (and with them their works' rows, rewritten as they are)."""
    fields = kwargs.get("update_fields")
    if not raw and (fields is None or NAMES & set(fields)):
        _on_commit(persons=[instance.pk])


def person_before_delete(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    # their works: the delete unlinks their authorships (SET_NULL) without a signal
    works = Authorship.objects.filter(person_id=instance.pk).values_list("item_id", flat=True)
    setattr(instance, "_works", list(works))  # noqa: B010


def person_deleted(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    _on_commit(getattr(instance, "_works", ()))


def versions_changed(sender: type[Model], instance: HandleAlias | VersionLink, **kwargs: Any) -> None:
    """A version link decided or removed, an old handle given or taken: the item's group (and
    the groups of the items it was with) recomputed."""
    _on_commit([instance.item_id], versions=True)


def child_changed(sender: type[Model], instance: Authorship | File, **kwargs: Any) -> None:
    """An authorship or a file: the item's entry."""
    _on_commit([instance.item_id])


def keyword_link_changed(sender: type[ItemKeyword], instance: ItemKeyword, raw: bool = False, **kwargs: Any) -> None:
    _on_commit([instance.item_id], keywords=[] if raw else [instance.keyword_id])


def keyword_renamed(sender: type[Keyword], instance: Keyword, created: bool = False, **kwargs: Any) -> None:
    if not created:
        _on_commit(ItemKeyword.objects.filter(keyword=instance).values_list("item_id", flat=True))


def jel_changed(
    sender: type[Model], instance: Model, action: str, pk_set: set | None = None, reverse: bool = False, **kwargs: Any
) -> None:
    if reverse:  # from the code's side: this code's items changed
        if action in ("post_add", "post_remove", "post_clear"):
            _on_commit(pk_set or (), jel=[instance.pk])
        return
    if action in ("post_add", "post_remove"):
        _on_commit([instance.pk], jel=pk_set or ())
    elif action == "pre_clear":
        cleared = list(JelLink.objects.filter(item_id=instance.pk).values_list("jelcode_id", flat=True))
        setattr(instance, "_jel_cleared", cleared)  # noqa: B010 (for post_clear)
    elif action == "post_clear":
        _on_commit([instance.pk], jel=getattr(instance, "_jel_cleared", ()))


# rows no public page shows: a reader's saved items (their pages are never cached), the queue's
# record of its jobs (written every few minutes), the harvester's state of each remote file
UNSHOWN = {SavedItem._meta.label_lower, JobRun._meta.label_lower, HarvestFile._meta.label_lower}


def any_row_changed(sender: type[Model], **kwargs: Any) -> None:
    """Any other row of the catalogue saved or deleted through the ORM (a series, an archive, a
    person, a claim, a citation decision...): the cached pages are stale once it commits."""
    meta = sender._meta
    history = (meta.model_name or "").startswith("historical")  # comes with the row it records
    if meta.app_label == "catalogue" and meta.label_lower not in UNSHOWN and not history:
        pagecache.changed()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(any_row_changed, dispatch_uid=f"pagecache-{id(signal)}")
    pre_save.connect(item_before_save, sender=Item, dispatch_uid="changes-item-before")
    post_save.connect(item_saved, sender=Item, dispatch_uid="changes-item-saved")
    pre_delete.connect(item_before_delete, sender=Item, dispatch_uid="changes-item-before-delete")
    post_delete.connect(item_deleted, sender=Item, dispatch_uid="changes-item-deleted")
    pre_save.connect(affiliation_before_save, sender=Affiliation, dispatch_uid="changes-affiliation-before")
    post_save.connect(person_saved, sender=Person, dispatch_uid="changes-person-saved")
    pre_delete.connect(person_before_delete, sender=Person, dispatch_uid="changes-person-before-delete")
    post_delete.connect(person_deleted, sender=Person, dispatch_uid="changes-person-deleted")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(affiliation_changed, sender=Affiliation, dispatch_uid=f"changes-Affiliation-{name}")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        for model in (Authorship, File):
            signal.connect(child_changed, sender=model, dispatch_uid=f"changes-{model.__name__}-{name}")
        signal.connect(keyword_link_changed, sender=ItemKeyword, dispatch_uid=f"changes-ItemKeyword-{name}")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        for linked in (HandleAlias, VersionLink):
            signal.connect(versions_changed, sender=linked, dispatch_uid=f"changes-{linked.__name__}-{name}")
    post_save.connect(keyword_renamed, sender=Keyword, dispatch_uid="changes-keyword-renamed")
    m2m_changed.connect(jel_changed, sender=JelLink, dispatch_uid="changes-jel")
