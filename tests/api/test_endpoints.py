"""What each endpoint answers, on the demo catalogue (the IDEAS page of RePEc:ipt:iptwpa:jrc108028)
and on factories: the same records, lists and orders as the HTML pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from catalogue.models import HandleAlias, Item
from tests.api.conftest import SEED, get

pytestmark = pytest.mark.django_db


def test_an_item_by_handle_has_what_its_page_shows(client, demo):
    body = get(client, f"/items/{SEED}")
    assert body["title"] == "Implementing smart specialisation - thematic platform on industrial modernisation"
    assert body["url"] == "http://testserver/p/ipt/iptwpa/jrc108028.html"
    assert body["citation"].startswith("Fatime Barbara Hegyi & Ruslan Rakhmatullin, 2017.")
    assert [(a["name"], a["person"]) for a in body["authors"]] == [
        ("Fatime Barbara Hegyi", None),
        ("Ruslan Rakhmatullin", "pra123"),
    ]
    assert body["authors"][1]["person_api_url"] == "http://testserver/api/v1/authors/pra123"
    assert "smart specialisation" in body["keywords"]
    assert [j["code"] for j in body["jel"]] == ["O25", "O31", "R11", "R58"]
    assert body["files"][0]["format"] == "application/pdf"
    assert {n["report"] for n in body["nep"]} == {"nep-ino", "nep-tid", "nep-ure"}
    assert body["series"] == {
        "handle": "RePEc:ipt:iptwpa",
        "name": "JRC Research Reports",
        "archive": "ipt",
        "api_url": "http://testserver/api/v1/series/ipt/iptwpa",
    }
    matched = [r for r in body["references"] if r["target"]]
    assert matched
    assert all(r["status"] in ("matched", "confirmed") for r in matched)
    assert matched[0]["target"]["handle"] == "RePEc:ipt:iptwpa:jrc84659"
    assert body["cited_by_total"] == len(body["cited_by"]) == 3
    assert len(body["related"]) == 20
    assert all(r["score"] is not None for r in body["related"])
    assert set(body["statistics"]) >= {"views_all", "downloads_all", "last_month"}
    assert body["withdrawn"] is None


def test_the_handle_is_read_in_any_case_and_an_old_one_redirects(client, demo):
    assert get(client, f"/items/{SEED.upper()}")["handle"] == SEED
    item = Item.objects.get(handle=SEED)
    HandleAlias.objects.create(item=item, handle="RePEc:ipt:iptwpa:old-name")
    response = client.get("/api/v1/items/RePEc:ipt:iptwpa:old-name")
    assert response.status_code == 301
    assert response["Location"] == f"http://testserver/api/v1/items/{SEED}"


def test_a_withdrawn_item_is_a_tombstone_or_a_redirect_to_its_replacement(client, item_factory):
    gone, replacement, kept = item_factory(), item_factory(), item_factory()
    Item.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now(), replaced_by=replacement)
    Item.objects.filter(pk=kept.pk).update(withdrawn_at=timezone.now(), withdrawal_note="Retracted by the authors")
    response = client.get(f"/api/v1/items/{gone.handle}")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/api/v1/items/{replacement.handle}")
    assert client.get(gone.get_absolute_url()).status_code == 301  # as its page does
    body = get(client, f"/items/{kept.handle}")
    assert body["withdrawn"]["note"] == "Retracted by the authors"
    assert body["withdrawn"]["replaced_by"] is None


def test_an_item_code_with_a_slash(client, series_factory, item_factory):
    series = series_factory(archive__code="ulb", code="ulbeco", handle="RePEc:ulb:ulbeco")
    item_factory(series=series, slug="2013-245817", handle="RePEc:ulb:ulbeco:2013/245817")
    assert get(client, "/items/RePEc:ulb:ulbeco:2013/245817")["handle"] == "RePEc:ulb:ulbeco:2013/245817"


def test_unknown_things_are_404_in_json(client, demo):
    for path in ["/items/RePEc:ipt:iptwpa:nothing", "/archives/zzz", "/series/ipt/nothing", "/authors/zzz999",
                 "/jel/Q99", "/jel/%C3%A9", "/nep/nep-zzz", "/nep/nep-ino/1999-01-01"]:  # fmt: skip
        response = client.get(f"/api/v1{path}")
        assert response.status_code == 404, path
        assert response.json()["detail"], path


def test_search_with_the_search_pages_filters_and_sorts(client, demo):
    everything = get(client, "/search", q="smart specialisation")
    assert everything["total"] >= 3
    assert everything["exact"]
    assert everything["sort"] == "relevance"
    assert everything["items"][0]["api_url"].startswith("http://testserver/api/v1/items/RePEc:")
    assert {f["label"] for f in everything["facets"]["type"]}
    articles = get(client, "/search", q="smart specialisation", type="a")
    assert articles["items"]
    assert all(i["kind"] == "article" for i in articles["items"])
    in_series = get(client, "/search", q="smart", series="ipt:iptwpa", sort="newest")
    assert in_series["items"]
    assert all(i["series"] == "RePEc:ipt:iptwpa" for i in in_series["items"])
    years = [i["year"] or 0 for i in in_series["items"]]
    assert years == sorted(years, reverse=True)
    by_author = get(client, "/search", author="pra123")
    assert by_author["total"] >= 1
    assert all(any("rakhmatullin" in a.lower() for a in i["authors"]) for i in by_author["items"])
    assert get(client, "/search", q="smart", year_from=2030)["total"] == 0
    cited = get(client, "/search", q="smart", sort="cited")["items"]
    assert [i["citations"] for i in cited] == sorted((i["citations"] for i in cited), reverse=True)
    tagged = get(client, "/search", keyword=["smart specialisation", "industrial policy"])
    assert SEED in {i["handle"] for i in tagged["items"]}
    assert get(client, "/search", jel="O3", nep="nep-ino", free="true")["total"] >= 1


def test_search_answers_what_the_search_page_shows(client, demo):
    """The same ids in the same order as /search/ (the page prints the same handles' addresses)."""
    body = get(client, "/search", q="innovation", sort="newest")
    page = client.get("/search/", {"q": "innovation", "sort": "newest"}).content.decode()
    addresses = [i["url"].removeprefix("http://testserver") for i in body["items"]]
    positions = [page.index(f'href="{a}"') for a in addresses]
    assert addresses
    assert positions == sorted(positions)


def test_archives_series_authors_jel_and_nep(client, demo):
    archives = get(client, "/archives")
    assert archives["total"] == len(archives["items"]) == 12
    assert [a["code"] for a in archives["items"]] == sorted(a["code"] for a in archives["items"])
    ipt = get(client, "/archives/ipt")
    assert ipt["name"] == "Joint Research Centre (Seville site)"
    assert [s["code"] for s in ipt["series"]["items"]] == ["iptwpa"]
    series = get(client, "/series/ipt/iptwpa")
    assert series["items"]["total"] == len(series["items"]["items"]) == 12
    assert SEED in {i["handle"] for i in series["items"]["items"]}
    assert [a["short_id"] for a in get(client, "/authors")["items"]] == ["pma456", "pra123"]  # by family name
    person = get(client, "/authors/pra123")
    assert person["name"] == "Ruslan Rakhmatullin"
    assert person["works_total"] == len(person["works"]["items"]) >= 2
    assert SEED in {w["handle"] for w in person["works"]["items"]}
    assert person["h_index"] >= 1
    o3 = get(client, "/jel/o3")
    assert o3["code"] == "O3"
    assert "O31" in {c["code"] for c in o3["children"]}
    assert SEED in {i["handle"] for i in o3["items"]["items"]}  # classified O31, under O3
    codes = get(client, "/jel", limit=100)["items"]
    assert codes[0]["code"] == "A"
    assert codes[1]["parent"] == "A"
    assert [r["code"] for r in get(client, "/nep")["items"]] == ["nep-ino", "nep-tid", "nep-ure"]
    issues = get(client, "/nep/nep-ino")["issues"]["items"]
    dates = [i["date"] for i in issues]
    assert dates == sorted(dates, reverse=True)
    issue = get(client, "/nep/nep-ino/2017-11-20")
    assert issue["report_name"] == "Innovation"
    assert SEED in {i["handle"] for i in issue["items"]["items"]}


def test_an_items_api_address_is_the_one_reverse_gives(client, series_factory, item_factory):
    from django.urls import reverse

    series = series_factory(archive__code="odd", code="oddwps", handle="RePEc:odd:oddwps")
    odd = item_factory(series=series, slug="a-b", handle="RePEc:odd:oddwps:a b/c%d?é#+;")
    listed = get(client, "/series/odd/oddwps")["items"]["items"]
    assert listed[0]["api_url"] == "http://testserver" + reverse("api:api_item", kwargs={"handle": odd.handle})
    assert client.get(listed[0]["api_url"]).json()["handle"] == odd.handle
