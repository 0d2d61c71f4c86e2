"""What refresh_stats keeps: monthly rollups of series and registered authors, and per-item,
per-author and per-institution totals for the rankings, derived from MonthlyStat by set-based SQL;
with them, every institution's kept list of works is rebuilt (catalogue.browse.institutions keeps
it in step after each write; the rebuild puts right whatever a write made outside the ORM missed).

Each refresh deletes the rows it rebuilds and writes them again with one INSERT ... SELECT ...
GROUP BY per table (chunked by ids for a partial refresh), in one transaction, so a page reads
either the old figures or the new ones. Nothing is incremented here: counting adds to
MonthlyStat, and a refresh derives everything else from it again. The SQL is plain enough for
both PostgreSQL and SQLite.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from .. import pagecache
from ..browse import institutions as institution_works
from ..models import (
    Affiliation,
    Authorship,
    Institution,
    InstitutionStatTotals,
    InstitutionWork,
    Item,
    ItemStatTotals,
    MonthlyStat,
    Person,
    PersonStatTotals,
    StatRollup,
)
from .counting import flush
from .months import last_complete_month, today, year_start

CHUNK = 500  # ids per statement in a partial refresh


@dataclass
class Refreshed:
    """How many rows a refresh wrote."""

    item_totals: int = 0
    series_months: int = 0
    person_months: int = 0
    person_totals: int = 0
    institution_totals: int = 0
    institution_works: int = 0

    def __str__(self) -> str:
        return (
            f"{self.item_totals:,} item totals, {self.series_months:,} series months, "
            f"{self.person_months:,} author months, {self.person_totals:,} author totals, "
            f"{self.institution_totals:,} institution totals"
            + (f", {self.institution_works:,} institution works" if self.institution_works else "")
        )


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _date(day: datetime.date):
    return connection.ops.adapt_datefield_value(day)


def _where(column: str, ids: list[int] | None) -> tuple[str, list]:
    """`column IN (...)` for a partial refresh, or a condition that holds for every row."""
    if ids is None:
        return "1 = 1", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _period_sums(last: datetime.date, views: str, downloads: str) -> tuple[list[str], list]:
    """The six totals as SELECT expressions over rows with a `month` column: views and downloads
    in `last`, in the 12 months ending with it, and in every month."""
    first, last_ = _date(year_start(last)), _date(last)
    exprs = [
        f"SUM(CASE WHEN month = %s THEN {views} ELSE 0 END)",
        f"SUM(CASE WHEN month = %s THEN {downloads} ELSE 0 END)",
        f"SUM(CASE WHEN month >= %s AND month <= %s THEN {views} ELSE 0 END)",
        f"SUM(CASE WHEN month >= %s AND month <= %s THEN {downloads} ELSE 0 END)",
        f"SUM({views})",
        f"SUM({downloads})",
    ]
    return exprs, [last_, last_, first, last_, first, last_]


TOTALS = ["views_month", "downloads_month", "views_year", "downloads_year", "views_all", "downloads_all"]


def item_totals(last: datetime.date, item_ids: list[int] | None = None) -> int:
    """Rewrite ItemStatTotals (of these items, or all) from MonthlyStat."""
    where, params = _where("item_id", item_ids)
    _execute(f"DELETE FROM {_t(ItemStatTotals)} WHERE {where}", params)
    sums, sum_params = _period_sums(last, "abstract_views", "downloads")
    return _execute(
        f"INSERT INTO {_t(ItemStatTotals)} (item_id, last_month, {', '.join(TOTALS)}) "
        f"SELECT item_id, %s, {', '.join(sums)} FROM {_t(MonthlyStat)} WHERE {where} GROUP BY item_id",
        [_date(last), *sum_params, *params],
    )


def series_rollups(series_ids: list[int] | None = None) -> int:
    """Rewrite the series' StatRollup rows (of these series, or all) from MonthlyStat."""
    where, params = _where("i.series_id", series_ids)
    months = (
        f"i.series_id, m.month, SUM(m.abstract_views), SUM(m.downloads) "
        f"FROM {_t(MonthlyStat)} m JOIN {_t(Item)} i ON i.id = m.item_id "
        f"WHERE {where} GROUP BY i.series_id, m.month"
    )
    return _rewrite_rollups("series", series_ids, months, params)


