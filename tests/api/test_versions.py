"""The API's items with their versions (issue 20): each record's own `citations`, the work's
`citations_across_versions` (null without another version) and the other versions' handles
(`version_handles`), in the item resource and in every list of items, in constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.api.app import api
from catalogue.changes import items_changed
from catalogue.citations.counts import refresh_citation_counts
from catalogue.models import Item, Reference, VersionLink

from .conftest import get

pytestmark = pytest.mark.django_db


def make_pairs(n: int, series_factory, item_factory, authorship_factory, person_factory) -> list[tuple[Item, Item]]:
    """`n` working papers, each stating the article it became; a citer citing both of each pair and
    another citing the article only: each work cited by 2, each paper by 1, each article by 2."""
    series = series_factory(archive__code="ver", code="verwpa", handle="RePEc:ver:verwpa")
    journal = series_factory(archive=series.archive, code="verjou", handle="RePEc:ver:verjou", kind="article")
    person = person_factory(short_id="pve1")
    citer = item_factory(series=series, slug="citer", handle="RePEc:ver:verwpa:citer", title="Citer")
    other = item_factory(series=series, slug="other", handle="RePEc:ver:verwpa:other", title="Other citer")
    pairs = []
    for k in range(n):
        paper = item_factory(series=series, slug=f"p{k}", handle=f"RePEc:ver:verwpa:p{k}", title=f"Quokka work {k}")
        article = item_factory(
            series=journal, kind="article", slug=f"a{k}", handle=f"RePEc:ver:verjou:a{k}", title=f"Quokka work {k}!"
        )
        for work in (paper, article):
            authorship_factory(item=work, position=0, person=person)
        VersionLink.objects.create(item=paper, other_key=article.handle_key, field="article-handle")
        for position, (citing, target) in enumerate([(citer, paper), (citer, article), (other, article)]):
            Reference.objects.create(citing=citing, target=target, position=2 * k + position, status="matched")
        pairs.append((paper, article))
    items_changed(list(Item.objects.values_list("pk", flat=True)), versions=True)
    refresh_citation_counts(list(Item.objects.values_list("pk", flat=True)))
    return pairs


@pytest.fixture
def pairs(request):
    def build(n: int) -> list[tuple[Item, Item]]:
        names = ("series_factory", "item_factory", "authorship_factory", "person_factory")
        return make_pairs(n, *(request.getfixturevalue(name) for name in names))

    return build


def test_an_item_gives_its_own_count_the_works_and_its_other_versions(client, pairs):
    [(paper, article)] = pairs(1)
    body = get(client, f"/items/{paper.handle}")
    assert (body["citations"], body["citations_across_versions"]) == (1, 2)
    assert body["version_handles"] == [article.handle]
    assert [v["handle"] for v in body["versions"]] == [article.handle]
    assert body["versions"][0]["version_handles"] == [paper.handle]
    assert (body["versions"][0]["citations"], body["versions"][0]["citations_across_versions"]) == (2, 2)
    citer = get(client, "/items/RePEc:ver:verwpa:citer")
    assert (citer["citations"], citer["citations_across_versions"], citer["version_handles"]) == (0, None, [])
    targets = {r["target"]["handle"]: r["target"] for r in citer["references"]}
    assert targets[paper.handle]["version_handles"] == [article.handle]
    assert targets[article.handle]["citations_across_versions"] == 2


def test_lists_of_items_give_them_too(client, pairs):
    [(paper, article)] = pairs(1)
    listed = {row["handle"]: row for row in get(client, "/series/ver/verwpa")["items"]["items"]}
    assert listed[paper.handle]["version_handles"] == [article.handle]
    assert listed[paper.handle]["citations_across_versions"] == 2
    assert listed["RePEc:ver:verwpa:citer"]["citations_across_versions"] is None
    works = {row["handle"]: row for row in get(client, "/authors/pve1")["works"]["items"]}
    assert works[article.handle]["version_handles"] == [paper.handle]
    found = {row["handle"]: row for row in get(client, "/search", q="quokka")["items"]}
    assert found[article.handle]["version_handles"] == [paper.handle]


# endpoint -> budget: tests/api/test_queries.py's, and one query for the versions' handles
BUDGET = {
    "/items/RePEc:ver:verwpa:p0": 12,
    "/items/RePEc:ver:verwpa:citer": 12,  # it cites every version: its references' handles
    "/series/ver/verjou": 5,
    "/authors/pve1": 6,
    "/search?q=quokka": 8,
}


@pytest.mark.parametrize("path", BUDGET)
@pytest.mark.parametrize("n", [2, 20])
def test_a_constant_number_of_queries_whatever_the_versions(client, pairs, path, n):
    pairs(n)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1{path}")
    assert response.status_code == 200, response.content
    assert len(queries) <= BUDGET[path], "\n".join(q["sql"][:200] for q in queries.captured_queries)
    body = response.json()
    rows = body.get("items", {}).get("items") if path.startswith("/series") else None
    if rows is not None:
        assert all(len(row["version_handles"]) == 1 for row in rows)


def test_the_openapi_document_describes_the_new_fields():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    for name in ("ItemSummary", "ItemDetail"):
        properties = schemas[name]["properties"]
        assert "across its versions" not in properties["citations"]["description"]
        assert "counts once" in properties["citations_across_versions"]["description"]
        assert "null when" in properties["citations_across_versions"]["description"]
        assert properties["version_handles"]["type"] == "array"
        assert "other versions" in properties["version_handles"]["description"]
        assert "citations_across_versions" in schemas[name]["required"]
