"""THE SCOPING TEST: every admin address of every registered catalogue model, for A's records
and B's, as staff, A's publisher, a reader and an anonymous visitor (users: conftest.py)."""

from __future__ import annotations

import json

import pytest

from catalogue.models import Archive, HandleAlias, Item, Reference, Series

from .conftest import World, form_data, leaks_b

pytestmark = pytest.mark.django_db

# model name in the URL -> the World attribute holding its record, and whether it has history
RECORDS = {
    "archive": ("archive", True),
    "series": ("series", True),
    "item": ("item", True),
    "reference": ("reference", True),
    "handlealias": ("alias", True),
    "citationreport": ("report", False),
}
# (app model, field) of every autocomplete of the catalogue's admin, and the model it lists
AUTOCOMPLETES = [
    ("item", "series"),
    ("item", "replaced_by"),
    ("series", "archive"),
    ("reference", "citing"),
    ("handlealias", "item"),
    ("itemkeyword", "keyword"),
]


def urls_of(world: World) -> dict[str, str]:
    """Every admin address of `world`'s records: change, delete, history, one history record."""
    urls = {}
    for model, (attribute, has_history) in RECORDS.items():
        record = getattr(world, attribute)
        base = f"/admin/catalogue/{model}/{record.pk}"
        urls[f"{model} change"] = f"{base}/change/"
        urls[f"{model} delete"] = f"{base}/delete/"
        if has_history:
            urls[f"{model} history"] = f"{base}/history/"
            history_id = record.history.order_by("-history_date").values_list("history_id", flat=True).first()
            urls[f"{model} history record"] = f"{base}/history/{history_id}/"
    return urls


LISTS = [f"/admin/catalogue/{model}/" for model in RECORDS] + ["/admin/catalogue/", "/admin/"]
ADDS = [f"/admin/catalogue/{model}/add/" for model in ("archive", "series", "item", "reference", "handlealias")]


def autocomplete(client, model: str, field: str, term: str = ""):
    return client.get(
        "/admin/autocomplete/", {"app_label": "catalogue", "model_name": model, "field_name": field, "term": term}
    )


def test_staff_reaches_everything(client, staff, worlds):
    client.force_login(staff)
    for world in worlds.values():
        for name, url in urls_of(world).items():
            assert client.get(url).status_code == 200, name
    for url in [*LISTS, *ADDS, "/admin/catalogue/person/", "/admin/catalogue/keyword/"]:
        assert client.get(url).status_code == 200, url
    page = client.get("/admin/catalogue/item/").content.decode()
    assert "Amarker title" in page
    assert "Bmarker title" in page
    for model, field in AUTOCOMPLETES:
        assert autocomplete(client, model, field).status_code == 200


def test_publisher_reaches_their_archive_only(client, publisher_a, worlds):
    client.force_login(publisher_a)
    for name, url in urls_of(worlds["A"]).items():
        response = client.get(url)
        if name in ("archive delete", "citationreport delete"):
            assert response.status_code == 403, name  # a publisher deletes no archive and no report
        else:
            assert response.status_code == 200, name
            assert not leaks_b(response), name
    for name, url in urls_of(worlds["B"]).items():
        response = client.get(url)
        assert response.status_code in (302, 403, 404), name
        assert not leaks_b(response), name
        if response.status_code == 302:
            assert response["Location"] == "/admin/", name  # "does not exist", back to the index


def test_publisher_lists_show_nothing_of_another_archive(client, publisher_a, worlds):
    client.force_login(publisher_a)
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not leaks_b(response), url
    items = client.get("/admin/catalogue/item/").content.decode()
    assert "Amarker title" in items
    # filters given by hand to B's series or archive find nothing
    b = worlds["B"]
    for params in ({"series": b.series.pk}, {"archive": b.archive.pk}, {"q": "RePEc:zqb"}, {"q": "Bmarker"}):
        text = client.get("/admin/catalogue/item/", params).content.decode()  # the search box echoes the term
        assert "Bmarker title" not in text, params
        assert "RePEc:zqb:wpaper:1<" not in text, params
    # the app index lists the records a publisher corrects, not persons
    index = client.get("/admin/catalogue/").content.decode()
    assert "/admin/catalogue/item/" in index
    assert "/admin/catalogue/person/" not in index
    assert client.get("/admin/catalogue/person/").status_code == 403


def test_publisher_adds_only_inside_their_archive(client, publisher_a, worlds):
    client.force_login(publisher_a)
    assert client.get("/admin/catalogue/archive/add/").status_code == 403
    for url in ADDS[1:]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not leaks_b(response), url
    # an item in B's series is refused: not one of the choices
    response = client.post(
        "/admin/catalogue/item/add/",
        {
            "series": worlds["B"].series.pk,
            "handle": "RePEc:zqb:wpaper:new",
            "kind": "paper",
            "title": "Planted",
            **{f"{p}-TOTAL_FORMS": "0" for p in ("authorships", "files", "item_keywords")},
            **{f"{p}-INITIAL_FORMS": "0" for p in ("authorships", "files", "item_keywords")},
        },
    )
    assert response.status_code == 200
    assert "series" in response.context["adminform"].form.errors
    assert not Item.objects.filter(title="Planted").exists()