def _rewrite_rollups(scope: str, scope_ids: list[int] | None, months: str, params: list) -> int:
    """Replace the StatRollup rows of `scope` (of these ids, or all) by `months`: the tail of a
    SELECT giving (scope id, month, abstract views, downloads)."""
    old, old_params = _where("scope_id", scope_ids)
    _execute(f"DELETE FROM {_t(StatRollup)} WHERE scope = %s AND {old}", [scope, *old_params])
    return _execute(
        f"INSERT INTO {_t(StatRollup)} (scope, scope_id, month, abstract_views, downloads) SELECT %s, {months}",
        [scope, *params],
    )


def _works(where: str) -> str:
    """(person_id, item_id) of registered authors' distinct works (an author listed twice on an
    item, as author and editor, counts it once)."""
    return f"SELECT DISTINCT person_id, item_id FROM {_t(Authorship)} WHERE person_id IS NOT NULL AND {where}"


def _work_citations(where: str) -> str:
    """(person_id, work, cites) of registered authors' works, a work once whatever the number of
    its versions they have (VersionLink): its group's citations without self-citations."""
    group = "COALESCE(i.version_group, i.id)"
    cites = (
        "COALESCE(i.group_citation_count, i.citation_count) - COALESCE(i.group_self_citation_count, "
        "i.self_citation_count)"
    )
    return (
        f"SELECT DISTINCT w.person_id, {group} AS work, {cites} AS cites "
        f"FROM ({_works(where)}) w JOIN {_t(Item)} i ON i.id = w.item_id"
    )


def person_rollups(person_ids: list[int] | None = None) -> int:
    """Rewrite the authors' StatRollup rows (of these persons, or all): sums over distinct works."""
    where, params = _where("person_id", person_ids)
    months = (
        f"w.person_id, m.month, SUM(m.abstract_views), SUM(m.downloads) "
        f"FROM ({_works(where)}) w JOIN {_t(MonthlyStat)} m ON m.item_id = w.item_id "
        f"GROUP BY w.person_id, m.month"
    )
    return _rewrite_rollups("person", person_ids, months, params)


def person_totals(last: datetime.date, person_ids: list[int] | None = None) -> int:
    """Rewrite PersonStatTotals (of these persons, or all) from their rollups and their works'
    citations (self-citations left out, a work's versions once). Every person gets a row, zeros included; run after
    person_rollups."""
    old, old_params = _where("person_id", person_ids)
    _execute(f"DELETE FROM {_t(PersonStatTotals)} WHERE {old}", old_params)
    sums, sum_params = _period_sums(last, "abstract_views", "downloads")
    names = ["vm", "dm", "vy", "dy", "va", "da"]
    in_rollups, rollup_params = _where("scope_id", person_ids)
    in_works, work_params = _where("person_id", person_ids)
    in_persons, person_params = _where("p.id", person_ids)
    return _execute(
        f"INSERT INTO {_t(PersonStatTotals)} (person_id, last_month, {', '.join(TOTALS)}, citations) "
        f"SELECT p.id, %s, {', '.join(f'COALESCE(r.{n}, 0)' for n in names)}, COALESCE(c.cites, 0) "
        f"FROM {_t(Person)} p "
        f"LEFT JOIN (SELECT scope_id, {', '.join(f'{e} AS {n}' for e, n in zip(sums, names, strict=True))} "
        f"FROM {_t(StatRollup)} WHERE scope = %s AND {in_rollups} GROUP BY scope_id) r ON r.scope_id = p.id "
        f"LEFT JOIN (SELECT person_id, SUM(cites) AS cites FROM ({_work_citations(in_works)}) g "
        f"GROUP BY person_id) c "
        f"ON c.person_id = p.id WHERE {in_persons}",
        [_date(last), *sum_params, "person", *rollup_params, *work_params, *person_params],
    )


def _weights(where: str) -> str:
    """(institution_id, person_id, weight) of the affiliations to imported institutions, by
    RePEc's rule: a person's figures are split over all their affiliations (to an imported
    institution or not) by their shares when every one has a share (and they add up to more
    than 0), else equally; two affiliations to the same institution add up. `where` limits
    the institutions (a condition on `a.institution_ref_id`)."""
    a, t = "a", _t(Affiliation)
    return (
        f"SELECT {a}.institution_ref_id AS institution_id, {a}.person_id, "
        f"SUM(CASE WHEN p.given = p.n AND p.total > 0 THEN {a}.share * 1.0 / p.total ELSE 1.0 / p.n END) AS weight "
        f"FROM {t} {a} JOIN (SELECT person_id, COUNT(*) AS n, COUNT(share) AS given, SUM(share) AS total "
        f"FROM {t} WHERE person_id IN (SELECT {a}.person_id FROM {t} {a} WHERE {where}) "
        f"GROUP BY person_id) p ON p.person_id = {a}.person_id "
        f"WHERE {a}.institution_ref_id IS NOT NULL AND {where} GROUP BY {a}.institution_ref_id, {a}.person_id"
    )


