"""The API's answers come from the page cache like the pages do: no query on a hit, CORS headers
on every answer, and a correction in the admin visible on the very next request."""

from __future__ import annotations

import pytest
from django.test import Client

from catalogue.changes import items_changed
from tests.admin.conftest import form_data

pytestmark = pytest.mark.django_db(transaction=True)  # versions move when a write commits


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def item(item_factory, authorship_factory):
    made = item_factory(title="Quokka habitats", abstract="Where quokkas live.")
    authorship_factory(item=made, position=0, name="Ana Autora")
    items_changed([made.pk], series=[made.series_id])
    return made


def anonymous() -> Client:
    return Client(REMOTE_ADDR="192.0.2.10", HTTP_ORIGIN="https://elsewhere.example")


def test_a_second_request_is_a_hit_without_a_query_and_keeps_cors(item, django_assert_num_queries):
    url = f"/api/v1/items/{item.handle}"
    first = anonymous().get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = anonymous().get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.json() == first.json()
    assert second["Content-Type"].startswith("application/json")
    assert second["Access-Control-Allow-Origin"] == "*"


def test_a_correction_is_in_the_api_on_the_next_request(item, staff_client):
    series = item.series
    addresses = [
        f"/api/v1/items/{item.handle}",
        "/api/v1/search?q=quokka",
        f"/api/v1/series/{series.archive.code}/{series.code}",
    ]
    for url in addresses:
        anonymous().get(url)
        response = anonymous().get(url)
        assert response["X-Page-Cache"] == "hit", url
        assert "Quokka habitats" in response.content.decode(), url
    change = f"/admin/catalogue/item/{item.pk}/change/"
    data = form_data(staff_client.get(change))
    data["title"] = "Quokka burrows"
    response = staff_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    for url in addresses:
        response = anonymous().get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Quokka burrows" in response.content.decode(), url
