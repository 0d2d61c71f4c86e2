"""ORCID iDs: checked by their check digit, read from ReDIF (Orcid, Author-Orcid), edited on the
profile, shown on the author and item pages, in the item's JSON-LD and its ReDIF export."""

from __future__ import annotations

import html
import re
from pathlib import Path

import extruct
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

import catalogue
from catalogue.handles import normalise_orcid, orcid_check_digit
from catalogue.ingest.importer import Importer
from catalogue.models import Authorship, Item, Person
from catalogue.models.people import validate_orcid
from catalogue.redif.parser import parse_text

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"  # ORCID's documented example iD
WITH_X = "0000-0002-1694-233X"  # another documented one, check character X
OTHER = "0000-0001-5109-3700"


# -- the iD and its check digit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (ORCID, ORCID),
        (f"https://orcid.org/{ORCID}", ORCID),
        (f"http://orcid.org/{ORCID}", ORCID),
        (f"  https://sandbox.orcid.org/{ORCID} ", ORCID),
        (f"orcid:{ORCID}", ORCID),
        (WITH_X.lower(), WITH_X),
    ],
)
def test_a_good_id_is_stored_without_its_address(given, stored):
    assert normalise_orcid(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "0000-0002-1825-0098",  # check digit wrong
        "0000-0002-1694-2330",
        "0000000218250097",  # no hyphens
        "0000-0002-1825-009",
        "https://example.org/0000-0002-1825-0097",
        "0000-0002-1825-0097/works",
        "",
        "٠٠٠٠-٠٠٠٢-١٨٢٥-٠٠٩٧",  # Arabic-Indic digits are digits to \d: not to ORCID
    ],
)
def test_a_bad_id_is_refused(given):
    with pytest.raises(ValueError, match="ORCID"):
        normalise_orcid(given)


def test_the_check_digit_is_iso_7064_mod_11_2():
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"
    assert orcid_check_digit("000000015109370") == "0"


def test_the_model_refuses_an_address_and_a_second_person_with_the_same_id(person_factory):
    with pytest.raises(ValidationError):
        validate_orcid(f"https://orcid.org/{ORCID}")
    validate_orcid(ORCID)
    person_factory(orcid=ORCID)
    person_factory(orcid="")
    person_factory(orcid="")  # many without one
    with pytest.raises(IntegrityError), transaction.atomic():
        person_factory(orcid=ORCID)


# -- read from ReDIF --------------------------------------------------------------------------

PERSON = """Template-Type: ReDIF-Person 1.0
Name-Full: Josiah Carberry
Name-Last: Carberry
Short-Id: pca1
{orcid}Author-Paper: RePEc:abc:wpaper:1
Handle: RePEc:per:1990-01-01:josiah_carberry
"""
PAPER = """Template-Type: ReDIF-Series 1.0
Name: Working Papers
Maintainer-Email: wp@example.org
Handle: RePEc:abc:wpaper

Template-Type: ReDIF-Paper 1.0
Title: Psychoceramics
Author-Name: Josiah Carberry
Author-ORCID: https://orcid.org/{first}
Author-Name: Ann Other
author-orcid: {second}
Author-Name: No Id
Handle: RePEc:abc:wpaper:1
"""


def import_text(text: str):
    importer = Importer()
    importer.import_templates(parse_text(text, "upload.rdf"))
    return importer.finish()


def test_orcid_fields_are_read_from_person_and_document_templates():
    report = import_text(
        PERSON.format(orcid=f"ORCID: {ORCID.lower()}\n") + "\n" + PAPER.format(first=ORCID, second=WITH_X)
    )
    assert report.errors == []
    assert report.warnings == []
    assert Person.objects.get(short_id="pca1").orcid == ORCID
    rows = Authorship.objects.order_by("position").values_list("name", "orcid", "person__short_id")
    assert list(rows) == [("Josiah Carberry", ORCID, "pca1"), ("Ann Other", WITH_X, None), ("No Id", "", None)]


def test_a_bad_or_taken_id_is_a_warning_and_dropped(person_factory):
    report = import_text(
        PERSON.format(orcid="Orcid: 0000-0002-1825-0098\n") + "\n" + PAPER.format(first="x", second=ORCID)
    )
    assert [re.sub(r"^upload.rdf:\d+: ", "", w) for w in report.warnings] == [
        "Orcid: not an ORCID iD: the check digit of 0000-0002-1825-0098 is wrong; dropped",
        "Author-Orcid: not an ORCID iD (0000-0000-0000-000X): 'https://orcid.org/x'; dropped",
    ]
    assert Person.objects.get(short_id="pca1").orcid == ""
    assert list(Authorship.objects.order_by("position").values_list("orcid", flat=True)) == ["", ORCID, ""]
    person_factory(short_id="pzz9", orcid=OTHER)
    report = import_text(PERSON.format(orcid=f"Orcid: {OTHER}\n"))
    assert report.warnings == [f"upload.rdf:1: Orcid: {OTHER} is the iD of pzz9 already; dropped"]
    assert Person.objects.get(short_id="pca1").orcid == ""


def test_a_person_template_without_an_id_keeps_the_one_set_here():
    import_text(PERSON.format(orcid=""))
    Person.objects.filter(short_id="pca1").update(orcid=ORCID)
    import_text(PERSON.format(orcid="Homepage: https://example.org/carberry\n"))
    person = Person.objects.get(short_id="pca1")
    assert (person.orcid, person.homepage) == (ORCID, "https://example.org/carberry")


# -- the profile ------------------------------------------------------------------------------


def profile_post(client, orcid: str):
    data = {
        "name_first": "Ana",
        "name_last": "Autora",
        "orcid": orcid,
        "affiliations-TOTAL_FORMS": "0",
        "affiliations-INITIAL_FORMS": "0",
    }
    return client.post(reverse("my_profile"), data)