def institution_totals(last: datetime.date, institution_ids: list[int] | None = None) -> int:
    """Rewrite InstitutionStatTotals (of these institutions, or all) from the affiliated
    registered authors' PersonStatTotals, each weighted by _weights; run after person_totals.
    One INSERT ... SELECT ... GROUP BY: no row is read into Python."""
    old, old_params = _where("institution_id", institution_ids)
    _execute(f"DELETE FROM {_t(InstitutionStatTotals)} WHERE {old}", old_params)
    limit, params = _where("a.institution_ref_id", institution_ids)
    columns = [*TOTALS, "citations"]
    sums = ", ".join(f"SUM(w.weight * t.{column})" for column in columns)
    return _execute(
        f"INSERT INTO {_t(InstitutionStatTotals)} (institution_id, last_month, {', '.join(columns)}, authors) "
        f"SELECT w.institution_id, %s, {sums}, COUNT(*) "
        f"FROM ({_weights(limit)}) w JOIN {_t(PersonStatTotals)} t ON t.person_id = w.person_id "
        f"GROUP BY w.institution_id",
        [_date(last), *params, *params],
    )


def refresh_all(today: datetime.date) -> Refreshed:
    """Rebuild every rollup and total, as of the month before `today`."""
    last = last_complete_month(today)
    with transaction.atomic():
        done = Refreshed(item_totals=item_totals(last), series_months=series_rollups())
        done.person_months = person_rollups()
        done.person_totals = person_totals(last)
        done.institution_totals = institution_totals(last)
        done.institution_works = institution_works.rebuild()
        pagecache.changed(pagecache.STATS)
    analyze()
    return done


def analyze() -> None:
    """Fresh planner statistics (and, outside a transaction, a vacuum that lets the ranking
    queries read their indexes only) for the tables just rewritten; PostgreSQL only."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    rewritten = (ItemStatTotals, PersonStatTotals, InstitutionStatTotals, StatRollup, InstitutionWork, Institution)
    tables = ", ".join(_t(model) for model in rewritten)
    _execute(f"{command} {tables}", [])


def refresh_items(item_ids: Iterable[int], today: datetime.date) -> Refreshed:
    """Rebuild what depends on these items: their totals, their series' rollups, the rollups
    and totals of their registered authors (over all of each author's works), and the totals of
    those authors' institutions (over all of each institution's authors)."""
    last = last_complete_month(today)
    ids = sorted(set(item_ids))
    done = Refreshed()
    with transaction.atomic():
        series_ids: set[int] = set()
        person_ids: set[int] = set()
        for chunk in _chunks(ids):
            done.item_totals += item_totals(last, chunk)
            series_ids.update(Item.objects.filter(pk__in=chunk).values_list("series_id", flat=True))
            person_ids.update(
                Authorship.objects.filter(item_id__in=chunk, person__isnull=False).values_list("person_id", flat=True)
            )
        for chunk in _chunks(series_ids):
            done.series_months += series_rollups(chunk)
        institution_ids: set[int] = set()
        for chunk in _chunks(person_ids):
            done.person_months += person_rollups(chunk)
            done.person_totals += person_totals(last, chunk)
            institution_ids.update(
                Affiliation.objects.filter(person_id__in=chunk, institution_ref__isnull=False).values_list(
                    "institution_ref_id", flat=True
                )
            )
        for chunk in _chunks(institution_ids):
            done.institution_totals += institution_totals(last, chunk)
        pagecache.changed(pagecache.STATS)
    return done


def flush_and_refresh(refresh: bool = True) -> str:
    """What `flush_stats --refresh` and the scheduled job `flush-stats` do: add the buffered
    counts to the monthly figures, then (with `refresh`) rebuild the figures of the items that
    moved. A summary of both."""
    report = flush()
    summary = str(report)
    if refresh and report.items:
        summary += f"; statistics refreshed: {refresh_items(report.items, today())}"
    return summary
