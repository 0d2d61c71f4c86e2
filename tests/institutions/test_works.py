"""An institution's kept list of works (issue 20): every write that moves a work in or out of it
(a claim, an unclaim, an affiliation changed in the profile, an item deleted or re-dated, a
person deleted, an import) brings the list and its length in step at once; the statistics
rollup rebuilds it equal to the live computation; the page costs the same queries whatever the
institution's size, its authors shown AUTHORS_SHOWN at a time."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.authors import claiming
from catalogue.browse import institutions as kept
from catalogue.changes import items_changed
from catalogue.ingest.importer import Importer
from catalogue.models import Affiliation, Authorship, Institution, InstitutionWork, Item, Person
from catalogue.pages.institution import AUTHORS_SHOWN
from catalogue.redif.parser import parse_text
from catalogue.stats import months
from catalogue.stats.rollups import refresh_all

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(months, "today", lambda: TODAY)


def institution(code: str, name: str) -> Institution:
    return Institution.objects.create(
        handle=f"RePEc:edi:{code}", handle_key=f"repec:edi:{code}", code=code, name=name, levels=[{"name": name}],
        country="US",
    )  # fmt: skip


def affiliate(person: Person, inst: Institution, position: int = 0) -> Affiliation:
    return Affiliation.objects.create(
        person=person, position=position, name=inst.name, institution=inst.handle, institution_ref=inst
    )


def listed(inst: Institution) -> list[tuple[int, int]]:
    """(year, item id) of the kept rows in page order; checks the kept length and the live list too."""
    rows = list(
        InstitutionWork.objects.filter(institution=inst).order_by("-year", "-item_id").values_list("year", "item_id")
    )
    assert Institution.objects.get(pk=inst.pk).work_count == len(rows)
    assert rows == kept.live_works(inst.pk)  # never stale
    return rows


def works_on_page(client, inst: Institution, query: str = "") -> list[str]:
    page = client.get(f"/i/{inst.code}.html{query}").content.decode()
    return re.findall(r"Work (\w+)", page.split('id="authors"')[1])


@pytest.fixture
def world(series_factory, item_factory, person_factory, authorship_factory):
    """Alpha with Ada (works one, two), Beta with Bo (work three); work four unclaimed, by "Cy Three"."""
    series = series_factory()
    alpha, beta = institution("alphaus", "Alpha University"), institution("betaaus", "Beta College")
    ada = person_factory(short_id="pad1", name_first="Ada", name_last="One", name_full="Ada One")
    bo = person_factory(short_id="pbo2", name_first="Bo", name_last="Two", name_full="Bo Two")
    cy = person_factory(short_id="pcy3", name_first="Cy", name_last="Three", name_full="Cy Three")
    affiliate(ada, alpha)
    affiliate(bo, beta)
    items = {}
    for slug, year, person in [("one", 2020, ada), ("two", 2022, ada), ("three", 2021, bo), ("four", 2023, None)]:
        items[slug] = item_factory(series=series, slug=slug, title=f"Work {slug}", year=year)
        authorship_factory(item=items[slug], person=person, name=person.name_full if person else "Cy Three")
    refresh_all(TODAY)
    return {"alpha": alpha, "beta": beta, "ada": ada, "bo": bo, "cy": cy, "items": items, "series": series}


def test_the_rollup_lists_each_institutions_works_newest_first(client, world):
    items = world["items"]
    assert listed(world["alpha"]) == [(2022, items["two"].pk), (2020, items["one"].pk)]
    assert listed(world["beta"]) == [(2021, items["three"].pk)]
    assert works_on_page(client, world["alpha"]) == ["two", "one"]
    page = client.get("/i/alphaus.html").content.decode()
    assert "2 works" in page


def test_a_claimed_work_appears_at_once_and_an_unclaimed_one_goes(client, world, django_capture_on_commit_callbacks):
    cy, alpha, four = world["cy"], world["alpha"], world["items"]["four"]
    affiliate(cy, alpha)
    assert works_on_page(client, alpha) == ["two", "one"]  # the page is cached now
    authorship = Authorship.objects.get(item=four)
    with django_capture_on_commit_callbacks(execute=True):
        claiming.claim(cy, authorship.pk)
    assert listed(alpha)[0] == (2023, four.pk)
    assert works_on_page(client, alpha) == ["four", "two", "one"]
    with django_capture_on_commit_callbacks(execute=True):
        claiming.refuse(cy, four)
    assert [pk for _, pk in listed(alpha)] == [world["items"]["two"].pk, world["items"]["one"].pk]
    assert works_on_page(client, alpha) == ["two", "one"]


def test_an_affiliation_changed_in_the_profile_moves_the_works(world, reader, django_capture_on_commit_callbacks):
    ada, alpha, beta = world["ada"], world["alpha"], world["beta"]
    ada.user = reader
    ada.save()
    client = Client()
    client.force_login(reader)
    (affiliation,) = ada.affiliations.all()
    data = {
        "name_first": "Ada", "name_middle": "", "name_last": "One", "name_variants": "", "homepage": "",
        "affiliations-TOTAL_FORMS": "1", "affiliations-INITIAL_FORMS": "1",
        "affiliations-0-id": str(affiliation.pk), "affiliations-0-institution_code": "betaaus",
        "affiliations-0-name": "", "affiliations-0-share": "",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("my_profile"), data).status_code == 302
    assert listed(alpha) == []
    assert [pk for _, pk in listed(beta)] == [world["items"][s].pk for s in ("two", "three", "one")]
    assert works_on_page(client, beta) == ["two", "three", "one"]
    assert "No registered author gives this institution" in client.get("/i/alphaus.html").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # a second affiliation: in both, once each
        affiliate(ada, alpha, position=1)
    assert len(listed(alpha)) == 2
    assert len(listed(beta)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        Affiliation.objects.get(person=ada, institution_ref=beta).delete()
    assert [pk for _, pk in listed(beta)] == [world["items"]["three"].pk]


def test_a_deleted_item_goes_and_a_redated_one_moves(client, world, django_capture_on_commit_callbacks):
    alpha, items = world["alpha"], world["items"]
    with django_capture_on_commit_callbacks(execute=True):
        items["two"].delete()
    assert listed(alpha) == [(2020, items["one"].pk)]
    assert works_on_page(client, alpha) == ["one"]
    with django_capture_on_commit_callbacks(execute=True):
        other = Item.objects.create(
            series=world["series"], kind="paper", slug="five", handle=f"{world['series'].handle}:five",
            title="Work five", year=None,
        )  # fmt: skip
        Authorship.objects.create(item=other, position=0, name="Ada One", person=world["ada"])
    assert listed(alpha) == [(2020, items["one"].pk), (0, other.pk)]  # a year not known: last
    with django_capture_on_commit_callbacks(execute=True):
        other.year = 2024
        other.save()
    assert listed(alpha) == [(2024, other.pk), (2020, items["one"].pk)]
    assert works_on_page(client, alpha) == ["five", "one"]


def test_a_deleted_person_takes_their_works_out(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world["ada"].delete()
    assert listed(world["alpha"]) == []
    assert len(listed(world["beta"])) == 1


def test_a_work_by_two_authors_of_one_institution_is_listed_once(world, django_capture_on_commit_callbacks):
    alpha, one = world["alpha"], world["items"]["one"]
    with django_capture_on_commit_callbacks(execute=True):
        affiliate(world["bo"], alpha, position=1)
        Authorship.objects.create(item=one, position=1, name="Bo Two", person=world["bo"])
    assert [pk for _, pk in listed(alpha)] == [world["items"][s].pk for s in ("two", "three", "one")]


PERSON = """Template-Type: ReDIF-Person 1.0
Name-Full: Di Four
Short-Id: pdi4
Workplace-Name: Gamma Institute
Workplace-Institution: RePEc:edi:gammaus
Author-Paper: {handle}
Handle: RePEc:per:2020-01-01:di_four

