"""The home page: holdings by type (cached), newest items, latest NEP issues, search, ways in."""

import datetime
import html

import pytest

from catalogue.browse.counts import refresh_counts
from catalogue.browse.queries import KIND_COUNTS_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def page_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("n", [1, 30])
def test_home_page_in_constant_queries(
    client, series_factory, item_factory, nep_announcement_factory, django_assert_max_num_queries, n
):
    papers = series_factory(archive__code="ipt")
    journal = series_factory(archive__code="eee", kind="article")
    for i in range(n):
        item = item_factory(series=papers, title=f"Paper {i:02d}")
        nep_announcement_factory(item=item, issue__date=datetime.date(2017, 1, 1) + datetime.timedelta(days=i))
    item_factory.create_batch(2, series=journal)
    # counts by kind (a cache miss) + newest items with series and archive + their authorships
    # + latest NEP issues with their reports = 4
    with django_assert_max_num_queries(4):
        page = page_of(client.get("/"))
    assert f"Working papers: {n}" in page
    assert "Journal articles: 2" in page
    assert "Books: 0" in page
    assert page.count("Paper ") == min(n, 18)  # 20 newest, two of them articles
    assert page.count("NEP-INO 2017-") == min(n, 10)
    assert f"NEP-INO {datetime.date(2017, 1, 1) + datetime.timedelta(days=n - 1)}" in page  # the latest
    # the counts come from the cache for a few minutes: one query fewer
    with django_assert_max_num_queries(3):
        client.get("/")


def test_home_links_every_browse_page_and_searches(client):
    page = page_of(client.get("/"))
    for url in ['href="/s/"', 'href="/j/"', 'href="/n/"', 'action="/search/"', 'name="q"']:
        assert url in page
    assert '<link rel="canonical" href="http://testserver/">' in page


def test_counts_are_cached_and_the_importer_refresh_forgets_them(client, series_factory, item_factory):
    from django.core.cache import cache

    series = series_factory()
    item_factory(series=series)
    assert "Working papers: 1" in page_of(client.get("/"))
    item_factory(series=series)
    assert "Working papers: 1" in page_of(client.get("/"))  # cached
    assert cache.get(KIND_COUNTS_KEY) == {"paper": 1}
    refresh_counts()  # what the importer does at the end of a run
    assert "Working papers: 2" in page_of(client.get("/"))
