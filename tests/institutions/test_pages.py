"""Institutions' pages (issue 20): the directory by country, a country's institutions, an
institution's page, the ranking weighted by shares (RePEc's rule), constant query counts."""

import datetime
import html
import re

import pytest

from catalogue.models import Affiliation, Institution, InstitutionStatTotals, MonthlyStat
from catalogue.stats import months
from catalogue.stats.rollups import institution_totals, refresh_all, refresh_items

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 15)  # last month: 2025-02


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(months, "today", lambda: TODAY)


def institution(code: str, name: str, country: str, parent=None, **extra) -> Institution:
    levels = [*([{"name": parent.name}] if parent else []), {"name": name}]
    return Institution.objects.create(
        handle=f"RePEc:edi:{code}", handle_key=f"repec:edi:{code}", code=code, name=name, levels=levels,
        country=country, parent=parent, **extra,
    )  # fmt: skip


def affiliate(person, inst, share=None, name="") -> Affiliation:
    position = person.affiliations.count()
    return Affiliation.objects.create(
        person=person, position=position, name=name or (inst.name if inst else "Elsewhere"),
        institution=inst.handle if inst else "", institution_ref=inst, share=share,
    )  # fmt: skip


@pytest.fixture
def world(series_factory, item_factory, person_factory, authorship_factory):
    """Three institutions and four registered authors, their figures chosen so that the ranking
    can be computed by hand (test_the_ranking_splits_each_authors_figures_by_share)."""
    series = series_factory()
    a = institution("alphaus", "Alpha University", "US", location="Boston (United States)")
    a_dept = institution("alphdus", "Department of Economics", "US", parent=a)
    b = institution("betaauk", "Beta College", "GB")
    c = institution("gammaes", "Gamma Institute", "ES")
    institution("nowherx", "Somewhere unknown", "")
    p1 = person_factory(short_id="pon1", name_first="Ada", name_last="One", name_full="Ada One")
    p2 = person_factory(short_id="ptw2", name_first="Bo", name_last="Two", name_full="Bo Two")
    p3 = person_factory(short_id="pth3", name_first="Cy", name_last="Three", name_full="Cy Three")
    p4 = person_factory(short_id="pfo4", name_first="Di", name_last="Four", name_full="Di Four")
    affiliate(p1, a, 60)
    affiliate(p1, b, 40)
    affiliate(p2, a)  # no shares: a third each, the free-text one included
    affiliate(p2, c)
    affiliate(p2, None)
    affiliate(p3, b, 100)
    affiliate(p4, a, 50)  # shares not all given: halves
    affiliate(p4, c)
    item1 = item_factory(series=series, slug="w1", title="Work one", year=2020, citation_count=10)
    item2 = item_factory(series=series, slug="w2", title="Work two", year=2021, citation_count=9)
    item3 = item_factory(
        series=series, slug="w3", title="Work three", year=2019, citation_count=5, self_citation_count=1
    )
    item4 = item_factory(series=series, slug="w4", title="Work four", year=2022, citation_count=2)
    for item, person in [(item1, p1), (item1, p3), (item2, p2), (item3, p3), (item4, p4)]:
        authorship_factory(item=item, person=person, name=person.name_full)
    month = datetime.date(2025, 2, 1)
    for item, downloads in [(item1, 100), (item2, 30), (item3, 20)]:
        MonthlyStat.objects.create(item=item, month=month, abstract_views=downloads * 2, downloads=downloads)
    refresh_all(TODAY)
    return {"a": a, "a_dept": a_dept, "b": b, "c": c, "persons": [p1, p2, p3, p4], "series": series}


def ranked(page: str) -> list[tuple[int, str, int, str]]:
    """(rank, institution, registered authors, figure) of each row of the ranking table."""
    rows = re.findall(
        r'<td class="rank">(\d+)</td><td><a href="[^"]+">([^<]+)</a></td>\s*<td class="figure">(\d+)</td>'
        r'<td class="figure">([\d.,]+)</td>',
        page,
    )
    return [(int(rank), html.unescape(name), int(n), figure) for rank, name, n, figure in rows]


