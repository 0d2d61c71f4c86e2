"""Citation counts kept on items: the number of distinct items whose references count."""

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ..models import Item, Reference
from ..search.indexing import update_citations


def refresh_citation_counts(item_ids: Iterable[int]) -> None:
    """Recount the citations of these items in one UPDATE."""
    ids = [pk for pk in set(item_ids) if pk]
    if not ids:
        return
    counted = (
        Reference.objects.filter(target=OuterRef("pk"), status__in=Reference.Status.counted())
        .order_by()
        .values("target")
        .annotate(n=Count("citing", distinct=True))
        .values("n")
    )
    Item.objects.filter(pk__in=ids).update(citation_count=Coalesce(Subquery(counted), 0))
    update_citations(ids)
