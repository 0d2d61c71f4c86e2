"""What differs between the two search backends: how text is matched and how a match is scored.

Both take a parsed `Query` (catalogue.search.query) and return ORM expressions, so everything
else (filters, counts, facets, sorting, pages) is one code path over `SearchEntry`.

Relevance ranks in two steps, the same on both: first the *tier* (`tier()`), where a match
lands: the whole query as a phrase in the title (8), every word in the title (4), in the
authors or keywords (2), the phrase in the abstract (1), summed; then, within a tier, the
backend's own score (ts_rank_cd, bm25). The tier is what a reader expects first; the score alone
put an item with the phrase in its title, keywords and abstract last of 13 on SQLite, where
bm25's weight for a phrase in half of a small catalogue is nearly nil and a long abstract
lowers it.
"""

from django.db import connection
from django.db.models import BooleanField, FloatField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from .query import Query


class PostgresText:
    """A stored, weighted tsvector per item with GIN indexes (title A, authors and keywords B,
    abstract D); to_tsquery of the parsed query; ts_rank_cd."""

    tsquery = "to_tsquery('catalogue_english', %s)"
    # Relevance candidates are the first matches in the table's physical order, which is
    # most cited first: `rebuild_search_index` CLUSTERs the table on its citations index, and
    # rows written since (new items, rarely cited yet) come after. A bitmap scan then stops
    # after CANDIDATES matches instead of reading and sorting every match.
    candidate_order: tuple[str, ...] = ()
    # ts_rank_cd weights for D, C, B, A: abstract 0.1, authors and keywords 0.4, title 1.0
    weights = "'{0.1, 0.2, 0.4, 1.0}'"

    def matching(self, entries: QuerySet, query: Query, head_only: bool = False) -> QuerySet:
        column = "head" if head_only else "document"
        condition = f'"catalogue_searchentry"."{column}" @@ {self.tsquery}'
        return entries.filter(RawSQL(condition, (query.tsquery(),), output_field=BooleanField()))

    def tier(self, query: Query) -> RawSQL:
        document = '"catalogue_searchentry"."document"'
        parts = [
            (8, "{a}", query.phrase_tsquery()),
            (4, "{a}", query.tsquery(positive_only=True)),
            (2, "{b}", query.tsquery(positive_only=True)),
            (1, "{d}", query.phrase_tsquery()),
        ]
        sql = " + ".join(
            f"(CASE WHEN ts_filter({document}, '{weights}') @@ {self.tsquery} THEN {points} ELSE 0 END)"
            for points, weights, _ in parts
        )
        return RawSQL(sql, tuple(text for *_, text in parts), output_field=IntegerField())

    def with_jel(self, entries: QuerySet, code: str) -> QuerySet:
        """Items classified under `code` or below it (O3: O31, O32...)."""
        condition = '"catalogue_searchentry"."jel" @> ARRAY[%s]::text[]'
        return entries.filter(RawSQL(condition, (code,), output_field=BooleanField()))

    def among(self, entries: QuerySet, ids: list[int]) -> QuerySet:
        """The entries of these items: one array parameter, not one placeholder per id (500
        placeholders cost 3 ms of Python a search)."""
        condition = '"catalogue_searchentry"."item_id" = ANY(%s)'
        return entries.filter(RawSQL(condition, (ids,), output_field=BooleanField()))

    def relevance(self, query: Query) -> RawSQL:
        score = f'ts_rank_cd({self.weights}, "catalogue_searchentry"."document", {self.tsquery})'
        return RawSQL(score, (query.tsquery(),), output_field=FloatField())

    def work_candidates(self, title_words: list[str], surnames: list[str], limit: int) -> list[int]:
        """Ids of items by one of these authors with some of these title words, best first (the
        reference matcher's candidates, catalogue.citations.matching). Words of letters and digits
        only. A surname is rare, so the GIN index intersects its short list first: 2-5 ms where
        trigram similarity over a million titles took 0.4-2 s."""
        if not title_words or not surnames:
            return []
        expression = f"({' | '.join(surnames)}) & ({' | '.join(title_words)})"
        query = "to_tsquery('catalogue_english', %s)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT item_id FROM catalogue_searchentry WHERE head @@ {query}"
                f" ORDER BY ts_rank(head, {query}) DESC, item_id LIMIT %s",
                [expression, expression, limit],
            )
            return [pk for (pk,) in cursor.fetchall()]


class SqliteText:
    """FTS5 (porter stemming, diacritics folded) with bm25 weighted by column."""

    head_columns = "{title people keywords}"
    candidate_order = ("-citations", "-item_id")
    # bm25 weights for title, people, keywords, abstract
    weights = "10.0, 4.0, 4.0, 1.0"

    def expression(self, query: Query, head_only: bool = False) -> str:
        expr = query.fts5()
        return f"{self.head_columns} : ({expr})" if head_only else expr

    def matching(self, entries: QuerySet, query: Query, head_only: bool = False) -> QuerySet:
        rows = RawSQL(
            "SELECT rowid FROM catalogue_searchtext WHERE catalogue_searchtext MATCH %s",
            (self.expression(query, head_only),),
        )
        return entries.filter(item_id__in=rows)

    def tier(self, query: Query) -> RawSQL:
        parts = [
            (8, f"title : ({query.phrase_fts5()})"),
            (4, f"title : ({query.fts5(positive_only=True)})"),
            (2, f"{{people keywords}} : ({query.fts5(positive_only=True)})"),
            (1, f"abstract : ({query.phrase_fts5()})"),
        ]
        sql = " + ".join(
            f'(CASE WHEN "catalogue_searchentry"."item_id" IN (SELECT rowid FROM catalogue_searchtext'
            f" WHERE catalogue_searchtext MATCH %s) THEN {points} ELSE 0 END)"
            for points, _ in parts
        )
        return RawSQL(sql, tuple(expression for _, expression in parts), output_field=IntegerField())

    def with_jel(self, entries: QuerySet, code: str) -> QuerySet:
        """Items classified under `code` or below it (O3: O31, O32...)."""
        from ..models import Item

        coded = Item.jel_codes.through.objects.filter(jelcode__code__startswith=code)
        return entries.filter(item_id__in=coded.values("item_id"))

    def among(self, entries: QuerySet, ids: list[int]) -> QuerySet:
        return entries.filter(item_id__in=ids)

    def relevance(self, query: Query) -> RawSQL:
        # bm25 is lower for better matches, hence the minus
        score = (
            f"-(SELECT bm25(catalogue_searchtext, {self.weights}) FROM catalogue_searchtext"
            " WHERE catalogue_searchtext MATCH %s AND rowid = catalogue_searchentry.item_id)"
        )
        return RawSQL(score, (self.expression(query),), output_field=FloatField())

    def work_candidates(self, title_words: list[str], surnames: list[str], limit: int) -> list[int]:
        """Ids of items whose titles hold the most of these words, best first (bm25 on titles
        alone; the reference matcher's candidates). The index has no separate author column to
        intersect, so `surnames` are left to the matcher's scoring."""
        if not title_words:
            return []
        expression = "title : (" + " OR ".join(f'"{w}"' for w in title_words) + ")"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM catalogue_searchtext WHERE catalogue_searchtext MATCH %s"
                " ORDER BY bm25(catalogue_searchtext, 10.0, 0.0, 0.0, 0.0) LIMIT %s",
                [expression, limit],
            )
            return [pk for (pk,) in cursor.fetchall()]


def text_backend() -> PostgresText | SqliteText:
    return PostgresText() if connection.vendor == "postgresql" else SqliteText()