def test_the_ranking_splits_each_authors_figures_by_share(client, world, django_assert_max_num_queries):
    """By hand: citations (self-citations out) are One 10, Two 9, Three 10 + 4 = 14, Four 2.
    Alpha: 0.6 * 10 + 9 / 3 + 2 / 2 = 10; Beta: 0.4 * 10 + 14 = 18; Gamma: 9 / 3 + 2 / 2 = 4.
    Downloads last month: One 100, Two 30, Three 120, Four 0: Alpha 60 + 10 = 70, Beta 40 +
    120 = 160, Gamma 10."""
    totals = {t.institution.code: t for t in InstitutionStatTotals.objects.select_related("institution")}
    assert {code: round(t.citations, 6) for code, t in totals.items()} == {"alphaus": 10, "betaauk": 18, "gammaes": 4}
    assert {code: round(t.downloads_month, 6) for code, t in totals.items()} == {
        "alphaus": 70, "betaauk": 160, "gammaes": 10
    }  # fmt: skip
    assert {code: t.authors for code, t in totals.items()} == {"alphaus": 3, "betaauk": 2, "gammaes": 2}
    with django_assert_max_num_queries(2):
        page = client.get("/stats/top/institutions.html?by=citations").content.decode()
    assert ranked(page) == [
        (1, "Beta College", 2, "18"),
        (2, "Alpha University", 3, "10"),
        (3, "Gamma Institute", 2, "4"),
    ]
    page = client.get("/stats/top/institutions.html?by=downloads&period=month").content.decode()
    assert [r[1:] for r in ranked(page)] == [
        ("Beta College", 2, "160"),
        ("Alpha University", 3, "70"),
        ("Gamma Institute", 2, "10"),
    ]


def test_a_fraction_is_shown_rounded(client, world):
    world["persons"][0].affiliations.filter(institution_ref=world["a"]).update(share=70)  # 70 + 40: shares as given
    refresh_all(TODAY)
    alpha = InstitutionStatTotals.objects.get(institution=world["a"])
    assert alpha.citations == pytest.approx(70 / 110 * 10 + 3 + 1)
    page = client.get("/stats/top/institutions.html?by=citations").content.decode()
    assert ("Alpha University", 3, "10.4") in [r[1:] for r in ranked(page)]


def test_a_partial_refresh_follows_the_authors_institutions(world):
    p2 = world["persons"][1]
    item = p2.authorships.get().item
    MonthlyStat.objects.filter(item=item).update(downloads=60)  # Two: 30 -> 60
    refresh_items([item.pk], TODAY)
    gamma = InstitutionStatTotals.objects.get(institution=world["c"])
    assert round(gamma.downloads_month, 6) == 20
    assert round(InstitutionStatTotals.objects.get(institution=world["a"]).downloads_month, 6) == 80
    institution_totals(months.last_complete_month(TODAY), [world["c"].pk])  # alone: the same
    assert round(InstitutionStatTotals.objects.get(institution=world["c"]).downloads_month, 6) == 20


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("by=popularity", "“by” must be one of downloads, views, citations"),
        ("period=week", "“period” must be one of month, year, all"),
        ("page=abc", "“page” must be a whole number from 1 to 20"),
        ("page=2", "There is no page 2"),
    ],
)
def test_bad_ranking_parameters_are_a_400_that_says_why(client, query, message):
    response = client.get(f"/stats/top/institutions.html?{query}")
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())


def test_an_empty_ranking(client):
    assert "Nothing to rank yet." in client.get("/stats/top/institutions.html").content.decode()


