"""Most related items: co-citation plus bibliographic coupling.

Two items are related when they cite the same works (bibliographic coupling) and when they
are cited by the same works (co-citation). Each shared work adds 1 / log2(1 + n), where n is
the number of items that cite it (coupling) or that it cites (co-citation), so that a hub
cited thousands of times adds little; works past HUB_LIMIT add nothing and are not paired
at all, which bounds the number of pairs.

This version holds the citation graph in memory; it serves catalogues up to a few hundred
thousand references (the citations issue makes it scale to ten million).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from itertools import combinations

from django.db import transaction

from ..models import Reference, RelatedItem

TOP_N = 20
HUB_LIMIT = 1000


def pair_scores(edges: list[tuple[int, int]]) -> dict[int, dict[int, float]]:
    """Scores between items from (citing, cited) edges; symmetric."""
    cites: dict[int, set[int]] = defaultdict(set)
    cited_by: dict[int, set[int]] = defaultdict(set)
    for citing, cited in edges:
        if citing != cited:
            cites[citing].add(cited)
            cited_by[cited].add(citing)
    scores: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for groups in (cited_by.values(), cites.values()):  # coupling, then co-citation
        for group in groups:
            if 2 <= len(group) <= HUB_LIMIT:
                weight = 1 / math.log2(1 + len(group))
                for a, b in combinations(sorted(group), 2):
                    scores[a][b] += weight
                    scores[b][a] += weight
    return scores


def top_related(scores: dict[int, dict[int, float]], n: int = TOP_N) -> dict[int, list[tuple[int, float]]]:
    return {
        item: heapq.nsmallest(n, ((other, s) for other, s in row.items()), key=lambda pair: (-pair[1], pair[0]))
        for item, row in scores.items()
    }


def compute_related() -> int:
    """Recompute every item's related items; returns the number of rows written."""
    edges = list(
        Reference.objects.filter(status__in=Reference.Status.counted(), target__isnull=False).values_list(
            "citing_id", "target_id"
        )
    )
    top = top_related(pair_scores(edges))
    rows = [
        RelatedItem(item_id=item, related_id=other, rank=rank, score=round(score, 6))
        for item, pairs in top.items()
        for rank, (other, score) in enumerate(pairs)
    ]
    with transaction.atomic():
        RelatedItem.objects.all().delete()
        RelatedItem.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
