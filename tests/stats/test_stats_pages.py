"""The statistics pages: an item's, a series' and an author's chart, table and totals, the
rollups refresh_stats keeps, the rankings, and a constant query count on each page."""

import datetime
import html
import re

import pytest
from django.db.models import Sum

from catalogue.models import ItemStatTotals, MonthlyStat, PersonStatTotals, StatRollup
from catalogue.stats import months
from catalogue.stats.pages import nice_ceiling
from catalogue.stats.rollups import refresh_all, refresh_items

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 15)  # last month: 2025-02; the last 12 months: 2024-03 to 2025-02
BAR = re.compile(
    r'<rect class="bar-\w+"[^>]* height="([\d.]+)" data-series="(\w+)" data-month="([\d-]+)" data-value="(\d+)"'
)
ROW = re.compile(r'<tr data-month="([\d-]+)"><th scope="row">[\d-]+</th><td>(\d+)</td><td>(\d+)</td></tr>')


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(months, "today", lambda: TODAY)


@pytest.fixture
def series(series_factory, archive_factory):
    return series_factory(archive=archive_factory(code="ipt", name="JRC"), code="iptwpa", handle="RePEc:ipt:iptwpa")


def month(text: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{text}-01")


def stat(item, when: str, views: int, downloads: int) -> MonthlyStat:
    return MonthlyStat.objects.create(item=item, month=month(when), abstract_views=views, downloads=downloads)


def chart_figures(page: str) -> dict[str, tuple[int, int]]:
    """{month: (views, downloads)} read back from the SVG's bars; checks each bar's height is its value to scale."""
    figures: dict[str, dict[str, int]] = {}
    scales = set()
    for height, series, when, value in BAR.findall(page):
        figures.setdefault(when, {})[series] = int(value)
        if int(value):
            scales.add(round(float(height) / int(value), 3))
    assert len(scales) <= 1 or max(scales) - min(scales) < 0.01  # one scale for every bar
    return {when: (f["views"], f["downloads"]) for when, f in figures.items()}


def table_figures(page: str) -> dict[str, tuple[int, int]]:
    return {when: (int(v), int(d)) for when, v, d in ROW.findall(page)}


def totals(page: str) -> dict[str, int]:
    return {name: int(v) for name, v in re.findall(r'<td class="([a-z]+-[a-z]+)">(\d+)</td>', page)}


def test_item_page_chart_table_and_totals_agree(client, series, item_factory, django_assert_max_num_queries):
    item = item_factory(series=series, slug="jrc1")
    stat(item, "2024-01", 10, 2)  # before the last 12 months
    stat(item, "2024-03", 30, 5)
    # 2024-04 to 2025-01: no rows, shown as zeros
    stat(item, "2025-02", 7, 3)  # last month
    stat(item, "2025-03", 4, 1)  # the current month: all time only
    # the item with its series and archive + its monthly rows = 2
    with django_assert_max_num_queries(2):
        response = client.get("/stats/p/ipt/iptwpa/jrc1.html")
    page = response.content.decode()
    chart, table = chart_figures(page), table_figures(page)
    # the chart spans the months from the first with figures to the last, empty ones as zeros;
    # the table lists the months with figures (issue 18: not a hundred rows of zeros)
    assert list(chart) == [f"{d:%Y-%m}" for d in months.month_range(month("2024-01"), month("2025-03"))]
    assert chart["2024-06"] == (0, 0)
    assert table == {when: figures for when, figures in chart.items() if figures != (0, 0)}
    assert list(table) == ["2025-03", "2025-02", "2024-03", "2024-01"]
    assert table["2024-03"] == (30, 5)
    assert table["2025-03"] == (4, 1)
    assert totals(page) == {
        "views-month": 7,
        "downloads-month": 3,
        "views-year": 37,
        "downloads-year": 8,
        "views-all": 51,
        "downloads-all": 11,
    }
    assert "Last month (2025-02)" in page
    assert 'role="img"' in page
    assert '<title id="chart-title">' in page
    assert '<desc id="chart-desc">' in page
    assert ">Month</text>" in page  # axis label
    assert ">2025-03</text>" in page  # month tick
    assert "<script" not in page
    assert "repeated hits from the same client on the same item within 30 seconds" in html.unescape(page)
    assert 'href="/stats/top/items.html"' in page
    assert 'href="/stats/s/ipt/iptwpa.html"' in page


@pytest.mark.parametrize("n", [1, 40])
def test_item_page_queries_do_not_grow(client, series, item_factory, django_assert_max_num_queries, n):
    item = item_factory(series=series, slug="jrc1")
    for i in range(n):
        stat(item, f"{2020 + i // 12}-{i % 12 + 1:02d}", i, i // 2)
    with django_assert_max_num_queries(2):
        page = client.get("/stats/p/ipt/iptwpa/jrc1.html").content.decode()
    assert table_figures(page) == {when: f for when, f in chart_figures(page).items() if f != (0, 0)}
    assert len(chart_figures(page)) == n


def test_the_chart_ends_with_the_last_figures_not_today(client, series, item_factory):
    """Issue 18: the demo's figures end in 2018; its bars filled a tenth of an axis running to today."""
    item = item_factory(series=series, slug="old1")
    stat(item, "2017-11", 5, 1)
    stat(item, "2018-04", 9, 2)
    page = client.get("/stats/p/ipt/iptwpa/old1.html").content.decode()
    chart = chart_figures(page)
    assert list(chart) == [f"{d:%Y-%m}" for d in months.month_range(month("2017-11"), month("2018-04"))]
    assert table_figures(page) == {"2018-04": (9, 2), "2017-11": (5, 1)}
    assert "views-all" in totals(page)
    assert totals(page)["views-all"] == 14


def test_item_without_figures(client, series, item_factory):
    item_factory(series=series, slug="jrc1")
    page = client.get("/stats/p/ipt/iptwpa/jrc1.html").content.decode()
    assert "No statistics yet." in page
    assert "<svg" not in page
    assert totals(page)["views-all"] == 0


def test_nice_ceiling():
    assert nice_ceiling(0) == (4, 1)
    assert nice_ceiling(7) == (8, 2)
    assert nice_ceiling(51) == (60, 20)
    assert nice_ceiling(100) == (100, 20)


@pytest.fixture
def catalogue(series, series_factory, item_factory, person_factory, authorship_factory):
    """Two series; a registered author with two works in two series, listed twice on one of them."""
    other = series_factory(archive=series.archive, code="other", handle="RePEc:ipt:other")
    a, b = item_factory(series=series, slug="a"), item_factory(series=series, slug="b")
    c = item_factory(series=other, slug="c")
    stat(a, "2025-01", 10, 1)
    stat(a, "2025-02", 20, 2)
    stat(b, "2025-02", 5, 5)
    stat(c, "2024-12", 7, 7)
    stat(c, "2025-02", 1, 1)
    person = person_factory(short_id="pxx1", name_full="Ada Example")
    authorship_factory(item=a, position=0, person=person)
    authorship_factory(item=a, position=1, person=person, role="editor")  # counted once
    authorship_factory(item=c, position=0, person=person)
    authorship_factory(item=b, position=0)  # not registered
    return {"a": a, "b": b, "c": c, "other": other, "person": person}


def rollups(scope: str, scope_id: int) -> dict[datetime.date, tuple[int, int]]:
    rows = StatRollup.objects.filter(scope=scope, scope_id=scope_id)
    return {r.month: (r.abstract_views, r.downloads) for r in rows}


def sums(items) -> dict[datetime.date, tuple[int, int]]:
    rows = (
        MonthlyStat.objects.filter(item__in=items).values("month").annotate(v=Sum("abstract_views"), d=Sum("downloads"))
    )
    return {r["month"]: (r["v"], r["d"]) for r in rows}


def test_rollups_equal_the_sums_over_items(series, catalogue):
    refresh_all(TODAY)
    assert rollups("series", series.pk) == sums([catalogue["a"], catalogue["b"]])
    assert rollups("series", catalogue["other"].pk) == sums([catalogue["c"]])
    assert rollups("person", catalogue["person"].pk) == sums([catalogue["a"], catalogue["c"]])
    totals_a = ItemStatTotals.objects.get(item=catalogue["a"])
    assert (totals_a.views_month, totals_a.views_year, totals_a.views_all) == (20, 30, 30)
    assert totals_a.last_month == month("2025-02")
    person = PersonStatTotals.objects.get(person=catalogue["person"])
    assert (person.views_month, person.downloads_month, person.views_year, person.downloads_all) == (21, 3, 38, 11)


def test_partial_refresh_after_new_figures(series, catalogue):
    refresh_all(TODAY)
    stat(catalogue["c"], "2025-01", 100, 50)
    refresh_items([catalogue["c"].pk], TODAY)
    assert rollups("series", catalogue["other"].pk) == sums([catalogue["c"]])
    assert rollups("person", catalogue["person"].pk) == sums([catalogue["a"], catalogue["c"]])
    assert rollups("series", series.pk) == sums([catalogue["a"], catalogue["b"]])  # untouched, still right
    assert ItemStatTotals.objects.get(item=catalogue["c"]).views_all == 108


def test_refresh_twice_changes_nothing(series, catalogue):
    refresh_all(TODAY)
    first = list(
        StatRollup.objects.order_by("scope", "scope_id", "month").values_list(
            "scope", "scope_id", "month", "abstract_views", "downloads"
        )
    )
    refresh_all(TODAY)
    assert (
        list(
            StatRollup.objects.order_by("scope", "scope_id", "month").values_list(
                "scope", "scope_id", "month", "abstract_views", "downloads"
            )
        )
        == first
    )


def test_series_page(client, series, catalogue, item_factory, django_assert_max_num_queries):
    refresh_all(TODAY)
    # the series with its archive + its rollup rows = 2
    with django_assert_max_num_queries(2):
        page = client.get("/stats/s/ipt/iptwpa.html").content.decode()
    assert chart_figures(page) == table_figures(page) == {"2025-02": (25, 7), "2025-01": (10, 1)}
    assert totals(page) == {
        "views-month": 25,
        "downloads-month": 7,
        "views-year": 35,
        "downloads-year": 8,
        "views-all": 35,
        "downloads-all": 8,
    }
    assert "refreshed periodically" in page
    assert client.get("/stats/s/IPT/IPTWPA.html").status_code == 301
    assert client.get("/stats/s/ipt/nothing.html").status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_series_and_person_pages_in_constant_queries(
    client, series, item_factory, person_factory, authorship_factory, django_assert_max_num_queries, n
):
    person = person_factory(short_id="pxx1")
    for i in range(n):
        item = item_factory(series=series)
        authorship_factory(item=item, position=0, person=person)
        stat(item, f"{2023 + i // 12}-{i % 12 + 1:02d}", i + 1, i)
    refresh_all(TODAY)
    with django_assert_max_num_queries(2):
        series_page = client.get("/stats/s/ipt/iptwpa.html").content.decode()
    # the person + their rollup rows = 2
    with django_assert_max_num_queries(2):
        person_page = client.get("/stats/e/pxx1.html").content.decode()
    assert chart_figures(series_page) == table_figures(series_page) == table_figures(person_page)


def test_person_page_counts_each_work_once(client, catalogue):
    refresh_all(TODAY)
    page = client.get("/stats/e/pxx1.html").content.decode()
    assert table_figures(page) == chart_figures(page)
    assert table_figures(page)["2025-02"] == (21, 3)  # a (20, 2) once, though listed twice, and c (1, 1)
    assert totals(page)["views-all"] == 38
    assert "Ada Example" in page
    assert client.get("/stats/e/PXX1.html").status_code == 301
    assert client.get("/stats/e/nobody.html").status_code == 404


def test_links_to_the_stats_pages(client, series, catalogue):
    assert 'href="/stats/s/ipt/iptwpa.html"' in client.get("/s/ipt/iptwpa.html").content.decode()
    assert 'href="/stats/e/pxx1.html"' in client.get("/e/pxx1.html").content.decode()
    home = client.get("/").content.decode()
    assert 'href="/stats/top/items.html"' in home
    assert 'href="/stats/top/authors.html"' in home


# -- rankings ----------------------------------------------------------------------------


def ranked(page: str) -> list[tuple[int, str, int]]:
    """(rank, first link's text, figure) of each row of the ranking table."""
    rows = re.findall(
        r'<td class="rank">(\d+)</td><td>.*?<a href="[^"]+">([^<]+)</a>.*?<td class="figure">(\d+)</td>', page, re.S
    )
    return [(int(rank), html.unescape(name), int(figure)) for rank, name, figure in rows]


@pytest.fixture
def ranked_items(series, item_factory):
    """Items with downloads last month 5, 9, 5 (a tie: the older first), 0, and a withdrawn 99."""
    items = [item_factory(series=series, slug=f"i{n}", title=f"Item {n}") for n in range(5)]
    for item, downloads in zip(items, [5, 9, 5, 0, 99], strict=True):
        stat(item, "2025-02", downloads * 2, downloads)
        stat(item, "2024-01", 1000 - downloads, 1)
    items[4].withdrawn_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    items[4].save()
    refresh_all(TODAY)
    return items


def test_top_items_by_downloads_last_month(client, ranked_items, django_assert_max_num_queries):
    # the count (at most 1,000 ranks) + a page of (id, figure) + those items + their authorships = 4
    with django_assert_max_num_queries(4):
        page = client.get("/stats/top/items.html").content.decode()
    assert ranked(page) == [(1, "Item 1", 9), (2, "Item 0", 5), (3, "Item 2", 5)]
    page = client.get("/stats/top/items.html?by=views&period=all").content.decode()
    assert [r[1] for r in ranked(page)] == ["Item 1", "Item 0", "Item 2", "Item 3"]  # 1009, 1005, 1005, 1000
    assert ranked(page)[0] == (1, "Item 1", 1009)


def test_citation_ranking_leaves_self_citations_out(client, series, item_factory, django_assert_max_num_queries):
    item_factory(series=series, title="Often self-cited", citation_count=10, self_citation_count=8)
    item_factory(series=series, title="Cited by others", citation_count=5, self_citation_count=0)
    item_factory(series=series, title="Only self-cited", citation_count=3, self_citation_count=3)
    item_factory(series=series, title="Also five", citation_count=6, self_citation_count=1)
    with django_assert_max_num_queries(4):
        page = client.get("/stats/top/items.html?by=citations&period=year").content.decode()
    assert ranked(page) == [(1, "Cited by others", 5), (2, "Also five", 5), (3, "Often self-cited", 2)]
    assert "same ranking for every period" in page


@pytest.mark.parametrize("n", [1, 60])
def test_top_authors(
    client, series, item_factory, person_factory, authorship_factory, django_assert_max_num_queries, n
):
    for i in range(n):
        person = person_factory(short_id=f"pa{i}", name_full=f"Author {i:03d}")
        item = item_factory(series=series, citation_count=i + 2, self_citation_count=1)
        authorship_factory(item=item, position=0, person=person)
        stat(item, "2025-02", 10, i % 7)
    refresh_all(TODAY)
    # the count + a page of totals with their persons = 2
    with django_assert_max_num_queries(2):
        page = client.get("/stats/top/authors.html?by=citations").content.decode()
    rows = ranked(page)
    assert rows[0] == (1, f"Author {n - 1:03d}", n)
    assert len(rows) == min(n, 50)
    with django_assert_max_num_queries(2):
        page = client.get("/stats/top/authors.html?by=views&period=month").content.decode()
    assert [r[1] for r in ranked(page)][:2] == ["Author 000", "Author 001"][: min(n, 2)]  # all tied: by id
    if n > 50:
        second = client.get("/stats/top/authors.html?by=views&period=month&page=2").content.decode()
        assert ranked(second)[0][0] == 51
        assert len(ranked(second)) == n - 50


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("by=popularity", "“by” must be one of downloads, views, citations"),
        ("period=week", "“period” must be one of month, year, all"),
        ("page=0", "“page” must be a whole number from 1 to 20"),
        ("page=abc", "“page” must be a whole number from 1 to 20"),
        ("page=21", "“page” must be a whole number from 1 to 20"),
        ("page=2", "There is no page 2"),
    ],
)
def test_invalid_ranking_parameters_are_a_400_that_says_why(client, query, message):
    for path in ("/stats/top/items.html", "/stats/top/authors.html"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert message in html.unescape(response.content.decode())


def test_empty_rankings(client):
    assert "Nothing to rank yet." in client.get("/stats/top/items.html").content.decode()
    assert "Nothing to rank yet." in client.get("/stats/top/authors.html?by=citations").content.decode()