def test_publisher_autocomplete_and_choices_are_scoped(client, publisher_a, worlds):
    client.force_login(publisher_a)
    for model, field in AUTOCOMPLETES:
        response = autocomplete(client, model, field)
        assert response.status_code == 200, (model, field)
        assert not leaks_b(response), (model, field)
    ids = [row["id"] for row in json.loads(autocomplete(client, "item", "series").content)["results"]]
    assert ids == [str(worlds["A"].series.pk)]
    found = json.loads(autocomplete(client, "reference", "citing", "RePEc:zq").content)["results"]
    assert {row["id"] for row in found} == {
        str(pk) for pk in Item.objects.filter(series=worlds["A"].series).values_list("pk", flat=True)
    }
    # the change form's choices: A's series and items only
    response = client.get(f"/admin/catalogue/handlealias/{worlds['A'].alias.pk}/change/")
    assert list(response.context["adminform"].form.fields["item"].queryset) == list(
        Item.objects.filter(series__archive=worlds["A"].archive)
    )


def test_publisher_posts_change_nothing_of_another_archive(client, staff, publisher_a, worlds):
    b = worlds["B"]
    # the data of B's item as staff would post it
    client.force_login(staff)
    data = form_data(client.get(f"/admin/catalogue/item/{b.item.pk}/change/"))
    data["title"] = "Hijacked"
    client.force_login(publisher_a)
    client.post(f"/admin/catalogue/item/{b.item.pk}/change/", data)
    for model, (attribute, _) in RECORDS.items():
        record = getattr(b, attribute)
        client.post(f"/admin/catalogue/{model}/{record.pk}/delete/", {"post": "yes"})
        client.post(f"/admin/catalogue/{model}/{record.pk}/change/", {"name": "Hijacked", "raw_text": "Hijacked"})
    b.item.refresh_from_db()
    assert b.item.title == "Bmarker title"
    assert b.item.corrected_at is None
    assert Archive.objects.filter(pk=b.archive.pk).exists()
    assert Series.objects.filter(pk=b.series.pk).exists()
    assert Reference.objects.get(pk=b.reference.pk).raw_text == "Bmarker reference"
    assert HandleAlias.objects.filter(pk=b.alias.pk).exists()
    assert b.item.authorships.count() == 1
    assert b.item.files.count() == 1
    assert b.item.item_keywords.count() == 1
    # reports: the moderation actions skip B's
    response = client.post(
        "/admin/catalogue/citationreport/",
        {"action": "approve_selected", "_selected_action": [b.report.pk, worlds["A"].report.pk]},
    )
    assert response.status_code == 302
    b.report.refresh_from_db()
    worlds["A"].report.refresh_from_db()
    assert (b.report.status, worlds["A"].report.status) == ("pending", "approved")


def test_publisher_moves_no_item_to_another_archive(client, publisher_a, worlds):
    a, b = worlds["A"], worlds["B"]
    client.force_login(publisher_a)
    data = form_data(client.get(f"/admin/catalogue/item/{a.item.pk}/change/"))
    data.update(series=str(b.series.pk), handle="RePEc:zqb:wpaper:moved")
    response = client.post(f"/admin/catalogue/item/{a.item.pk}/change/", data)
    assert response.status_code == 200
    assert "series" in response.context["adminform"].form.errors
    a.item.refresh_from_db()
    assert a.item.series == a.series


def test_publisher_cannot_name_publishers(client, publisher_a, worlds):
    client.force_login(publisher_a)
    response = client.get(f"/admin/catalogue/archive/{worlds['A'].archive.pk}/change/")
    assert "publishers" not in response.context["adminform"].form.fields
    data = form_data(response)
    data["publishers"] = []
    data["name"] = "Renamed"
    client.post(f"/admin/catalogue/archive/{worlds['A'].archive.pk}/change/", data)
    archive = Archive.objects.get(pk=worlds["A"].archive.pk)
    assert archive.name == "Renamed"
    assert list(archive.publishers.all()) == [publisher_a]


@pytest.mark.parametrize("who", ["reader", "anonymous"])
def test_readers_and_visitors_reach_nothing(client, reader, worlds, who):
    if who == "reader":
        client.force_login(reader)
    urls = [*urls_of(worlds["A"]).values(), *urls_of(worlds["B"]).values(), *LISTS, *ADDS]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    for model, field in AUTOCOMPLETES:
        response = autocomplete(client, model, field)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
