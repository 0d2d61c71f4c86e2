"""Series, archive, person, JEL, keyword and NEP pages: content, pagination, constant queries."""

import html

import pytest

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


@pytest.fixture
def series(series_factory):
    return series_factory(archive__code="ipt", code="iptwpa", name="JRC Research Reports")


@pytest.mark.parametrize("n", [1, 60])
def test_series_page_lists_items_paginated_in_constant_queries(
    client, series, item_factory, authorship_factory, settings, django_assert_max_num_queries, n
):
    for i in range(n):
        item = item_factory(series=series, year=2000 + i % 20, title=f"Paper number {i}")
        authorship_factory(item=item, position=0)
    # series + count + items + authorships = 4
    with django_assert_max_num_queries(4):
        page = text(client.get("/s/ipt/iptwpa.html"))
    assert "JRC Research Reports" in page and f"{n} item" in page
    assert page.count("<li>") >= min(n, 50)
    if n > 50:
        second = text(client.get("/s/ipt/iptwpa.html?page=2"))
        assert "page 2 of 2" in second
        assert second.count("Paper number") == n - 50


def test_series_page_404_names_what_is_missing(client):
    response = client.get("/s/ipt/nothere.html")
    assert response.status_code == 404 and "No series is at this address." in html.unescape(response.content.decode())


def test_archive_page_lists_series(client, series, item_factory):
    item_factory(series=series)
    page = text(client.get("/s/ipt.html"))
    assert "JRC Research Reports" in page and "(1 item)" in page


def test_person_jel_keyword_and_nep_pages(
    client,
    series,
    item_factory,
    authorship_factory,
    person_factory,
    item_keyword_factory,
    keyword_factory,
    jel_code_factory,
    nep_announcement_factory,
):
    item = item_factory(series=series, title="Smart specialisation in practice")
    person = person_factory(short_id="pra123", name_full="Ruslan Rakhmatullin")
    authorship_factory(item=item, position=0, person=person, name="Ruslan Rakhmatullin")
    item_keyword_factory(item=item, keyword=keyword_factory(name="Smart Specialisation"), position=0)
    item.jel_codes.add(jel_code_factory(code="O31"))
    nep_announcement_factory(item=item, issue__report__code="nep-ino", issue__date="2017-11-20")
    for url in [
        "/e/pra123.html",
        "/j/O31.html",
        "/j/o31.html",
        "/k/smart specialisation.html",
        "/n/nep-ino/2017-11-20.html",
    ]:
        response = client.get(url, follow=True)
        assert "Smart specialisation in practice" in text(response), url
    assert "2017-11-20" in text(client.get("/n/nep-ino.html"))
    assert client.get("/n/nep-ino/20-11-2017.html").status_code == 404


def test_home_page_counts(client, series, item_factory):
    item_factory.create_batch(3, series=series)
    page = text(client.get("/"))
    assert "Working papers: 3" in page


def test_healthz(client):
    assert client.get("/healthz").content == b"ok"
