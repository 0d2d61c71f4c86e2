"""The limit on costly pages: a scraper gets 429 with Retry-After, a person and a cached page never."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.COSTLY_PAGES_PER_MINUTE = 5


def client(address: str = "192.0.2.10") -> Client:
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address)


def test_a_client_asking_for_more_searches_than_a_person_gets_429():
    statuses = [client().get("/search/", {"q": f"growth {n}"}).status_code for n in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    refused = client().get("/search/", {"q": "trade"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.content.decode()
    assert client("192.0.2.11").get("/search/", {"q": "trade"}).status_code == 200  # another address


def test_exports_and_filtered_lists_count_plain_pages_do_not(item_factory):
    item = item_factory()
    for _ in range(10):
        assert client().get("/").status_code == 200
        assert client().get(item.get_absolute_url()).status_code == 200
    exports = [client().get(f"/cite/{item.handle}.bib").status_code for _ in range(5)]
    assert exports == [200] * 5
    assert client().get("/", {"page": "2"}).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_pages_from_the_page_cache_are_never_limited(settings):
    settings.PAGE_CACHE_SECONDS = 600
    statuses = {client().get("/search/", {"q": "growth"}).status_code for _ in range(20)}
    assert statuses == {200}


def test_a_cache_that_is_gone_limits_nothing(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "config.cache.SafeRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    caches["default"].close()
    statuses = {client().get("/search/", {"q": f"growth {n}"}).status_code for n in range(8)}
    assert statuses == {200}
