"""Most related items: co-citation plus bibliographic coupling, for a million items in minutes.

Two items are related when they cite the same works (bibliographic coupling) and when they
are cited by the same works (co-citation). Each shared work adds 1 / log2(1 + n), where n is
the number of items that cite it (coupling) or that it cites (co-citation), so that a hub
cited thousands of times adds little; works past HUB_LIMIT add nothing and are not paired
at all, which bounds the number of pairs (at 1M items and 7.4M citations: 234 million
coupling pairs and 38 million co-citation pairs).

The citation graph is a sparse matrix A (citing x cited, one per distinct citation,
self-citations left out). With w the coupling weight of each cited work and v the
co-citation weight of each citing item, the scores are

    S = A diag(w) A^T  +  A^T diag(v) A      (its diagonal dropped)

computed a block of rows at a time (scipy's sparse products), of which each row keeps its
TOP_N best, ties broken by the smaller item id. Only the rows asked for are computed, which is
what makes a run after an import incremental: the items whose lists can have changed
(`Graph.neighbours`). A citation removed by that import is not seen (the graph no longer has
it): the lists it leaves stale are fixed by the next full run.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from scipy import sparse

from .. import pagecache
from ..models import Reference, RelatedItem
from ..models.bulk import RowWriter

TOP_N = 20
HUB_LIMIT = 1000
BLOCK = 20_000  # rows of S computed at once: bounds the memory of a product


@dataclass
class Graph:
    ids: np.ndarray  # item id of each dense index, sorted
    cites: sparse.csr_matrix  # A: citing x cited, 1 per distinct citation
    cited_by: sparse.csr_matrix  # A^T
    coupling: sparse.csr_matrix  # (A diag(w))^T, to multiply rows of A with
    cocitation: sparse.csr_matrix  # diag(v) A, to multiply rows of A^T with

    @classmethod
    def from_edges(cls, citing: np.ndarray, cited: np.ndarray) -> Graph:
        keep = citing != cited  # an item citing itself relates it to nothing
        citing, cited = citing[keep], cited[keep]
        ids = np.unique(np.concatenate([citing, cited]))
        rows, cols = np.searchsorted(ids, citing), np.searchsorted(ids, cited)
        n = len(ids)
        cites = sparse.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, n))
        cites.data[:] = 1.0  # a reference list naming a work twice cites it once
        cited_by = cites.T.tocsr()
        w = _weights(np.diff(cited_by.indptr))  # citers of each work
        v = _weights(np.diff(cites.indptr))  # works each item cites
        coupling = (cites @ sparse.diags(w)).T.tocsr()
        cocitation = (sparse.diags(v) @ cites).tocsr()
        return cls(ids, cites, cited_by, coupling, cocitation)

    def scores(self, rows: np.ndarray) -> sparse.csr_matrix:
        """These rows of S (dense indices, ascending), in that order."""
        contiguous = len(rows) and rows[-1] - rows[0] + 1 == len(rows)
        pick = slice(int(rows[0]), int(rows[-1]) + 1) if contiguous else rows  # a slice is cheaper
        block = (self.cites[pick] @ self.coupling + self.cited_by[pick] @ self.cocitation).tocsr()
        block.sum_duplicates()
        return block

    def neighbours(self, indices: np.ndarray) -> np.ndarray:
        """Dense indices whose rows of S change when these items' reference lists change: the
        items, the works they cite (co-citation among those works), and the other citers of
        each such work that is paired at all (coupling through it; the work's weight changes
        too). A hub past HUB_LIMIT pairs nothing, so its citers are left alone."""
        works = np.unique(self.cites[indices].indices)
        citers = np.diff(self.cited_by.indptr)[works]
        paired = works[citers <= HUB_LIMIT]
        around = self.cited_by[paired].indices if len(paired) else np.array([], dtype=np.int64)
        return np.union1d(np.union1d(indices, works), around)


def _weights(degrees: np.ndarray) -> np.ndarray:
    weights = np.zeros(len(degrees))
    paired = (degrees >= 2) & (degrees <= HUB_LIMIT)
    weights[paired] = 1.0 / np.log2(1.0 + degrees[paired])
    return weights


def related_lists(graph: Graph, rows: np.ndarray | None = None, n: int = TOP_N) -> Iterator[tuple[int, list]]:
    """(item id, [(related id, score), ...] best first) for the given dense rows (default: all)."""
    rows = np.arange(len(graph.ids)) if rows is None else np.sort(np.asarray(rows))
    for start in range(0, len(rows), BLOCK):
        chunk = rows[start : start + BLOCK]
        if len(chunk) == 0:
            continue
        block = graph.scores(chunk)
        for r, row in enumerate(chunk):
            begin, end = block.indptr[r], block.indptr[r + 1]
            others, values = block.indices[begin:end], block.data[begin:end]
            mine = others != row
            others, values = others[mine], values[mine]
            if len(others) == 0:
                continue
            if len(others) > n:
                cut = np.partition(values, len(values) - n)[len(values) - n]
                best = values >= cut  # every tie at the cut, so that ties go to the smaller id
                others, values = others[best], values[best]
            order = np.lexsort((graph.ids[others], -values))[:n]
            yield int(graph.ids[row]), [(int(graph.ids[others[k]]), float(values[k])) for k in order]


def load_graph() -> Graph:
    """The counted citations (matched or confirmed) from the database."""
    counted = Reference.objects.filter(status__in=Reference.Status.counted(), target__isnull=False)
    if connection.vendor == "postgresql":
        citing, cited = _copy_pairs(counted)
    else:
        pairs = np.array(list(counted.values_list("citing_id", "target_id")), dtype=np.int64).reshape(-1, 2)
        citing, cited = pairs[:, 0], pairs[:, 1]
    return Graph.from_edges(citing, cited)


def _copy_pairs(queryset) -> tuple[np.ndarray, np.ndarray]:
    """PostgreSQL: (citing, cited) as arrays through binary COPY: 26 bytes a row, no Python objects."""
    sql, params = queryset.values_list("citing_id", "target_id").query.sql_with_params()
    chunks = []
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params) as copy:
        chunks = [bytes(chunk) for chunk in copy]
    data = b"".join(chunks)
    body = data[19:-2]  # the 19-byte header, the 2-byte trailer
    row = np.dtype([("fields", ">i2"), ("len1", ">i4"), ("a", ">i8"), ("len2", ">i4"), ("b", ">i8")])
    pairs = np.frombuffer(body, dtype=row)
    return pairs["a"].astype(np.int64), pairs["b"].astype(np.int64)


@dataclass
class RelatedReport:
    items: int = 0
    rows: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        times = ", ".join(f"{k} {v:.1f} s" for k, v in (self.seconds or {}).items())
        return f"related items: {self.rows:,} rows for {self.items:,} items ({times})"


def compute_related(changed: Iterable[int] | None = None) -> RelatedReport:
    """Recompute the related items of every item, or (`changed`: ids of items whose citations
    changed) of those whose lists can have changed. One transaction: readers see the old lists
    or the new ones."""
    report = RelatedReport(seconds={})
    clock = time.perf_counter()
    graph = load_graph()
    report.seconds["load"] = time.perf_counter() - clock
    if changed is None:
        rows = None
    else:
        wanted = np.unique(np.fromiter((int(pk) for pk in changed), dtype=np.int64))
        present = wanted[np.isin(wanted, graph.ids)]
        rows = graph.neighbours(np.searchsorted(graph.ids, present)) if len(present) else np.array([], dtype=np.int64)
    clock = time.perf_counter()
    writer = RowWriter()
    with transaction.atomic():
        if changed is None:
            _delete_all()
        else:
            stale = sorted(set(wanted.tolist()) | set(graph.ids[rows].tolist()))
            for start in range(0, len(stale), 5000):
                RelatedItem.objects.filter(item_id__in=stale[start : start + 5000]).delete()
        batch: list[tuple] = []
        for item, pairs in related_lists(graph, rows):
            report.items += 1
            batch += [(item, other, rank, round(score, 6)) for rank, (other, score) in enumerate(pairs)]
            if len(batch) >= 100_000:
                report.rows += writer.write(RelatedItem, ("item_id", "related_id", "rank", "score"), batch)
                batch = []
        report.rows += writer.write(RelatedItem, ("item_id", "related_id", "rank", "score"), batch)
    report.seconds["compute and write"] = time.perf_counter() - clock
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # fresh planner statistics for the table just rewritten: left unanalysed, the item
        # page's related-items query was planned for 121,000 rows an item (11 of its 23 ms)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {RelatedItem._meta.db_table}")
    pagecache.changed()
    return report


def _delete_all() -> None:
    if connection.vendor != "postgresql":
        RelatedItem.objects.all().delete()
        return
    with connection.cursor() as cursor:  # TRUNCATE: no dead rows left behind, and rolled back with the rest
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending deferred checks
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(RelatedItem._meta.db_table)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to how Django declares its foreign keys


def changed_since(moment: datetime.datetime) -> set[int]:
    """The items whose citations changed since `moment`: the citing items of the references
    the matcher or a person decided on since then, and the candidates a person rejected
    (a rejected reference keeps its target, whose lists lose the link)."""
    recent = Reference.objects.filter(Q(matched_at__gte=moment) | Q(decided_at__gte=moment))
    changed: set[int] = set()
    for citing_id, target_id, status in recent.values_list("citing_id", "target_id", "status").iterator(10_000):
        changed.add(citing_id)
        if status == Reference.Status.REJECTED and target_id:
            changed.add(target_id)
    return changed
