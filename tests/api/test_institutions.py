"""Institutions in the API (issue 20): an author's affiliations name the institution, the
countries, a list by name (all or a country's) by cursor, an institution with its parent,
sub-institutions, authors and figures; constant queries whatever the numbers."""

from __future__ import annotations

import datetime

import pytest

from catalogue.models import Affiliation, Institution, InstitutionStatTotals

from .conftest import get, walk

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def institution(code: str, name: str, country: str = "US", parent: Institution | None = None, **extra) -> Institution:
    levels = [*([{"name": parent.name}] if parent else []), {"name": name, **extra.pop("en", {})}]
    return Institution.objects.create(
        handle=f"RePEc:edi:{code}", handle_key=f"repec:edi:{code}", code=code, name=name, levels=levels,
        country=country, parent=parent, **extra,
    )  # fmt: skip


def affiliate(person, inst: Institution | None, share: int | None = None, handle: str = "") -> Affiliation:
    return Affiliation.objects.create(
        person=person, position=person.affiliations.count(), name=inst.name if inst else "Elsewhere",
        institution=inst.handle if inst else handle, institution_ref=inst, share=share,
    )  # fmt: skip


@pytest.fixture
def yale():
    university = institution(
        "yaleeus", "Yale University", location="New Haven", homepage="https://www.yale.edu/", email="x@yale.example"
    )
    institution("yecdpus", "Department of Economics", parent=university)
    institution("ycowlus", "Cowles Foundation", parent=university)
    return university


def ref(inst: Institution) -> dict:
    return {
        "handle": inst.handle,
        "code": inst.code,
        "name": inst.name,
        "country": inst.country,
        "location": inst.location,
        "homepage": inst.homepage,
        "url": f"{HOST}/i/{inst.code}.html",
        "api_url": f"{HOST}/api/v1/institutions/{inst.code}",
    }


def test_an_authors_affiliations_name_their_institutions(client, yale, person_factory):
    person = person_factory(short_id="pau1")
    affiliate(person, yale, 60)
    affiliate(person, None, 40, handle="RePEc:edi:zzzzzzz")  # named, not imported
    body = get(client, "/authors/pau1")
    assert body["affiliations"] == [
        {"name": "Yale University", "institution": "RePEc:edi:yaleeus", "share": 60, "institution_record": ref(yale)},
        {"name": "Elsewhere", "institution": "RePEc:edi:zzzzzzz", "share": 40, "institution_record": None},
    ]
    assert get(client, "/institutions/yaleeus")["url"] == body["affiliations"][0]["institution_record"]["url"]
    assert "x@yale.example" not in client.get("/api/v1/institutions/yaleeus").content.decode()  # no e-mail, ever


def test_an_institution_with_its_parent_children_authors_and_figures(client, yale, person_factory):
    for n in range(3):
        affiliate(person_factory(short_id=f"pau{n}"), yale, 50)
    affiliate(person_factory(short_id="pdup"), yale)
    affiliate(Affiliation.objects.get(person__short_id="pdup").person, yale)  # twice: one author
    InstitutionStatTotals.objects.create(
        institution=yale, last_month=datetime.date(2025, 2, 1), citations=12.5, views_all=30.25, authors=4
    )
    body = get(client, "/institutions/YALEEUS")  # either case
    assert body == {
        **ref(yale),
        "parent": None,
        "levels": [{"name": "Yale University", "en": ""}],
        "parent_institution": None,
        "children": [
            ref(Institution.objects.get(code="ycowlus")),
            ref(Institution.objects.get(code="yecdpus")),
        ],  # by name
        "authors": 4,
        "totals": {
            "last_month": "2025-02-01",
            "citations": 12.5,
            "views_month": 0.0,
            "downloads_month": 0.0,
            "views_year": 0.0,
            "downloads_year": 0.0,
            "views_all": 30.25,
            "downloads_all": 0.0,
        },
    }
    department = get(client, "/institutions/yecdpus")
    assert department["parent"] == "yaleeus"
    assert department["parent_institution"] == ref(yale)
    assert department["levels"] == [
        {"name": "Yale University", "en": ""},
        {"name": "Department of Economics", "en": ""},
    ]
    assert (department["children"], department["authors"], department["totals"]) == ([], 0, None)


@pytest.mark.parametrize("code", ["nothere", "yale", "yaleeus1", "yale%20us", "ya%C3%A9eus"])
def test_an_unknown_or_malformed_code_is_a_404_in_json(client, yale, code):
    response = client.get(f"/api/v1/institutions/{code}")
    assert response.status_code == 404
    assert "No institution has this code" in response.json()["detail"]


def test_the_countries_and_a_countrys_institutions_by_cursor(client, yale):
    institution("lseecuk", "London School of Economics", "GB")
    institution("ucleguk", "University College London", "GB", en={"en": "UCL"})
    institution("nowherx", "Somewhere", "")
    countries = get(client, "/institutions/countries")["items"]
    assert [(c["code"], c["name"], c["institutions"]) for c in countries] == [
        ("gb", "United Kingdom", 2),
        ("us", "United States", 3),
        ("xx", "Country not known", 1),
    ]
    assert countries[0]["api_url"] == f"{HOST}/api/v1/institutions?country=gb"
    us = walk(client, "/institutions", country="US", limit=2)
    assert [i["code"] for i in us] == ["ycowlus", "yecdpus", "yaleeus"]  # by name, over two pages
    assert us[0]["parent"] == "yaleeus"
    assert {k: v for k, v in us[2].items() if k != "parent"} == ref(yale)
    assert [i["code"] for i in walk(client, "/institutions", country="xx", limit=1)] == ["nowherx"]
    everyone = walk(client, "/institutions", limit=4)
    assert [i["name"] for i in everyone] == sorted(i["name"] for i in everyone)
    assert len(everyone) == 6


def test_a_bad_country_or_another_lists_cursor_is_a_400(client, yale):
    institution("lseecuk", "London School of Economics", "GB")
    institution("ucleguk", "University College London", "GB")
    for country in ("zz", "Germany", ""):
        response = client.get("/api/v1/institutions", {"country": country})
        assert response.status_code == 400, country
        assert "country" in response.json()["errors"]
    cursor = get(client, "/institutions", country="gb", limit=1)["next_cursor"]
    response = client.get("/api/v1/institutions", {"country": "us", "cursor": cursor})
    assert response.status_code == 400
    assert "another list" in response.json()["errors"]["cursor"][0]


@pytest.mark.parametrize("rows", [1, 12])
def test_a_constant_number_of_queries(client, django_assert_max_num_queries, person_factory, rows):
    top = institution("topxxus", "Top")
    for n in range(rows):
        child = institution(f"ch{n:03d}us", f"Child {n}", parent=top)
        person = person_factory(short_id=f"pq{n}")
        affiliate(person, top, 50)
        affiliate(person, child, 50)
    InstitutionStatTotals.objects.create(institution=top, last_month=datetime.date(2025, 2, 1), authors=rows)
    budgets = {
        "/institutions/topxxus": 3,  # the institution with its parent and totals, its children, its authors counted
        "/institutions?country=us": 1,  # a page with each parent joined
        "/institutions": 1,
        "/institutions/countries": 1,  # one GROUP BY
        "/authors/pq0": 5,  # the person, affiliations with their institutions, figures, items, authors
    }
    for path, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(f"/api/v1{path}").status_code == 200, path
