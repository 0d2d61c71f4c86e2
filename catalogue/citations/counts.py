"""Citation counts kept on items, and their totals kept on series and archives.

An item's count is the number of distinct items whose references count as citations of it;
its self-citation count, how many of those share an author with it (the matcher flags them).
A recount of some items moves their series' and archives' totals by the difference, so a
matcher batch costs a few statements whatever the size of the series; `refresh_counts` (the
importer's last step, `manage.py refresh_counts`) recomputes the totals from the items.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..changes import items_changed
from ..models import Archive, Item, Reference, Series

CHUNK = 5000  # ids per statement: SQLite limits the parameters of a query


def _counted(*, self_only: bool = False):
    references = Reference.objects.filter(target=OuterRef("pk"), status__in=Reference.Status.counted())
    if self_only:
        references = references.filter(self_citation=True)
    grouped = references.order_by().values("target").annotate(n=Count("citing", distinct=True)).values("n")
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)


def refresh_citation_counts(item_ids: Iterable[int]) -> None:
    """Recount the citations of these items, and move their series' and archives' totals."""
    ids = sorted({pk for pk in item_ids if pk})
    if not ids:
        return
    with transaction.atomic():
        series_moves: Counter[int] = Counter()
        for start in range(0, len(ids), CHUNK):
            chunk = Item.objects.filter(pk__in=ids[start : start + CHUNK])
            # locked: two recounts of one item must not both move the totals by the same difference
            before = dict(chunk.select_for_update().values_list("pk", "citation_count"))
            chunk.update(citation_count=_counted(), self_citation_count=_counted(self_only=True))
            for pk, series_id, count in chunk.values_list("pk", "series_id", "citation_count"):
                series_moves[series_id] += count - before[pk]
        _move_totals(series_moves)
    items_changed(ids, citations_only=True)


def _move_totals(series_moves: Counter[int]) -> None:
    moves = {pk: n for pk, n in series_moves.items() if n}
    if not moves:
        return
    archive_moves: Counter[int] = Counter()
    for pk, archive_id in Series.objects.filter(pk__in=list(moves)).values_list("pk", "archive_id"):
        archive_moves[archive_id] += moves[pk]
    for model, changes in ((Series, moves), (Archive, archive_moves)):
        changes = {pk: n for pk, n in changes.items() if n}
        if changes:
            by = Case(*(When(pk=pk, then=Value(n)) for pk, n in changes.items()), output_field=IntegerField())
            model.objects.filter(pk__in=list(changes)).update(citation_count=F("citation_count") + by)
