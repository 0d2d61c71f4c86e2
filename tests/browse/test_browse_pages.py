"""Archives, an archive, a series, a keyword: content, pagination, canonical addresses, constant queries.

Totals on these pages are counts kept by catalogue.browse.counts (the importer refreshes them);
tests that create rows with factories call refresh_counts() as the importer would.
"""

import html
import re

import pytest

from catalogue.browse.counts import refresh_counts

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def canonical(page: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)


def crumbs(page: str) -> str:
    nav = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", nav)


@pytest.fixture
def series(series_factory):
    return series_factory(
        archive__code="ipt",
        archive__name="Joint Research Centre",
        code="iptwpa",
        name="JRC Research Reports",
        description="Reports of the JRC.",
        provider_name="Joint Research Centre (Seville site)",
        maintainer_email="jrc@example.org",
    )


@pytest.mark.parametrize("n", [1, 60])
def test_series_page_lists_items_paginated_in_constant_queries(
    client, series, item_factory, authorship_factory, django_assert_max_num_queries, n
):
    for i in range(n):
        item = item_factory(series=series, year=2000 + i % 20, title=f"Paper number {i}")
        authorship_factory(item=item, position=0)
        authorship_factory(item=item, position=1)
    refresh_counts()
    # series with its archive + a page of ids + those items with series and archive + their
    # authorships = 4, whatever the length (the total is the kept Series.item_count: no COUNT)
    with django_assert_max_num_queries(4):
        page = text(client.get("/s/ipt/iptwpa.html"))
    assert "<h1>JRC Research Reports</h1>" in page
    assert "Reports of the JRC." in page
    assert "Joint Research Centre (Seville site)" in page
    assert "jrc@example.org" in page
    assert f"{n} item{'s' if n > 1 else ''}" in page
    assert page.count("Paper number") == min(n, 50)
    assert crumbs(page) == "Home › Archives › Joint Research Centre › JRC Research Reports"
    assert canonical(page) == "http://testserver/s/ipt/iptwpa.html"
    if n > 50:
        assert "60 items, page 1 of 2" in page
        with django_assert_max_num_queries(4):
            second = text(client.get("/s/ipt/iptwpa.html?page=2"))
        assert "60 items, page 2 of 2" in second
        assert second.count("Paper number") == 10
        assert canonical(second) == "http://testserver/s/ipt/iptwpa.html?page=2"
        assert "<title>JRC Research Reports (page 2) · " in second


def test_series_items_newest_first_by_year_then_number(client, series, item_factory):
    item_factory(series=series, year=2001, number="7", title="Old paper")
    item_factory(series=series, year=2019, number="2", title="New paper two")
    item_factory(series=series, year=2019, number="3", title="New paper three")
    refresh_counts()
    page = text(client.get("/s/ipt/iptwpa.html"))
    assert page.index("New paper three") < page.index("New paper two") < page.index("Old paper")
    # under year headings (issue 18), newest first
    html = client.get("/s/ipt/iptwpa.html").content.decode()
    assert html.index('<h3 class="year">2019</h3>') < html.index("New paper three")
    assert html.index("New paper two") < html.index('<h3 class="year">2001</h3>') < html.index("Old paper")
    assert html.count('<h3 class="year">') == 2


def test_bad_page_numbers_give_a_404_that_says_why(client, series, item_factory):
    item_factory(series=series)
    refresh_counts()
    response = client.get("/s/ipt/iptwpa.html?page=abc")
    assert response.status_code == 404
    assert "There is no page “abc”: pages are numbered from 1 to 1." in text_404(response)
    response = client.get("/s/ipt/iptwpa.html?page=999999")
    assert response.status_code == 404
    assert "There is no page 999999: this list has 1 page." in text_404(response)
    assert client.get("/s/ipt/iptwpa.html?page=<script>").status_code == 404
    assert "<script>" not in client.get("/s/ipt/iptwpa.html?page=<script>").content.decode()


def text_404(response) -> str:
    return html.unescape(response.content.decode())


def test_other_spellings_of_an_address_redirect_permanently(client, series, item_factory):
    item_factory.create_batch(3, series=series)
    refresh_counts()
    assert client.get("/s/IPT/IPTWPA.html").url == "/s/ipt/iptwpa.html"
    assert client.get("/s/IPT/IPTWPA.html").status_code == 301
    assert client.get("/s/ipt/iptwpa.html?page=1").url == "/s/ipt/iptwpa.html"
    assert client.get("/s/ipt/iptwpa.html?page=1").status_code == 301
    assert client.get("/s/IPT.html").url == "/s/ipt.html"


