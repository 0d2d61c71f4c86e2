"""Versions of a work kept in step: each item's group (`Item.version_group`) and the group's
citation counts (`group_citation_count`, `group_self_citation_count`), what `items_changed`
does after a write that may move links (`versions=True`) or citations (`citations_only`).

A group is a connected set of items joined by stated or confirmed version links
(`VersionLink.joining()`), whichever record names the other, by its handle or an old one
(HandleAlias). Its id is the smallest item id in it; an item without another version has none
(NULL), and its own counts stand for the group's, so no writer of items or citations has to
know about versions. Everything here works on sets of ids, a few statements a step whatever
their number (a step follows the links one hop further; groups are small).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Q, Value, When

from ..models import HandleAlias, Item, Reference, VersionLink

CHUNK = 1000  # ids per statement: SQLite limits the parameters of a query (and a CASE holds a group's counts)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _resolve(keys: set[str]) -> dict[str, int]:
    """handle key -> item id, by current handle, else by an old one."""
    found: dict[str, int] = {}
    if keys:
        found.update(HandleAlias.objects.filter(handle_key__in=keys).values_list("handle_key", "item_id"))
        found.update(Item.objects.filter(handle_key__in=keys).values_list("handle_key", "pk"))
    return found


def _keys_of(ids: set[int]) -> dict[str, int]:
    """handle key -> item id of these items: their handles and old handles."""
    keys = dict(HandleAlias.objects.filter(item_id__in=ids).values_list("handle_key", "item_id"))
    keys.update(Item.objects.filter(pk__in=ids).values_list("handle_key", "pk"))
    return keys


def components(item_ids: Iterable[int]) -> dict[int, int]:
    """item id -> group id (the smallest id of its component) of these items and every item
    linked to them, following joining links both ways."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    frontier = {pk for pk in item_ids if pk}
    seen = set(frontier)
    while frontier:
        keys = _keys_of(frontier)
        links = VersionLink.objects.filter(VersionLink.joining()).filter(
            Q(item_id__in=frontier) | Q(other_key__in=list(keys))
        )
        pairs = list(links.values_list("item_id", "other_key"))
        resolved = _resolve({key for _, key in pairs} - set(keys)) | keys
        reached: set[int] = set()
        for item_id, key in pairs:
            other = resolved.get(key)
            if other is None or other == item_id:
                continue  # not imported yet, or a record naming itself under an old handle
            a, b = find(item_id), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
            reached.update((item_id, other))
        frontier = reached - seen
        seen |= reached
    groups: dict[int, set[int]] = {}
    for pk in seen:
        groups.setdefault(find(pk), set()).add(pk)
    return {pk: min(members) for members in groups.values() for pk in members}


def regroup(item_ids: Iterable[int]) -> set[int]:
    """Recompute the groups of these items (created, changed, deleted, renamed, or whose links
    changed) and of the items grouped with them before; recount the groups that moved. Returns
    the ids of the items whose group changed."""
    ids = {pk for pk in item_ids if pk}
    if not ids:
        return set()
    before: dict[int, int | None] = {}
    for chunk in _chunks(ids):  # a deleted item's id is still the group id of the others
        old_groups = set(chunk) | set(
            Item.objects.filter(pk__in=chunk, version_group__isnull=False).values_list("version_group", flat=True)
        )
        before.update(Item.objects.filter(version_group__in=old_groups).values_list("pk", "version_group"))
    seeds = (ids | set(before)) & set(Item.objects.filter(pk__in=ids | set(before)).values_list("pk", flat=True))
    group_of = components(seeds)
    sizes: dict[int, int] = {}
    for group in group_of.values():
        sizes[group] = sizes.get(group, 0) + 1
    after = {pk: (group if sizes[group] > 1 else None) for pk, group in group_of.items()}
    for pk in set(before) - set(after):  # deleted since
        after[pk] = None
    current = dict(Item.objects.filter(pk__in=list(after)).values_list("pk", "version_group"))
    moved = {pk: group for pk, group in after.items() if pk in current and current[pk] != group}
    if moved:
        changed = [Item(pk=pk, version_group=group) for pk, group in moved.items()]
        Item.objects.bulk_update(changed, ["version_group"], batch_size=1000)
        for chunk in _chunks(pk for pk, group in moved.items() if group is None):
            Item.objects.filter(pk__in=chunk).update(group_citation_count=None, group_self_citation_count=None)
    # the groups a record joined, and those a record left (a group that only lost one keeps its
    # id, and would keep the leaver's citers): a component is found whole, so `after` has them
    left = {current[pk] for pk in moved if current[pk] is not None}
    recounted = {group for group in moved.values() if group is not None}
    recounted |= {new for pk, old in current.items() if old in left and (new := after.get(pk)) is not None}
    recount_groups(recounted)
    return set(moved)


def recount_groups(group_ids: Iterable[int]) -> None:
    """The distinct items citing each of these groups (an item citing two versions counts
    once), and how many of them are self-citations, written on every member: per chunk of
    groups, one grouped read of their citations (each reference once, both counts in one pass)
    and one UPDATE."""
    for chunk in _chunks({pk for pk in group_ids if pk}):
        counted = (
            Reference.objects.filter(target__version_group__in=chunk, status__in=Reference.Status.counted())
            .order_by()
            .values_list("target__version_group")
            .annotate(
                n=Count("citing", distinct=True), selfs=Count("citing", distinct=True, filter=Q(self_citation=True))
            )
        )
        counts = {group: (n, selfs) for group, n, selfs in counted}
        Item.objects.filter(version_group__in=chunk).update(
            group_citation_count=_by_group(counts, 0), group_self_citation_count=_by_group(counts, 1)
        )


def _by_group(counts: dict[int, tuple[int, int]], index: int) -> Case:
    """A CASE giving each group its count (groups of one count in one WHEN; none: 0)."""
    groups_of: dict[int, list[int]] = {}
    for group, values in counts.items():
        if values[index]:
            groups_of.setdefault(values[index], []).append(group)
    whens = [When(version_group__in=groups, then=Value(n)) for n, groups in groups_of.items()]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def citations_moved(item_ids: Iterable[int]) -> None:
    """The citations of these items were recounted: recount their groups."""
    groups: set[int] = set()
    for chunk in _chunks({pk for pk in item_ids if pk}):
        groups.update(
            Item.objects.filter(pk__in=chunk, version_group__isnull=False).values_list("version_group", flat=True)
        )
    recount_groups(groups)
