"""Change lists keep their number of queries whatever the number of rows; searches use indexes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.admin.lists import EstimatedCountPaginator, next_prefix
from catalogue.models import HandleAlias, Item
from catalogue.search.indexing import index_items

pytestmark = pytest.mark.django_db

LISTS = ["item", "reference", "series", "handlealias", "archive", "citationreport"]


def grow(worlds, item_factory, reference_factory, series_factory, reader, n: int) -> None:
    """n - 1 more of each listed record in archive A (the worlds hold one each)."""
    from catalogue.models import CitationReport

    a = worlds["A"]
    for i in range(n - 1):
        item = item_factory(series=a.series, slug=f"x{i}", handle=f"RePEc:zqa:wpaper:x{i}", title=f"Extra {i}")
        reference_factory(citing=item, position=0)
        HandleAlias.objects.create(item=item, handle=f"RePEc:zqa:wpaper:oldx{i}")
        series_factory(archive=a.archive, code=f"s{i:05d}", handle=f"RePEc:zqa:s{i:05d}")
        CitationReport.objects.create(kind="cites", citing=a.item, cited=item, submitted_by=reader)


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Staff: session + user + the page of rows (list_select_related) + the count (exact on SQLite,
# capped at COUNT_CAP rows) = 4. A publisher: + 2 for is_catalogue_staff (the user's and its
# groups' permissions) + 1 for the archives they publish (once a request) = 7, and for items
# + 2 for the choices of the archive and series filters + 1 for the archives' codes (the
# handle ranges of ItemAdmin.get_queryset) = 10. On PostgreSQL an unfiltered list of items or
# references reads pg_class first (+1; then counts exactly below ESTIMATE_FROM rows, as here).
BUDGET = {"staff": dict.fromkeys(LISTS, 4), "publisher_a": dict.fromkeys(LISTS, 7) | {"item": 10}}


def budget(who: str) -> dict[str, int]:
    extra = 1 if who == "staff" and connection.vendor == "postgresql" else 0
    return {name: n + (extra if name in ("item", "reference") else 0) for name, n in BUDGET[who].items()}


@pytest.mark.parametrize("who", ["staff", "publisher_a"])
def test_lists_take_a_constant_number_of_queries(
    client, request, worlds, item_factory, reference_factory, series_factory, reader, who,
    django_assert_max_num_queries,
):  # fmt: skip
    client.force_login(request.getfixturevalue(who))
    assert {name: queries_of(client, f"/admin/catalogue/{name}/") for name in LISTS} == budget(who)
    grow(worlds, item_factory, reference_factory, series_factory, reader, 50)
    for name in LISTS:
        with django_assert_max_num_queries(budget(who)[name]):
            response = client.get(f"/admin/catalogue/{name}/")
        assert response.status_code == 200
    page = client.get("/admin/catalogue/item/").content.decode()
    assert "Extra 48" in page


def test_item_search_by_handle_prefix_and_title(client, staff, worlds):
    index_items(Item.objects.values_list("pk", flat=True))  # the test's transaction never commits
    client.force_login(staff)
    found = client.get("/admin/catalogue/item/", {"q": "repec:ZQA:wpaper"}).context["cl"].result_list
    assert {i.handle for i in found} == {"RePEc:zqa:wpaper:1", "RePEc:zqa:wpaper:2"}
    found = client.get("/admin/catalogue/item/", {"q": "Bmarker title"}).context["cl"].result_list
    assert [i.title for i in found] == ["Bmarker title"]


def test_item_search_by_the_number_a_publisher_knows(client, staff, worlds, item_factory):
    """Issue 18: searching `jrc108028` found nothing; the item's own number finds it, in any case."""
    item = item_factory(series=Item.objects.first().series, slug="jrc108028", handle="RePEc:zqa:wpaper:JRC108028")
    index_items([item.pk])
    client.force_login(staff)
    for term in ("jrc108028", "JRC108028", " jrc108028 "):
        found = client.get("/admin/catalogue/item/", {"q": term}).context["cl"].result_list
        assert [i.pk for i in found] == [item.pk], term
    assert client.get("/admin/catalogue/item/", {"q": "99999999999999999999999"}).status_code == 200


def test_handle_prefix_is_a_range():
    assert next_prefix("repec:zqa:") == "repec:zqa;"
    sql = str(Item.objects.filter(handle_key__gte="repec:zqa:", handle_key__lt=next_prefix("repec:zqa:")).query)
    assert "LIKE" not in sql.upper()


def test_unfiltered_count_is_exact_below_the_estimate_threshold(worlds):
    assert EstimatedCountPaginator(Item.objects.order_by("pk"), 10).count == Item.objects.count()


def test_the_withdrawn_filter(client, worlds, staff, publisher_a, item_factory):
    from django.utils import timezone

    a = worlds["A"]
    gone = item_factory(series=a.series, slug="gone", handle="RePEc:zqa:wpaper:gone", title="A withdrawn paper")
    Item.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now())
    for user in (staff, publisher_a):
        client.force_login(user)
        withdrawn = client.get("/admin/catalogue/item/?withdrawn=yes").content.decode()
        kept = client.get("/admin/catalogue/item/?withdrawn=no").content.decode()
        assert "A withdrawn paper" in withdrawn
        assert a.item.title not in withdrawn
        assert "A withdrawn paper" not in kept
        assert a.item.title in kept
        assert worlds["B"].item.title not in withdrawn
