"""The author service through the test client: profile, claiming works, pending citations, and
that nobody but the profile's owner can act on them."""

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.citations.matching import match_references
from catalogue.models import Affiliation, Authorship, Claim, Item, Person, Reference
from catalogue.search.indexing import rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(item_factory):
    """Two of Jens Sörvik's works (one written "J. Sorvik"), and someone else's."""
    own = item_factory(title="Regional innovation systems in Andalusia", year=2015)
    Authorship.objects.create(item=own, position=0, name="Jens Sörvik")
    Authorship.objects.create(item=own, position=1, name="Ana Ruiz")
    initials = item_factory(title="Smart specialisation platforms", year=2018)
    Authorship.objects.create(item=initials, position=0, name="J. Sorvik")
    other = item_factory(title="Another Sorvik's paper on fisheries", year=2019)
    Authorship.objects.create(item=other, position=0, name="Maria Sorvik")
    unrelated = item_factory(title="Unrelated work", year=2020)
    Authorship.objects.create(item=unrelated, position=0, name="Jane Doe")
    rebuild()
    return own, initials, other, unrelated


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_profile(client, **extra):
    data = {
        "name_first": "Jens",
        "name_middle": "",
        "name_last": "Sörvik",
        "name_variants": "Sorvik, J.\nJ. Sorvik",
        "homepage": "https://example.org/jens",
        "affiliations-TOTAL_FORMS": "2",
        "affiliations-INITIAL_FORMS": "0",
        "affiliations-0-name": "Joint Research Centre",
        "affiliations-0-share": "60",
        "affiliations-1-name": "Lund University",
        "affiliations-1-share": "40",
    }
    data.update(extra)
    return client.post(reverse("my_profile"), data)


