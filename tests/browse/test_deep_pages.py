"""Deep pages of long lists start from the nearest anchor: same rows as OFFSET would give, constant queries.

STEP (rows between anchors) is 1,000 in production; these tests make it 7 so that 130 rows
have anchors, and walk every page of a series, a keyword and a JEL code.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.browse import paging
from catalogue.browse.counts import refresh_counts
from catalogue.models import ListAnchor

pytestmark = pytest.mark.django_db

N = 130  # three pages of 50


@pytest.fixture(autouse=True)
def small_step(monkeypatch):
    monkeypatch.setattr(paging, "STEP", 7)


def walk(client, url: str) -> list[str]:
    """The titles on every page of a list, in order."""
    titles = []
    for number in range(1, 4):
        response = client.get(url if number == 1 else f"{url}?page={number}")
        assert response.status_code == 200, (url, number)
        titles += re.findall(r">(T\d{3})</a>", response.content.decode())
    return titles


def test_series_pages_from_anchors(client, series_factory, item_factory, django_assert_max_num_queries):
    series = series_factory(archive__code="ipt", code="iptwpa")
    items = [
        item_factory(series=series, year=[2001, 2002, None][i % 3], number=str(i % 17), title=f"T{i:03d}")
        for i in range(N)
    ]
    refresh_counts()
    assert ListAnchor.objects.filter(list_key=f"series:{series.pk}").count() == N // 7
    expected = sorted(items, key=lambda i: (i.year or 0, i.number, i.pk), reverse=True)
    assert walk(client, "/s/ipt/iptwpa.html") == [i.title for i in expected]
    # series + anchor + ids from the anchor + items + authorships = 5
    with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as queries:
        client.get("/s/ipt/iptwpa.html?page=3")
    assert any("catalogue_listanchor" in q["sql"] for q in queries.captured_queries)


def test_keyword_pages_from_anchors(client, item_factory, keyword_factory, item_keyword_factory):
    keyword = keyword_factory(name="growth")
    items = [item_factory(title=f"T{i:03d}") for i in range(N)]
    for item in items:
        item_keyword_factory(item=item, keyword=keyword)
    refresh_counts()
    assert ListAnchor.objects.filter(list_key=f"keyword:{keyword.pk}").count() == N // 7
    assert walk(client, "/k/growth.html") == [i.title for i in reversed(items)]


def test_jel_pages_from_anchors_count_each_item_once(client, item_factory):
    items = [item_factory(title=f"T{i:03d}") for i in range(N)]
    for n, item in enumerate(items):
        item.jel_codes.add(*(["O31", "O32"] if n % 2 else ["O33"]))
    refresh_counts()
    assert ListAnchor.objects.filter(list_key="jel:O3").count() == N // 7
    assert walk(client, "/j/O3.html") == [i.title for i in reversed(items)]
    assert walk(client, "/j/O.html") == [i.title for i in reversed(items)]


def test_anchors_follow_the_lists(client, series_factory, item_factory):
    series = series_factory(archive__code="ipt", code="iptwpa")
    items = [item_factory(series=series, year=2000, number=f"{i:03d}", title=f"T{i:03d}") for i in range(N)]
    refresh_counts()
    items[0].delete()
    items.append(item_factory(series=series, year=1999, number="999", title="T999"))
    refresh_counts(series_ids=[series.pk], keyword_ids=[], jel_codes=[])  # what the importer does
    expected = sorted(items[1:], key=lambda i: (i.year, i.number), reverse=True)
    assert walk(client, "/s/ipt/iptwpa.html") == [i.title for i in expected]
    series.items.all().delete()
    refresh_counts(series_ids=[series.pk], keyword_ids=[], jel_codes=[])
    assert not ListAnchor.objects.filter(list_key=f"series:{series.pk}").exists()
