"""Cursor pagination: walking a list's pages gives every row once, in the order of its HTML page;
rows added meanwhile neither repeat nor skip the others; a bad cursor or limit is a 400."""

from __future__ import annotations

import datetime

import pytest

from catalogue.browse.queries import series_item_ids
from catalogue.models import Archive, Item, JelCode
from tests.api.conftest import get, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def series_items(series_factory, item_factory, indexed):
    series = series_factory(archive__code="zoo", code="zoowps", handle="RePEc:zoo:zoowps")
    years = [2017, 2017, 2017, None, 2010, 2020, 2020, None, 1999]
    items = [item_factory(series=series, year=year, slug=f"n{n}", number=f"{n % 3}") for n, year in enumerate(years)]
    indexed(*items)
    return series, items


def test_walking_a_series_gives_each_item_once_in_its_pages_order(client, series_items):
    series, items = series_items
    walked = [i["handle"] for i in walk(client, "/series/zoo/zoowps", "items", limit=2)]
    expected = [Item.objects.get(pk=pk).handle for pk in series_item_ids(series).ids]
    assert walked == expected
    assert len(set(walked)) == len(items)


def test_rows_added_during_a_walk_neither_repeat_nor_skip_the_others(client, series_items, item_factory, indexed):
    series, items = series_items
    first = get(client, "/series/zoo/zoowps", limit=3)["items"]
    seen = [i["handle"] for i in first["items"]]
    newest = item_factory(series=series, year=2030, slug="new")  # before the cursor: not shown
    oldest = item_factory(series=series, year=1900, slug="old")  # after it: shown (before the undated)
    indexed(newest, oldest)
    rest = walk(client, first["next"].removeprefix("http://testserver/api/v1"), "items")
    seen += [i["handle"] for i in rest]
    assert len(seen) == len(set(seen)) == len(items) + 1
    assert oldest.handle in seen
    assert newest.handle not in seen


def test_every_list_walks_to_its_end(client, archive_factory, series_factory, person_factory, item_factory,
                                      authorship_factory, jel_code_factory, nep_report_factory, nep_issue_factory,
                                      nep_announcement_factory, indexed):  # fmt: skip
    archives = [archive_factory(code=f"a{n:02d}") for n in range(5)]
    for n in range(4):
        series_factory(archive=archives[0], code=f"ser{n:03d}")
    persons = [person_factory(short_id=f"pxx{n}") for n in range(4)]
    jel = jel_code_factory(code="Q", parent=None)
    sub = jel_code_factory(code="Q5", parent=jel)
    items = [item_factory(title=f"Quokka count {n}", year=2000 + n % 3) for n in range(25)]
    for n, item in enumerate(items):
        authorship_factory(item=item, position=0, person=persons[0], name="P. Zero")
        item.jel_codes.add(sub if n % 2 else jel)
    report = nep_report_factory(code="nep-zoo")
    issues = [nep_issue_factory(report=report, date=datetime.date(2020, 1, 1 + n)) for n in range(3)]
    for position, item in enumerate(items[:7]):
        nep_announcement_factory(issue=issues[0], item=item, position=position)
    indexed(*items)
    handles = {i.handle for i in items}

    every_archive = sorted(Archive.objects.values_list("code", flat=True))
    assert len(every_archive) > 25  # the items' own, and these five
    assert [a["code"] for a in walk(client, "/archives", limit=2)] == every_archive
    assert len(walk(client, f"/archives/{archives[0].code}", "series", limit=3)) == 4
    assert [p["short_id"] for p in walk(client, "/authors", limit=3)] == sorted(p.short_id for p in persons)
    works = [w["handle"] for w in walk(client, "/authors/pxx0", "works", limit=4)]
    assert sorted(works) == sorted(handles)
    assert len(works) == 25
    under_q = [i["handle"] for i in walk(client, "/jel/Q", "items", limit=4)]
    assert sorted(under_q) == sorted(handles)
    assert under_q == sorted(under_q, key=lambda h: -Item.objects.get(handle=h).pk)  # newest catalogued first
    codes = [c["code"] for c in walk(client, "/jel", limit=100)]
    assert codes == sorted(JelCode.objects.values_list("code", flat=True))
    assert "Q5" in codes
    assert [i["date"] for i in walk(client, "/nep/nep-zoo", "issues", limit=2)] == [
        "2020-01-03", "2020-01-02", "2020-01-01",
    ]  # fmt: skip
    announced = [i["handle"] for i in walk(client, "/nep/nep-zoo/2020-01-01", "items", limit=2)]
    assert announced == [i.handle for i in items[:7]]
    found = [i["handle"] for i in walk(client, "/search", q="quokka", sort="newest")]
    assert sorted(found) == sorted(handles)
    assert get(client, "/search", q="quokka")["next"] is not None  # 25 matches: two pages of 20


def test_a_bad_cursor_or_limit_is_a_400_naming_it(client, series_items):
    first = get(client, "/series/zoo/zoowps", limit=2)["items"]
    cursor = first["next_cursor"]
    for params in [
        {"cursor": "nonsense"},
        {"cursor": cursor[:-3] + "AAA"},  # tampered
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "many"},
    ]:
        response = client.get("/api/v1/series/zoo/zoowps", params)
        assert response.status_code == 400, params
        body = response.json()
        assert set(body["errors"]) == set(params), body
        assert body["detail"].startswith("Bad request: ")
    other = client.get("/api/v1/archives", {"cursor": cursor})  # another list's cursor
    assert other.status_code == 400
    assert "another list" in other.json()["errors"]["cursor"][0]
    assert client.get("/api/v1/search", {"q": "x", "cursor": cursor}).status_code == 400