def test_the_author_sets_their_id_on_the_profile(author, person_factory):
    client = Client()
    client.force_login(author)
    response = profile_post(client, "0000-0002-1825-0098")
    assert response.status_code == 200
    errors = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)[1]
    assert "ORCID iD: not an ORCID iD: the check digit of 0000-0002-1825-0098 is wrong" in html.unescape(errors)
    assert Person.objects.get(user=author).orcid == ""
    person_factory(short_id="pca1", name_full="Josiah Carberry", orcid=ORCID)
    response = profile_post(client, ORCID)
    assert "is on the profile of Josiah Carberry (pca1)" in html.unescape(response.content.decode())
    assert Person.objects.get(user=author).orcid == ""
    assert profile_post(client, f"https://orcid.org/{WITH_X.lower()}").status_code == 302
    assert Person.objects.get(user=author).orcid == WITH_X
    assert profile_post(client, "").status_code == 302  # and removes it
    assert Person.objects.get(user=author).orcid == ""


# -- shown ------------------------------------------------------------------------------------


@pytest.fixture
def paper(item_factory, series_factory, authorship_factory, person_factory):
    series = series_factory(code="wpaper", archive__code="abc", handle="RePEc:abc:wpaper", name="Working Papers")
    item = item_factory(series=series, slug="1", handle="RePEc:abc:wpaper:1", title="Psychoceramics", year=2020)
    person = person_factory(short_id="pca1", name_full="Josiah Carberry", name_last="Carberry", orcid=ORCID)
    authorship_factory(item=item, position=0, name="Josiah Carberry", person=person, orcid=OTHER)  # the person's wins
    authorship_factory(item=item, position=1, name="Ann <b>Other</b>", orcid=WITH_X)
    authorship_factory(item=item, position=2, name="No Id")
    return item, person


def test_the_author_page_links_the_id(client, paper, django_assert_max_num_queries):
    _, person = paper
    with django_assert_max_num_queries(6):  # as tests/pages/test_author_page.py pins it
        page = client.get(person.get_absolute_url()).content.decode()
    assert "<dt>ORCID iD</dt>" in page
    link = re.search(r'<a class="orcid" href="https://orcid.org/0000-0002-1825-0097"[^>]*>(.*?)</a>', page, re.S)[1]
    assert 'aria-hidden="true"' in link
    assert "<svg" in link
    assert re.sub(r"<svg.*</svg>", "", link, flags=re.S).strip() == f"https://orcid.org/{ORCID}"  # its name


def test_the_item_page_and_its_json_ld_give_each_authors_id(client, paper, django_assert_max_num_queries):
    item, _person = paper
    with django_assert_max_num_queries(11):  # as tests/pages/test_item_page.py pins it
        body = client.get(item.get_absolute_url()).content.decode()
    authors = re.search(r'<ul class="authors">(.*?)</ul>', body, re.S)[1]
    assert authors.count('class="orcid"') == 2
    assert f'href="https://orcid.org/{ORCID}"' in authors
    assert f"https://orcid.org/{OTHER}" not in authors
    assert f'href="https://orcid.org/{WITH_X}"' in authors
    assert '<span class="visually-hidden">ORCID iD of Ann &lt;b&gt;Other&lt;/b&gt;</span>' in authors
    [record] = extruct.extract(body, base_url="http://testserver/", syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert [(a["name"], a.get("sameAs"), a.get("identifier", {}).get("value")) for a in record["author"]] == [
        ("Josiah Carberry", f"https://orcid.org/{ORCID}", ORCID),
        ("Ann <b>Other</b>", f"https://orcid.org/{WITH_X}", WITH_X),
        ("No Id", None, None),
    ]
    assert record["author"][0]["identifier"] == {"@type": "PropertyValue", "propertyID": "ORCID", "value": ORCID}


def test_the_redif_export_carries_the_ids_and_imports_back(client, paper):
    item, _ = paper
    text = client.get(f"/cite/{item.handle}.rdf").content.decode()
    assert re.findall(r"^Author-Orcid: (.*)$", text, re.M) == [ORCID, WITH_X]
    Item.objects.all().delete()
    report = import_text(text)
    assert report.errors == []
    assert report.warnings == []
    assert list(Authorship.objects.order_by("position").values_list("orcid", flat=True)) == [ORCID, WITH_X, ""]


def test_the_demo_author_has_orcids_example_id():
    import_text((Path(catalogue.__file__).parent / "demo" / "persons.rdf").read_text(encoding="utf-8"))
    assert Person.objects.get(short_id="pra123").orcid == ORCID


def test_the_repec_archive_files_leave_the_id_out(client, paper):
    """RePEc's validator reads them, and its spec has no Orcid field (NOTES: decisions)."""
    item, _ = paper
    response = client.get(f"/repec/abc/wpaper/{item.series.code}.rdf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "Author-Name: Josiah Carberry" in body
    assert "orcid" not in body.lower()


def test_the_api_and_the_open_data_dump_carry_the_ids(client, paper):
    from catalogue.opendata import records

    item, person = paper
    author = client.get(f"/api/v1/authors/{person.short_id}").json()
    assert author["orcid"] == ORCID
    found = client.get(f"/api/v1/items/{item.handle}").json()
    assert [a["orcid"] for a in found["authors"]] == [ORCID, WITH_X, ""]
    [[dumped]] = list(records.persons(100))
    assert dumped["orcid"] == ORCID
    [[row]] = list(records.items(100))
    assert [a["orcid"] for a in row["authors"]] == [ORCID, WITH_X, ""]
