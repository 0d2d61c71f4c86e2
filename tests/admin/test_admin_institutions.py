"""Institutions in the admin (issue 20): staff search, filter and correct them, each field
checked as the importer checks EDIRC; a correction is on /i/<code>.html at the next request and
outlives a re-import of the same template; publishers never reach them.

Users: `staff` (a superuser: everything), `publisher` (staff flag, publishes an archive: no
institution, even given the model's permissions), the anonymous visitor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from catalogue.ingest.importer import Importer
from catalogue.models import Affiliation, Institution
from catalogue.redif.parser import parse_text

from .conftest import form_data

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"


def institution(code: str, name: str, country: str = "US", parent: Institution | None = None, **extra) -> Institution:
    levels = [*([{"name": parent.name}] if parent else []), {"name": name}]
    extra.setdefault("all_names", name)
    return Institution.objects.create(
        handle=f"RePEc:edi:{code}", handle_key=f"repec:edi:{code}", code=code, name=name, levels=levels,
        country=country, parent=parent, **extra,
    )  # fmt: skip


@pytest.fixture
def yale():
    return institution("yaleeus", "Yale University", location="New Haven", homepage="https://www.yale.edu/")


@pytest.fixture
def department(yale):
    return institution("yecdpus", "Department of Economics", parent=yale)


def change_url(inst: Institution) -> str:
    return f"/admin/catalogue/institution/{inst.pk}/change/"


def post_change(client: Client, inst: Institution, **changes):
    data = form_data(client.get(change_url(inst)))
    data.update(changes)
    return client.post(change_url(inst), data)


def errors_of(response) -> dict[str, list[str]]:
    return {name: list(messages) for name, messages in response.context["adminform"].form.errors.items()}


def test_staff_corrects_an_institution_and_its_page_shows_it(staff_client, yale, department):
    response = post_change(
        staff_client,
        department,
        name="Cowles Foundation",
        country="gb",  # either case, stored as ISO writes it
        homepage="cowles.yale.edu",  # typed without a scheme: https
        location="New Haven, Connecticut",
        parent="",
    )
    assert response.status_code == 302, errors_of(response)
    department.refresh_from_db()
    assert (department.name, department.country, department.homepage, department.parent) == (
        "Cowles Foundation",
        "GB",
        "https://cowles.yale.edu",
        None,
    )
    assert department.all_names.startswith("Cowles Foundation / ")  # the chooser finds the new name
    page = Client().get("/i/yecdpus.html").content.decode()
    assert "<h1>Cowles Foundation</h1>" in page
    assert 'href="https://cowles.yale.edu"' in page
    assert "Part of" not in page
    assert '<a href="/i/c/gb.html">United Kingdom</a>' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "ZZ", "not an ISO 3166-1 country code"),
        ("country", "Germany", "not an ISO 3166-1 country code"),
        ("homepage", "javascript:alert(1)", "Enter a valid URL."),
        ("homepage", "JavaScript://www.example.org/%0aalert(1)", "Enter a valid URL."),
        ("homepage", "ftp://ftp.example.org/", "a homepage is an http:// or https:// address"),
        ("homepage", "https://exa mple.org/", "Enter a valid URL."),
        ("email", "not an address", "Enter a valid email address."),
        ("name", "", "This field is required."),
    ],
)
def test_a_bad_value_is_refused_next_to_its_field(staff_client, yale, field, value, message):
    response = post_change(staff_client, yale, **{field: value})
    assert response.status_code == 200
    assert any(message in m for m in errors_of(response)[field]), errors_of(response)
    assert message in response.content.decode().replace("&#x27;", "'")
    yale.refresh_from_db()
    assert (yale.name, yale.country, yale.homepage) == ("Yale University", "US", "https://www.yale.edu/")


def test_an_institution_is_not_its_own_parent_nor_its_descendants_child(staff_client, yale, department):
    unit = institution("yunitus", "A unit", parent=department)
    response = post_change(staff_client, yale, parent=str(yale.pk))
    assert errors_of(response)["parent"] == ["an institution cannot be its own parent"]
    for below in (department, unit):  # a child, a grandchild: both would close a cycle
        response = post_change(staff_client, yale, parent=str(below.pk))
        assert response.status_code == 200
        assert errors_of(response)["parent"] == [
            f"{below.name} is a sub-institution of this one: that would make a cycle"
        ]
    yale.refresh_from_db()
    assert yale.parent is None
    other = institution("otheres", "Other", country="ES")
    assert post_change(staff_client, unit, parent=str(other.pk)).status_code == 302  # a move elsewhere is fine
    unit.refresh_from_db()
    assert unit.parent == other


def test_the_change_page_shows_levels_sub_institutions_and_registered_authors(
    staff_client, yale, department, person_factory
):
    for n in range(3):
        person = person_factory(short_id=f"pau{n}", name_full=f"Author {n}")
        Affiliation.objects.create(
            person=person, position=0, name="Yale", institution=yale.handle, institution_ref=yale
        )
    person_factory(short_id="pelse", name_full="Elsewhere Author")
    page = staff_client.get(change_url(yale)).content.decode()
    assert f'<a href="{change_url(department)}">Department of Economics</a>' in page
    assert '<a href="/admin/catalogue/person/?institution=yaleeus">3 registered authors</a>' in page
    assert "RePEc:edi:yaleeus" in page
    assert 'name="handle"' not in page  # the handle and code are the import's, read-only
    people = staff_client.get("/admin/catalogue/person/", {"institution": "yaleeus"}).content.decode()
    assert "Author 0" in people
    assert "Author 2" in people
    assert "Elsewhere Author" not in people
    assert "Yale University" in people  # the filter chosen, named


def test_staff_search_and_filter_by_country(staff_client, yale, department):
    institution("lseecuk", "London School of Economics", country="GB", all_names="LSE / London School of Economics")
    institution("nowherx", "Somewhere unknown", country="")

    def listed(**params) -> set[str]:
        page = staff_client.get("/admin/catalogue/institution/", params).content.decode()
        return {
            code for code in ("yaleeus", "yecdpus", "lseecuk", "nowherx") if f'<td class="field-code">{code}<' in page
        }

    assert listed() == {"yaleeus", "yecdpus", "lseecuk", "nowherx"}
    assert listed(q="LSE") == {"lseecuk"}  # another name of it
    assert listed(q="RePEc:edi:yaleeus") == {"yaleeus"}
    assert listed(q="yecdpus") == {"yecdpus"}
    assert listed(country="GB") == {"lseecuk"}
    assert listed(country="xx") == {"nowherx"}
    assert listed(parent__id__exact=yale.pk) == {"yecdpus"}  # the "all of them" link of sub-institutions
    page = staff_client.get("/admin/catalogue/institution/").content.decode()
    assert "United Kingdom (1)" in page
    assert "Not known (1)" in page
    assert staff_client.get("/admin/catalogue/institution/add/").status_code == 403  # they come from EDIRC


def test_the_parent_is_chosen_by_autocomplete(staff_client, yale, department):
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "catalogue", "model_name": "institution", "field_name": "parent", "term": "Yale"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Yale University"]


def test_publishers_reach_no_institution_whatever_their_permissions(client, publisher, yale, department):
    client.force_login(publisher)
    for user_permissions in ([], ["view_institution", "change_institution", "delete_institution"]):
        publisher.user_permissions.set(Permission.objects.filter(codename__in=user_permissions))
        for url in (
            "/admin/catalogue/institution/",
            change_url(yale),
            f"/admin/catalogue/institution/{yale.pk}/delete/",
            "/admin/catalogue/person/?institution=yaleeus",
        ):
            assert client.get(url).status_code == 403, (url, user_permissions)
        assert client.post(change_url(yale), {"name": "Taken over", "country": "US"}).status_code == 403
        autocomplete = client.get(
            "/admin/autocomplete/",
            {"app_label": "catalogue", "model_name": "institution", "field_name": "parent", "term": "Yale"},
        )
        assert autocomplete.status_code == 403
        assert "/admin/catalogue/institution/" not in client.get("/admin/").content.decode()
    yale.refresh_from_db()
    assert yale.name == "Yale University"


def test_visitors_are_sent_to_log_in(client, yale):
    response = client.post(change_url(yale), {"name": "Taken over"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    yale.refresh_from_db()
    assert yale.name == "Yale University"


def test_a_change_without_the_csrf_token_is_refused(staff, yale):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    data = form_data(client.get(change_url(yale)))
    data["name"] = "Forged"
    assert client.post(change_url(yale), data).status_code == 403
    yale.refresh_from_db()
    assert yale.name == "Yale University"


TEMPLATES = """Template-Type: ReDIF-Institution 1.0
Primary-Name: Yale University
Primary-Location: New Haven (United States)
Handle: RePEc:edi:yaleeus

