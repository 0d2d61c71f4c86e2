"""The API's tests: the demo catalogue (manage.py load_demo) or factories, read over HTTP."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from catalogue.changes import items_changed

SEED = "RePEc:ipt:iptwpa:jrc108028"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())


def get(client, path: str, **params):
    """GET an API address; the JSON, with the status checked to be 200."""
    response = client.get(f"/api/v1{path}", params)
    assert response.status_code == 200, (path, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def walk(client, path: str, part: str | None = None, **params) -> list[dict]:
    """Every row of a paged list, following `next` to the end (`part`: the list's key in a detail)."""
    rows: list[dict] = []
    body = get(client, path, **params)
    for _ in range(1000):
        page = body[part] if part else body
        rows += page["items"]
        if page["next"] is None:
            return rows
        assert page["next_cursor"] in page["next"].replace("%3A", ":")
        response = client.get(page["next"])
        assert response.status_code == 200, response.content
        body = response.json()
    raise AssertionError("more than 1,000 pages")


@pytest.fixture
def indexed():
    """Make the search index and kept counts see items the factories wrote."""

    def index(*items, series=()):
        items_changed([i.pk for i in items], series=[s.pk for s in series] or list({i.series_id for i in items}))

    return index