"""
GAMMA = "Template-Type: ReDIF-Institution 1.0\nPrimary-Name: Gamma Institute\nHandle: RePEc:edi:gammaus\n\n"


def import_text(text: str, name: str):
    importer = Importer()
    importer.import_templates(parse_text(text, name))
    return importer.finish()


def test_an_import_lists_the_works_once_the_institution_is_linked(world, item_factory):
    item = item_factory(series=world["series"], slug="six", title="Work six", year=2019)
    Authorship.objects.create(item=item, position=0, name="Di Four")
    assert not import_text(PERSON.format(handle=item.handle), "person.rdf").errors  # the institution not yet there
    assert Authorship.objects.get(item=item).person.short_id == "pdi4"
    assert not import_text(GAMMA, "gamma.rdf").errors  # now linked: the works follow
    gamma = Institution.objects.get(code="gammaus")
    assert listed(gamma) == [(2019, item.pk)]
    moved = PERSON.format(handle=item.handle).replace("RePEc:edi:gammaus", "RePEc:edi:alphaus")
    assert not import_text(moved, "person.rdf").errors  # the person moves
    assert listed(gamma) == []
    assert (2019, item.pk) in listed(world["alpha"])


def test_the_rollup_rebuild_equals_the_live_lists(world):
    alpha, beta, items = world["alpha"], world["beta"], world["items"]
    # written behind the kept list's back (no signal): a raw update, a stray row, a wrong count
    Authorship.objects.filter(item=items["four"]).update(person=world["bo"])
    Item.objects.filter(pk=items["one"].pk).update(year=1999)
    InstitutionWork.objects.create(institution=beta, item=items["one"], year=1)
    Institution.objects.filter(pk=alpha.pk).update(work_count=99)
    assert InstitutionWork.objects.filter(institution=beta).count() == 2  # stale
    done = refresh_all(TODAY)
    assert done.institution_works == 4
    assert listed(alpha) == [(2022, items["two"].pk), (1999, items["one"].pk)]
    assert listed(beta) == [(2023, items["four"].pk), (2021, items["three"].pk)]
    # the incremental path gives the same rows as the rebuild
    InstitutionWork.objects.all().delete()
    items_changed([item.pk for item in items.values()])
    assert listed(alpha) == [(2022, items["two"].pk), (1999, items["one"].pk)]
    assert len(listed(beta)) == 2


@pytest.mark.parametrize("n", [1, AUTHORS_SHOWN + 30])
def test_the_page_costs_the_same_queries_for_a_small_and_a_large_institution(
    client, world, person_factory, item_factory, django_assert_num_queries, n
):
    """`n` more authors at Alpha, each with two works: past AUTHORS_SHOWN, the page shows that
    many and links to the rest; its works a page of 50 from the kept list."""
    alpha = world["alpha"]
    made = []
    for i in range(n):
        person = person_factory(short_id=f"pmany{i}", name_last=f"Many{i:04d}", name_full=f"Many {i:04d}")
        affiliate(person, alpha)
        for k in range(2):
            item = item_factory(
                series=world["series"], slug=f"m{i}x{k}", title=f"Work m{i}x{k}", year=2000 + k, citation_count=1
            )
            made.append(Authorship(item=item, position=0, name=person.name_full, person=person))
    Authorship.objects.bulk_create(made)
    refresh_all(TODAY)
    works = 2 + 2 * n
    assert Institution.objects.get(pk=alpha.pk).work_count == works
    # the institution with parent and totals, its children, its authors' count and first
    # AUTHORS_SHOWN, the rank, a page of work ids, the items, their authorships: 8 whatever the sizes
    with django_assert_num_queries(8):
        page = client.get("/i/alphaus.html").content.decode()
    shown = min(n + 1, AUTHORS_SHOWN)
    assert len(re.findall(r'<li><a href="/e/', page.split('id="authors"')[1].split("</section>")[0])) == shown
    assert f"Registered authors ({n + 1})" in page
    assert (f'<a href="/i/alphaus/authors.html">All {n + 1} registered authors</a>' in page) == (n + 1 > shown)
    assert f"{works} works" in html.unescape(page)
    assert "Rank 1</a> by citations" in page
    last = -(-works // 50)
    with django_assert_num_queries(8):
        deep = client.get(f"/i/alphaus.html?page={last}" if last > 1 else "/i/alphaus.html")
    assert deep.status_code == 200


def test_the_authors_pages_list_everyone_by_name_a_page_at_a_time(
    client, world, person_factory, django_assert_num_queries
):
    alpha = world["alpha"]
    for i in range(AUTHORS_SHOWN + 5):
        affiliate(person_factory(short_id=f"pz{i}", name_last=f"Zed{i:04d}", name_full=f"Zed {i:04d}"), alpha)
    with django_assert_num_queries(3):  # the institution, the count, a page of authors
        first = client.get("/i/alphaus/authors.html").content.decode()
    names = re.findall(r'<li><a href="/e/\w+\.html">([^<]+)</a>', first)
    assert names[:2] == ["Ada One", "Zed 0000"]
    assert len(names) == AUTHORS_SHOWN
    assert f"{AUTHORS_SHOWN + 6} registered authors, page 1 of 2" in first
    with django_assert_num_queries(3):
        second = client.get("/i/alphaus/authors.html?page=2").content.decode()
    assert re.findall(r'<li><a href="/e/\w+\.html">([^<]+)</a>', second) == [f"Zed {i:04d}" for i in range(99, 105)]
    assert '<a href="/i/alphaus.html">Alpha University</a>' in second  # the breadcrumbs and the intro
    assert client.get("/i/ALPHAUS/authors.html")["Location"] == "/i/alphaus/authors.html"
    assert client.get("/i/alphaus/authors.html?page=3").status_code == 404
    assert client.get("/i/alphaus/authors.html?page=x").status_code == 404
    assert client.get("/i/zzzzzzz/authors.html").status_code == 404
    empty = client.get("/i/betaaus/authors.html").content.decode()
    assert "Bo Two" in empty


def test_a_renamed_author_moves_in_the_institutions_authors(client, world, django_capture_on_commit_callbacks):
    alpha, bo = world["alpha"], world["bo"]
    with django_capture_on_commit_callbacks(execute=True):
        affiliate(bo, alpha, position=1)
    names = re.findall(r'<a href="/e/\w+\.html">([^<]+)</a>', client.get("/i/alphaus/authors.html").content.decode())
    assert names == ["Ada One", "Bo Two"]
    with django_capture_on_commit_callbacks(execute=True):
        bo.name_last, bo.name_full = "Abbott", "Bo Abbott"
        bo.save()
    names = re.findall(r'<a href="/e/\w+\.html">([^<]+)</a>', client.get("/i/alphaus/authors.html").content.decode())
    assert names == ["Bo Abbott", "Ada One"]
    Affiliation.objects.update(sort_last="", sort_first="")  # behind its back: the rollup puts it right
    refresh_all(TODAY)
    assert list(Affiliation.objects.filter(person=bo).values_list("sort_last", flat=True)) == ["Abbott", "Abbott"]


def test_the_migration_fills_the_lists_of_what_is_there(world):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    InstitutionWork.objects.all().delete()
    Institution.objects.update(work_count=0)
    Affiliation.objects.update(sort_last="", sort_first="")
    import_module("catalogue.migrations.0038_institution_works").fill(apps, SimpleNamespace(connection=connection))
    assert len(listed(world["alpha"])) == 2
    assert len(listed(world["beta"])) == 1
    assert Affiliation.objects.get(person=world["ada"]).sort_last == "One"
