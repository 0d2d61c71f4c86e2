"""Each endpoint runs a constant number of queries, whatever the number of rows it lists or
the item's authors, references, citations and related items (the pages' own query budgets)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# endpoint -> budget, with the arithmetic
BUDGET = {
    "/items/RePEc:zoo:zoowps:seed": 11,  # the item page's 11 (pages/item.py); statistics joined to the first
    # the 1% sample's tally, the exact one, candidates in the head then anywhere, ranking, items, authors
    "/search?q=quokka": 7,
    # the series and the author looked up, two tallies, a page of ids (no ranking), items, authors
    "/search?q=quokka&series=zoo:zoowps&sort=newest&author=pzz1": 7,
    "/archives": 2,  # a page, the total
    "/archives/zoo": 2,  # the archive, a page of series
    "/series/zoo/zoowps": 4,  # the series, a page of ids, the items, their authors
    "/authors": 1,
    "/authors/pzz1": 5,  # the person, affiliations, every work's figures, the items, their authors
    "/jel": 1,
    "/jel/Q": 4,  # the code's family, a page of ids, items, authors
    "/nep": 1,
    "/nep/nep-zoo": 2,  # the report, a page of issues
    "/nep/nep-zoo/2020-01-01": 4,  # the issue with its report, ids, items, authors
}


def world(n: int, factories) -> None:
    """A catalogue where every list holds `n` rows and the seed item has `n` of everything."""
    f = factories
    series = f.series_factory(archive__code="zoo", code="zoowps", handle="RePEc:zoo:zoowps")
    person = f.person_factory(short_id="pzz1")
    seed = f.item_factory(series=series, slug="seed", handle="RePEc:zoo:zoowps:seed", title="Quokka seed")
    report = f.nep_report_factory(code="nep-zoo")
    issue = f.nep_issue_factory(report=report, date=datetime.date(2020, 1, 1))
    jel = f.jel_code_factory(code="Q5")
    for k in range(n):
        other = f.item_factory(series=series, title=f"Quokka {k}")
        for item in (seed, other):
            f.authorship_factory(item=item, position=k, person=person if k == 0 else None)
            item.jel_codes.add(jel)
        f.authorship_factory(item=other, position=1000)
        f.reference_factory(citing=seed, target=other, position=k, status="matched")
        f.reference_factory(citing=other, target=seed, position=0, status="matched")
        f.related_item_factory(item=seed, related=other, rank=k)
        f.file_factory(item=seed, position=k)
        f.nep_announcement_factory(issue=issue, item=other, position=k)
        f.nep_issue_factory(report=report, date=datetime.date(2019, 1, 1) + datetime.timedelta(days=k))
        f.series_factory(archive=series.archive, code=f"z{k:05d}")
        f.person_factory(short_id=f"pzz{k + 2}")
    from catalogue.changes import items_changed
    from catalogue.models import Item

    items_changed(list(Item.objects.values_list("pk", flat=True)), everything=True)


class Factories:
    def __init__(self, request):
        self.request = request

    def __getattr__(self, name):
        return self.request.getfixturevalue(name)


@pytest.mark.parametrize("path", BUDGET)
@pytest.mark.parametrize("rows", [1, 12])
def test_a_constant_number_of_queries(client, request, path, rows):
    world(rows, Factories(request))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1{path}")
    assert response.status_code == 200, response.content
    assert len(queries) <= BUDGET[path], "\n".join(q["sql"][:200] for q in queries.captured_queries)