def test_series_page_404_names_what_is_missing(client):
    response = client.get("/s/ipt/nothere.html")
    assert response.status_code == 404
    assert "No series is at this address." in text_404(response)


def test_empty_series_says_so(client, series):
    page = text(client.get("/s/ipt/iptwpa.html"))
    assert "0 items" in page
    assert "No items." in page


@pytest.mark.parametrize("n", [1, 60])
def test_archive_page_lists_its_series_with_counts(
    client, archive_factory, series_factory, item_factory, django_assert_max_num_queries, n
):
    archive = archive_factory(code="ipt", name="Joint Research Centre", homepage="https://jrc.example.org/")
    many = series_factory(archive=archive, code="aaaaaa", name="Series with three")
    item_factory.create_batch(3, series=many)
    for i in range(n - 1):
        series_factory(archive=archive, code=f"s{i:05d}", name=f"Series {i}")
    refresh_counts()
    # archive + a page of its series = 2 (the total is Archive.series_count)
    with django_assert_max_num_queries(2):
        page = text(client.get("/s/ipt.html"))
    assert "<h1>Joint Research Centre</h1>" in page
    assert "https://jrc.example.org/" in page
    assert "Series with three</a> (working papers; 3 items)" in page
    assert f"{n} series" in page
    assert crumbs(page) == "Home › Archives › Joint Research Centre"
    assert canonical(page) == "http://testserver/s/ipt.html"
    if n > 50:
        assert "page 1 of 2" in page
        assert "Series 48" in page
        assert "Series 49" not in page


@pytest.mark.parametrize("n", [1, 60])
def test_archives_list(client, archive_factory, series_factory, item_factory, django_assert_max_num_queries, n):
    for i in range(n):
        archive_factory(code=f"a{i:02d}", name=f"Publisher {i:02d}")
    item_factory(series=series_factory(archive__code="a00"))
    refresh_counts()
    # count of archives + a page of them = 2
    with django_assert_max_num_queries(2):
        page = text(client.get("/s/"))
    assert "<h1>Archives</h1>" in page
    assert f"{n} archive" in page
    assert "Publisher 00</a> <code>RePEc:a00</code> (1 series, 1 item)" in page
    assert page.count("Publisher ") == min(n, 50)
    assert canonical(page) == "http://testserver/s/"
    assert crumbs(page) == "Home › Archives"


@pytest.mark.parametrize("n", [1, 60])
def test_keyword_page(
    client, series, item_factory, keyword_factory, item_keyword_factory, django_assert_max_num_queries, n
):
    keyword = keyword_factory(name="Smart Specialisation")
    other = keyword_factory(name="something else")
    for i in range(n):
        item_keyword_factory(item=item_factory(series=series, title=f"Paper {i:03d}"), keyword=keyword, position=0)
    item_keyword_factory(item=item_factory(series=series, title="Unrelated"), keyword=other, position=0)
    refresh_counts()
    # keyword + a page of ids + items + authorships = 4 (total: Keyword.item_count)
    with django_assert_max_num_queries(4):
        page = text(client.get("/k/smart%20specialisation.html"))
    assert "Items with the keyword “Smart Specialisation”" in page
    assert "Unrelated" not in page
    assert page.count("Paper ") == min(n, 50)
    assert f"Paper {n - 1:03d}" in page  # newest first
    assert canonical(page) == "http://testserver/k/smart%20specialisation.html"
    assert client.get("/k/Smart%20Specialisation.html").status_code == 301
    assert "No keyword is at this address." in text_404(client.get("/k/nothing.html"))


def test_untrusted_metadata_is_escaped(client, series_factory, item_factory):
    series = series_factory(archive__code="bad", code="badser", name="<script>alert(1)</script>")
    item_factory(series=series, title="<img src=x onerror=alert(1)>")
    refresh_counts()
    for url in ["/s/bad/badser.html", "/s/bad.html"]:
        body = client.get(url).content.decode()
        assert "<script>alert(1)" not in body, url
        assert "&lt;script&gt;" in body, url
    assert "<img src=x" not in client.get("/s/bad/badser.html").content.decode()


def test_healthz(client):
    assert client.get("/healthz").content == b"ok"