Template-Type: ReDIF-Institution 1.0
Primary-Name: Yale University
Secondary-Name: Department of Economics
Handle: RePEc:edi:yecdpus

Template-Type: ReDIF-Institution 1.0
Primary-Name: Other Place
Handle: RePEc:edi:otherus

"""


def run(text: str) -> None:
    importer = Importer()
    importer.import_templates(parse_text(text, "edirc.rdf"))
    assert not importer.finish().errors


def test_a_correction_outlives_the_same_template_imported_again_not_a_changed_one(staff_client):
    run(TEMPLATES)
    yale, department = Institution.objects.get(code="yaleeus"), Institution.objects.get(code="yecdpus")
    other = Institution.objects.get(code="otherus")
    assert department.parent == yale
    assert post_change(staff_client, yale, name="Yale", country="US").status_code == 302
    assert post_change(staff_client, department, parent=str(other.pk)).status_code == 302
    run(TEMPLATES)  # EDIRC unchanged: the corrections stay
    yale.refresh_from_db()
    department.refresh_from_db()
    assert (yale.name, department.parent) == ("Yale", other)
    run(TEMPLATES.replace("Primary-Name: Other Place", "Primary-Name: Other Place, renamed"))  # another one changed
    department.refresh_from_db()
    assert department.parent == other  # a parent set by hand stays through others' imports
    run(TEMPLATES.replace("(United States)", "(USA)"))  # EDIRC's own correction replaces ours
    yale.refresh_from_db()
    assert yale.name == "Yale University"


def test_an_import_never_closes_a_cycle_with_a_parent_set_by_hand(staff_client):
    run(TEMPLATES)
    yale, department = Institution.objects.get(code="yaleeus"), Institution.objects.get(code="yecdpus")
    assert post_change(staff_client, department, parent="").status_code == 302
    assert post_change(staff_client, yale, parent=str(department.pk)).status_code == 302  # turned upside down
    run(TEMPLATES.replace("Secondary-Name: Department of Economics", "Secondary-Name: Economics"))
    department.refresh_from_db()
    yale.refresh_from_db()
    assert (yale.parent, department.parent) == (department, None)  # its levels name Yale: not linked, no cycle
    assert Client(HTTP_USER_AGENT=BROWSER).get("/i/yecdpus.html").status_code == 200


@pytest.mark.django_db(transaction=True)  # the page cache's versions move when the write commits
def test_a_correction_is_on_the_cached_page_at_the_next_request(staff, settings):
    settings.PAGE_CACHE_SECONDS = 600
    yale = institution("yaleeus", "Yale University")
    anonymous = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.10")
    assert anonymous.get("/i/yaleeus.html")["X-Page-Cache"] == "miss"
    assert anonymous.get("/i/yaleeus.html")["X-Page-Cache"] == "hit"
    client = Client()
    client.force_login(staff)
    assert post_change(client, yale, name="Yale").status_code == 302
    response = anonymous.get("/i/yaleeus.html")
    assert response["X-Page-Cache"] == "miss"
    assert "<h1>Yale</h1>" in response.content.decode()
