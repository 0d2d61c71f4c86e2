"""The author profile's affiliations point at institutions, chosen with the chooser (issue 20):
the choices endpoint, the server-side check of a code, shares kept as the rules say."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import Affiliation, Institution, Person

pytestmark = pytest.mark.django_db


def institution(code: str, levels: list[str], location: str = "", country: str = "US") -> Institution:
    return Institution.objects.create(
        handle=f"RePEc:edi:{code}", handle_key=f"repec:edi:{code}", code=code, name=levels[-1],
        levels=[{"name": n} for n in levels], all_names=" / ".join(levels), location=location, country=country,
    )  # fmt: skip


@pytest.fixture
def yale():
    return (
        institution("yaleeus", ["Yale University"], "New Haven"),
        institution("yciasus", ["Yale University", "MacMillan Center"], "New Haven"),
        institution("lundase", ["Lund University"], "", "SE"),
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_profile(client, rows, initial=0, **extra):
    data = {
        "name_first": "Jens", "name_middle": "", "name_last": "Sörvik", "name_variants": "", "homepage": "",
        "affiliations-TOTAL_FORMS": str(len(rows)), "affiliations-INITIAL_FORMS": str(initial),
    }  # fmt: skip
    for n, row in enumerate(rows):
        data.update({f"affiliations-{n}-{key}": value for key, value in row.items()})
    data.update(extra)
    return client.post(reverse("my_profile"), data)


def test_the_chooser_finds_institutions_by_any_levels_name_or_code(client, yale, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        found = client.get("/search/choices/institution.json", {"q": "yale"}).json()["choices"]
    assert found == [
        {"value": "yciasus", "label": "MacMillan Center, New Haven (yciasus)"},
        {"value": "yaleeus", "label": "Yale University, New Haven (yaleeus)"},
    ]
    by_code = client.get("/search/choices/institution.json", {"q": "RePEc:edi:lund"}).json()["choices"]
    assert by_code == [{"value": "lundase", "label": "Lund University, SE (lundase)"}]
    assert client.get("/search/choices/institution.json", {"q": "y"}).json() == {"choices": []}
    assert client.get("/search/choices/institution.json", {"q": "<script>"}).json() == {"choices": []}


def test_affiliations_choose_institutions_and_keep_their_shares(reader, yale):
    client = logged_in(reader)
    page = client.get(reverse("my_profile")).content.decode()
    assert 'data-choices="institution"' in page
    assert '<datalist id="institution-choices"></datalist>' in page
    response = post_profile(
        client,
        [
            {"institution_code": "yciasus", "name": "", "share": "60"},
            {"institution_code": "RePEc:edi:LUNDASE", "name": "Lund (economics)", "share": "40"},
        ],
    )
    assert response.status_code == 302
    person = Person.objects.get(user=reader)
    rows = list(person.affiliations.values_list("name", "institution", "institution_ref__code", "share", "position"))
    assert rows == [
        ("Yale University, MacMillan Center", "RePEc:edi:yciasus", "yciasus", 60, 0),
        ("Lund (economics)", "RePEc:edi:lundase", "lundase", 40, 1),
    ]
    public = client.get(person.get_absolute_url()).content.decode()
    assert re.search(r'<a\s+href="/i/yciasus.html">Yale University, MacMillan Center</a> \(60%\)', public)
    center = client.get("/i/yciasus.html").content.decode()
    assert f'<a href="/e/{person.short_id}.html">Jens Sörvik</a>' in center


def test_an_unknown_code_is_the_fields_error_and_nothing_is_saved(reader, yale):
    client = logged_in(reader)
    response = post_profile(client, [{"institution_code": "nosuchx", "name": "", "share": ""}])
    assert response.status_code == 200
    page = response.content.decode()
    assert "No institution has the code “nosuchx”" in page
    assert not Person.objects.exists()
    response = post_profile(client, [{"institution_code": "", "name": "", "share": "100"}])
    assert "Choose an institution or write its name." in response.content.decode()
    response = post_profile(
        client, [{"institution_code": "yaleeus", "share": "70"}, {"institution_code": "lundase", "share": "20"}]
    )
    assert "add up to 100 (they add up to 90)" in response.content.decode()
    assert not Affiliation.objects.exists()


def test_an_imported_handle_not_in_the_directory_is_kept_on_saving(reader, yale, django_assert_max_num_queries):
    person = Person.objects.create(user=reader, short_id="pso1", name_full="Jens Sörvik", name_last="Sörvik")
    for n in range(4):
        Affiliation.objects.create(person=person, position=n, name=f"Place {n}", institution=f"RePEc:edi:place{n}x")
    Affiliation.objects.filter(position=0).update(institution="RePEc:edi:yaleeus", institution_ref=yale[0])
    client = logged_in(reader)
    client.get(reverse("my_profile"))  # the session's first reads
    with django_assert_max_num_queries(8):  # the session, the user, the profile, the affiliations with institutions
        page = client.get(reverse("my_profile")).content.decode()
    assert 'value="yaleeus"' in page
    assert 'value="RePEc:edi:place3x"' in page
    ids = list(person.affiliations.order_by("position").values_list("pk", flat=True))
    codes = ["yaleeus", "RePEc:edi:place1x", "lundase", "RePEc:edi:place3x"]
    rows = [
        {"id": str(pk), "institution_code": code, "name": f"Place {n}", "share": ""}
        for n, (pk, code) in enumerate(zip(ids, codes, strict=True))
    ]
    response = post_profile(client, rows, initial=4)
    assert response.status_code == 302
    assert list(person.affiliations.values_list("institution", "institution_ref__code")) == [
        ("RePEc:edi:yaleeus", "yaleeus"),
        ("RePEc:edi:place1x", None),  # kept: imported with the profile, not in the directory
        ("RePEc:edi:lundase", "lundase"),
        ("RePEc:edi:place3x", None),
    ]
    rows[1]["institution_code"] = "RePEc:edi:other1x"  # another unknown handle is refused
    response = post_profile(client, rows, initial=4)
    assert "No institution has the code “RePEc:edi:other1x”" in response.content.decode()