def test_a_profile_gets_a_permanent_short_id_and_a_public_page(reader):
    client = logged_in(reader)
    assert client.get(reverse("my_account")).status_code == 200
    response = create_profile(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("my_works")
    person = Person.objects.get(user=reader)
    assert person.short_id == "pso1"
    assert person.name_full == "Jens Sörvik"
    assert person.name_variants == ["Sorvik, J.", "J. Sorvik"]
    assert [(a.name, a.share, a.position) for a in person.affiliations.all()] == [
        ("Joint Research Centre", 60, 0),
        ("Lund University", 40, 1),
    ]
    page = client.get("/e/pso1.html").content.decode()
    assert "Jens Sörvik" in page
    assert "Joint Research Centre (60%)" in page
    # a second profile with the same prefix takes the next number; an edit keeps the short-id
    second = Person.objects.create(short_id="pso7", name_full="P. Sorensen", name_last="Sorensen")
    assert second.short_id == "pso7"
    create_profile(client, name_first="Jens Erik", **{"affiliations-TOTAL_FORMS": "0"})
    person.refresh_from_db()
    assert person.short_id == "pso1"
    assert person.name_full == "Jens Erik Sörvik"


def test_profile_errors_are_shown_next_to_their_fields_and_nothing_is_saved(reader):
    client = logged_in(reader)
    response = create_profile(client, name_last="", homepage="not a url", **{"affiliations-1-share": "30"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="errorlist') >= 3
    assert "This field is required." in page
    assert "Enter a valid URL." in page
    assert "add up to 100 (they add up to 90)" in page
    assert not Person.objects.exists()
    assert not Affiliation.objects.exists()


def test_suggestions_claim_refuse_and_undo(reader, works):
    own, initials, other, unrelated = works
    client = logged_in(reader)
    create_profile(client, name_variants="")
    page = client.get(reverse("my_works")).content.decode()
    suggestions = page[page.index('id="suggestions"') : page.index('id="search"')]
    assert own.title in suggestions
    assert initials.title in suggestions
    assert other.title not in suggestions  # Maria is not Jens
    assert unrelated.title not in suggestions
    assert suggestions.index(own.title) < suggestions.index(initials.title)  # the exact spelling first
    assert suggestions.count("(a close spelling)") == 1
    jens = own.authorships.get(position=0)
    response = client.post(reverse("claim_work"), {"authorship": jens.pk})
    assert response.status_code == 302
    person = Person.objects.get(user=reader)
    jens.refresh_from_db()
    assert jens.person == person
    assert Claim.objects.get(person=person, handle_key=own.handle_key).status == "accepted"
    item_page = client.get(own.get_absolute_url()).content.decode()
    assert 'href="/e/pso1.html"' in item_page
    # refuse the other suggestion; it leaves the suggestions for the refused list, and comes back on undo
    client.post(reverse("refuse_work"), {"item": initials.pk})
    page = client.get(reverse("my_works")).content.decode()
    refused = page[page.index('id="refused"') :]
    assert initials.title in refused
    assert initials.title not in page[page.index('id="suggestions"') : page.index('id="search"')]
    client.post(reverse("undo_refusal"), {"item": initials.pk})
    assert not Claim.objects.filter(handle_key=initials.handle_key).exists()
    page = client.get(reverse("my_works")).content.decode()
    assert initials.title in page[page.index('id="suggestions"') : page.index('id="search"')]


def test_search_by_title_or_handle_and_claim_a_work_written_differently(reader, works):
    _own, _initials, _other, unrelated = works
    client = logged_in(reader)
    create_profile(client)
    page = client.get(reverse("my_works"), {"q": "unrelated work"}).content.decode()
    found = page[page.index('id="search"') : page.index('id="refused"')]
    assert unrelated.title in found
    assert "I am Jane Doe" in found
    page = client.get(reverse("my_works"), {"q": unrelated.handle.upper()}).content.decode()
    assert unrelated.title in page[page.index('id="search"') : page.index('id="refused"')]
    client.post(reverse("claim_work"), {"authorship": unrelated.authorships.get().pk})
    assert Authorship.objects.get(item=unrelated).person.user == reader


def test_a_registered_authors_position_cannot_be_taken(reader, stranger, works):
    own = works[0]
    client = logged_in(reader)
    create_profile(client)
    mine = own.authorships.get(position=0)
    client.post(reverse("claim_work"), {"authorship": mine.pk})
    thief = logged_in(stranger)
    create_profile(thief, name_first="Eve", name_last="Sorvik")
    response = thief.post(reverse("claim_work"), {"authorship": mine.pk}, follow=True)
    assert "already another registered author" in response.content.decode()
    mine.refresh_from_db()
    assert mine.person.user == reader


@pytest.fixture
def uncertain(reader, works, item_factory):
    """Jens has claimed `own`; two other items cite it in a way the matcher was unsure of."""
    own = works[0]
    client = logged_in(reader)
    create_profile(client)
    client.post(reverse("claim_work"), {"authorship": own.authorships.get(position=0).pk})
    refs = []
    for n in range(2):
        citing = item_factory(title=f"Citing paper {n}", year=2021)
        Authorship.objects.create(item=citing, position=0, name=f"Writer {n}")
        refs.append(
            Reference.objects.create(
                citing=citing,
                position=0,
                raw_text=f"Sorvik (2015) Regional systems {n}",
                target=own,
                status="uncertain",
            )
        )
    return client, own, refs


def test_pending_citations_are_counted_after_login_and_confirmed_at_once(uncertain, django_assert_max_num_queries):
    client, own, refs = uncertain
    home = client.get("/").content.decode()
    assert "2 citations to check" in home
    with django_assert_max_num_queries(12):
        page = client.get(reverse("pending_citations")).content.decode()
    assert "Sorvik (2015) Regional systems 0" in page
    assert "Citing paper 1" in page
    response = client.post(reverse("decide_citations"), {"ids": [refs[0].pk], "action": "confirm"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.citation_count == 1
    item_page = client.get(own.get_absolute_url()).content.decode()
    cited_by = item_page[item_page.index('id="cited-by"') :]
    assert "Citing paper 0" in cited_by
    assert "Citing paper 1" not in cited_by
    assert "1 citation to check" in client.get("/").content.decode()


def test_a_rejected_citation_never_comes_back(uncertain):
    client, own, refs = uncertain
    client.post(reverse("decide_citations"), {"ids": [r.pk for r in refs], "action": "reject"})
    assert set(Reference.objects.values_list("status", flat=True)) == {"rejected"}
    match_references(everything=True)
    assert set(Reference.objects.values_list("status", flat=True)) == {"rejected"}
    assert Item.objects.get(pk=own.pk).citation_count == 0
    assert "citations to check" not in client.get("/").content.decode()


def test_the_pending_list_takes_a_constant_number_of_queries(uncertain, item_factory, django_assert_max_num_queries):
    client, own, _refs = uncertain
    for n in range(30):
        citing = item_factory(title=f"More citing {n}")
        Authorship.objects.create(item=citing, position=0, name="Someone")
        Reference.objects.create(citing=citing, position=0, raw_text="x", target=own, status="uncertain")
    # session + user + profile + page count + page of references + authorships of citing items + header count
    with django_assert_max_num_queries(8):
        response = client.get(reverse("pending_citations"))
    assert response.content.decode().count('name="ids"') == 32


def test_nobody_else_acts_on_a_profile(uncertain, stranger, works):
    _client, own, refs = uncertain
    initials = works[1]
    mine = own.authorships.get(position=0)
    anonymous = Client()
    intruder = logged_in(stranger)
    create_profile(intruder, name_first="Eve", name_last="Intruder")
    posts = [
        (reverse("decide_citations"), {"ids": [r.pk for r in refs], "action": "confirm"}),
        (reverse("refuse_work"), {"item": own.pk}),
        (reverse("undo_refusal"), {"item": initials.pk}),
        (reverse("claim_work"), {"authorship": mine.pk}),
    ]
    Claim.objects.create(
        person=Person.objects.get(user__username="reader"), handle_key=initials.handle_key, status="refused"
    )
    before = (
        sorted(Reference.objects.values_list("pk", "status")),
        sorted(Claim.objects.values_list("pk", "person_id", "status")),
        sorted(Authorship.objects.values_list("pk", "person_id")),
    )
    for url, data in posts:
        response = anonymous.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        intruder.post(url, data)
    for url in [reverse("my_account"), reverse("my_works"), reverse("pending_citations"), reverse("my_profile")]:
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    intruder_pages = intruder.get(reverse("pending_citations")).content.decode()
    assert "Sorvik (2015)" not in intruder_pages
    after = (
        sorted(Reference.objects.values_list("pk", "status")),
        sorted(Claim.objects.exclude(person__user=stranger).values_list("pk", "person_id", "status")),
        sorted(Authorship.objects.values_list("pk", "person_id")),
    )
    assert after == before


def test_posts_need_csrf_and_bad_input_is_a_clear_error(uncertain):
    _, _own, refs = uncertain
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(Person.objects.get(short_id="pso1").user)
    response = strict.post(reverse("decide_citations"), {"ids": [refs[0].pk], "action": "confirm"})
    assert response.status_code == 403
    assert Reference.objects.get(pk=refs[0].pk).status == "uncertain"
    client = uncertain[0]
    assert client.post(reverse("decide_citations"), {"ids": ["x"], "action": "confirm"}).status_code == 400
    assert client.post(reverse("decide_citations"), {"ids": [refs[0].pk], "action": "delete"}).status_code == 400
    assert client.post(reverse("refuse_work"), {"item": "999999"}).status_code == 404
    assert client.post(reverse("claim_work"), {"authorship": "abc"}).status_code == 400
    assert client.get(reverse("decide_citations")).status_code == 405


def test_a_user_without_a_profile_is_sent_to_create_one(reader):
    client = logged_in(reader)
    response = client.get(reverse("my_works"))
    assert response.status_code == 302
    assert response["Location"] == reverse("my_profile")
    assert "Create my author profile" in client.get(reverse("my_account")).content.decode()


def test_an_imported_profile_is_taken_over_by_its_confirmed_address(reader, stranger, person_factory):
    from allauth.account.models import EmailAddress

    imported = person_factory(short_id="pra123", name_full="Ruslan Rakhmatullin", email="Reader@Example.org")
    intruder = logged_in(stranger)  # another address: nothing offered, nothing taken
    assert "This is me" not in intruder.get(reverse("my_profile")).content.decode()
    assert intruder.post(reverse("adopt_profile"), {"person": imported.pk}).status_code == 404
    client = logged_in(reader)
    EmailAddress.objects.create(user=reader, email=reader.email, verified=False, primary=True)
    assert "This is me" not in client.get(reverse("my_profile")).content.decode()  # not confirmed yet
    assert client.post(reverse("adopt_profile"), {"person": imported.pk}).status_code == 404
    EmailAddress.objects.filter(user=reader).update(verified=True)
    assert "take over pra123" in client.get(reverse("my_profile")).content.decode()
    response = client.post(reverse("adopt_profile"), {"person": imported.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("my_account")
    imported.refresh_from_db()
    assert imported.user == reader
    assert Client().post(reverse("adopt_profile"), {"person": imported.pk}).status_code == 302  # anonymous: log-in
    imported.refresh_from_db()
    assert imported.user == reader