def test_the_institution_page(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/i/alphaus.html")
    assert response.status_code == 200
    page = response.content.decode()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Alpha University" in text
    assert "Boston (United States)" in text
    assert re.search(r'<a href="/i/c/us.html">United States</a>', page)
    assert '<a href="/i/alphdus.html">Department of Economics</a>' in page  # a sub-institution
    authors = re.search(r'<section id="authors">(.*?)</section>', page, re.S).group(1)
    assert re.findall(r'<a href="/e/(\w+)\.html">([^<]+)</a>', authors) == [
        ("pfo4", "Di Four"), ("pon1", "Ada One"), ("ptw2", "Bo Two")
    ]  # fmt: skip
    assert "(60%)" in authors
    assert "(50%)" in authors
    assert re.findall(r"Work (\w+)", page.split('id="authors"')[1]) == ["four", "two", "one"]  # newest first
    assert '<a href="/stats/top/institutions.html?by=citations&amp;period=all">Rank 2</a>' in page
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == [
        "Home",
        "Institutions",
        "United States",
        "Alpha University",
    ]
    dept = client.get("/i/alphdus.html").content.decode()
    assert '<dt>Part of</dt><dd><a href="/i/alphaus.html">Alpha University</a></dd>' in dept
    assert "Not ranked: no citations yet" in dept
    assert "No registered author gives this institution" in dept


@pytest.mark.parametrize("n", [1, 40])
def test_the_institution_page_and_directory_in_constant_queries(
    client, world, person_factory, authorship_factory, item_factory, django_assert_max_num_queries, n
):
    a = world["a"]
    for i in range(n):
        person = person_factory(short_id=f"pmany{i}")
        affiliate(person, a)
        authorship_factory(item=item_factory(series=world["series"], slug=f"m{i}"), person=person)
        institution(f"n{i:04d}us", f"Many {i}", "US", parent=a)
    refresh_all(TODAY)
    # the institution with parent and totals, its children, its authors, the rank, the works' count
    # and a page of ids, the items, their authorships: 8 whatever the numbers
    with django_assert_max_num_queries(8):
        page = client.get("/i/alphaus.html").content.decode()
    assert page.count('href="/e/pmany') == n
    with django_assert_max_num_queries(1):
        assert client.get("/i/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/i/c/us.html").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/stats/top/institutions.html?by=downloads&period=all").status_code == 200


def test_the_directory_by_country(client, world):
    page = client.get("/i/").content.decode()
    countries = re.findall(r'<li><a href="(/i/c/\w\w\.html)">([^<]+)</a> \((\d+)\)</li>', page)
    assert countries == [
        ("/i/c/es.html", "Spain", "1"), ("/i/c/gb.html", "United Kingdom", "1"),
        ("/i/c/us.html", "United States", "2"), ("/i/c/xx.html", "Country not known", "1"),
    ]  # fmt: skip
    us = client.get("/i/c/us.html").content.decode()
    assert re.findall(r'<li><a href="/i/(\w+)\.html">', us) == ["alphaus", "alphdus"]
    assert "Department of Economics</a> (Alpha University)" in us
    assert "3 registered\n        authors" in us or "3 registered authors" in " ".join(us.split())
    assert "Somewhere unknown" in client.get("/i/c/xx.html").content.decode()
    assert "No institution of this country" in client.get("/i/c/fr.html").content.decode()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/i/zzzzzzz.html", 404),  # no such institution
        ("/i/c/zz.html", 404),  # no such country
        ("/i/c/usa.html", 404),
        ("/i/alpha.html", 404),  # not seven letters: neither an institution nor the authors' A-Z
        ("/i/c/us.html?page=abc", 404),
        ("/i/alphaus.html?page=99", 404),
    ],
)
def test_bad_addresses(client, world, path, status):
    assert client.get(path).status_code == status


def test_addresses_in_capitals_redirect_and_the_authors_directory_stays(client, world):
    assert client.get("/i/ALPHAUS.html")["Location"] == "/i/alphaus.html"
    assert client.get("/i/c/US.html")["Location"] == "/i/c/us.html"
    authors = client.get("/i/eo.html")
    assert authors.status_code == 200
    assert "Ada One" in authors.content.decode()
