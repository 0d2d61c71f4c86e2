"""catalogue.views.access on its own: ids parsed strictly, 404s that say what is missing, and no
role helper that lets an anonymous visitor through (nor a reader where an author, publisher or staff is
needed). The pages that use them are tested through the client elsewhere (test_author_service,
test_bibliography, test_citation_reports)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import View

from catalogue.models import Archive, HandleAlias, Item, Person
from catalogue.views import access

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


# -- who asks: the personas of tests/personas.py, and a visitor who is not logged in -------------


@pytest.fixture
def anonymous():
    """Not logged in: public pages only."""
    return AnonymousUser()


def request_by(user, method: str = "get", path: str = "/somewhere/", data=None):
    request = getattr(RequestFactory(), method)(path, data or {})
    request.user = user
    request._messages = CookieStorage(request)
    return request


def calls_of():
    """A view that records who reached it: an anonymous visitor must never appear in `calls`."""
    calls = []

    def view(request, *args, **kwargs):
        calls.append((request.user, args, kwargs))
        return HttpResponse("done")

    return view, calls


# -- posted ids ----------------------------------------------------------------------------------


def test_parse_ids_keeps_order_drops_repeats_and_accepts_the_largest_id():
    assert access.parse_ids(["3", " 1 ", "3", "12"]) == [3, 1, 12]
    assert access.parse_ids([]) == []
    assert access.parse_ids([str(2**63 - 1)]) == [2**63 - 1]


@pytest.mark.parametrize(
    "value", ["", " ", "0", "-1", "+1", "1.5", "1e3", "1_000", "0x10", "٣", "１", "abc", str(2**63), "1 2"]
)
def test_parse_ids_refuses_anything_but_a_positive_ascii_whole_number(value):
    with pytest.raises(ValueError, match=r"is not a thing id\. Ids are whole numbers from 1\."):
        access.parse_ids(["5", value], "a thing id")


def test_posted_ids_is_a_400_naming_the_bad_value():
    assert access.posted_ids(request_by(None, "post", data={}), "item") == []
    assert access.posted_ids(request_by(None, "post", data={"item": ["7", "7", "2"]}), "item") == [7, 2]
    with pytest.raises(BadRequest, match=r"^'x' is not an item id\."):
        access.posted_ids(request_by(None, "post", data={"item": ["7", "x"]}), "item", "an item id")
    # only the POST counts: an id in the query string is not posted
    assert access.posted_ids(request_by(None, "post", path="/p/?item=3", data={}), "item") == []


@pytest.mark.parametrize("data", [{}, {"item": ["1", "2"]}, {"other": "1"}])
def test_posted_id_wants_exactly_one(data):
    with pytest.raises(BadRequest, match=r"^Say which\.$"):
        access.posted_id(request_by(None, "post", data=data), "item", "Say which.")
    assert access.posted_id(request_by(None, "post", data={"item": "4"}), "item", "Say which.") == 4
    with pytest.raises(BadRequest, match=r"^'-4' is not an id\."):
        access.posted_id(request_by(None, "post", data={"item": "-4"}), "item", "Say which.")


def test_a_malformed_posted_id_is_the_sites_400_page_saying_why(author):
    client = Client()
    client.force_login(author)
    response = client.post(reverse("claim_work"), {"authorship": "abc"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "<h1>Bad request</h1>" in text
    assert "&#x27;abc&#x27; is not an authorship id." in text


# -- not found -----------------------------------------------------------------------------------


def test_first_or_404_says_what_is_missing(item_factory):
    item = item_factory()
    assert access.first_or_404(Item.objects.filter(pk=item.pk), "gone") == item
    with pytest.raises(Http404, match=r"^gone$"):
        access.first_or_404(Item.objects.filter(pk=item.pk + 1), "gone")
    with pytest.raises(Http404, match=r"^No archive is at this address\.$"):
        access.get_object_or_404_named(Archive.objects.filter(code="nope"), "archive")


def test_item_and_reference_by_id_come_with_what_their_links_need(
    item_factory, reference_factory, django_assert_num_queries
):
    item = item_factory()
    reference = reference_factory(citing=item, target=item)
    with django_assert_num_queries(2):
        assert access.item_or_404(item.pk).get_absolute_url() == item.get_absolute_url()
        found = access.reference_or_404(reference.pk)
        assert (found.citing.get_absolute_url(), found.target) == (item.get_absolute_url(), item)
    with pytest.raises(Http404, match=rf"^No item has the id {item.pk + 1}\.$"):
        access.item_or_404(item.pk + 1)
    with pytest.raises(Http404, match=rf"^No reference has the id {reference.pk + 1}\.$"):
        access.reference_or_404(reference.pk + 1)


def test_item_by_handle_or_404_follows_old_handles(item_factory):
    item = item_factory()
    HandleAlias.objects.create(item=item, handle="RePEc:old:wpaper:7")
    assert access.item_by_handle_or_404(item.handle.upper()) == item
    assert access.item_by_handle_or_404("repec:old:wpaper:7") == item
    with pytest.raises(Http404, match=r"^No item has the handle RePEc:old:wpaper:8\.$"):
        access.item_by_handle_or_404("RePEc:old:wpaper:8")


def test_item_at_path_or_404_finds_the_item_of_a_sub_page(item_factory):
    item = item_factory(slug="x-1")
    codes = {"archive": item.series.archive.code.upper(), "series": item.series.code, "code": "X-1"}
    assert access.item_at_path_or_404(request_by(None), codes, "/stats") == item
    request = request_by(None, path="/stats/p/zz/yy/nope.html")
    with pytest.raises(Http404, match=r"^There is no item at /p/zz/yy/nope\.html\.$"):
        access.item_at_path_or_404(request, {**codes, "code": "nope"}, "/stats")


# -- roles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "is_reader", "is_author", "is_publisher", "is_staff"),
    [
        ("anonymous", False, False, False, False),
        ("reader", True, False, False, False),
        ("author", True, True, False, False),
        ("publisher", True, False, True, False),
        ("staff", True, False, False, True),
    ],
)
def test_the_four_roles(request, who, is_reader, is_author, is_publisher, is_staff):
    user = request.getfixturevalue(who)
    assert access.is_reader(user) is is_reader
    assert (access.person_for(request_by(user)) is not None) is is_author
    assert access.is_publisher(user) is is_publisher
    assert access.is_catalogue_staff(user) is is_staff


def test_an_inactive_account_holds_no_role(staff, publisher):
    for user in (staff, publisher):
        user.is_active = False
        assert not access.is_catalogue_staff(user)
        assert not access.is_publisher(user)
    assert not access.is_reader(None)


def test_staff_is_staff_flagged_and_holds_the_permission_asked(user_factory, staff):
    editor = user_factory(username="editor", is_staff=True, permissions=["change_item"])
    unflagged = user_factory(username="unflagged", permissions=["change_item"])
    assert access.is_catalogue_staff(editor)
    assert not access.is_catalogue_staff(unflagged)
    assert not access.is_catalogue_staff(editor, "catalogue.change_citationreport")
    assert access.is_catalogue_staff(staff, "catalogue.change_citationreport")  # a superuser


def test_reader_required_sends_an_anonymous_visitor_to_log_in(anonymous, reader):
    view, calls = calls_of()
    guarded = access.reader_required(view)
    response = guarded(request_by(anonymous, path="/me/reports/"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/me/reports/"
    assert calls == []
    assert guarded(request_by(reader)).status_code == 200
    assert calls[0][0] == reader


def test_reader_required_mixin_sends_an_anonymous_visitor_to_log_in(anonymous, reader):
    class Page(access.ReaderRequiredMixin, View):
        def get(self, request):
            return HttpResponse(f"for {request.user.get_username()}")

    response = Page.as_view()(request_by(anonymous, path="/me/page/"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/me/page/"
    assert Page.as_view()(request_by(reader)).content == b"for reader"


@pytest.mark.parametrize(
    ("posted_next", "back_to"),
    [
        ({}, "/me/bibliography/"),
        ({"next": "/p/a/b/c.html"}, "/p/a/b/c.html"),
        ({"next": "https://evil.example/"}, "/me/bibliography/"),
    ],
)
def test_reader_post_sends_an_anonymous_visitor_to_log_in_and_back_to_a_safe_page(anonymous, posted_next, back_to):
    view, calls = calls_of()
    guarded = access.reader_post("bibliography")(view)
    response = guarded(request_by(anonymous, "post", "/me/bibliography/save/", {"item": "1", **posted_next}))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={back_to}"
    # a GET posts nothing: back to the fallback, never to the POST-only address
    response = guarded(request_by(anonymous, "get", "/me/bibliography/save/", {"item": "1", **posted_next}))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/me/bibliography/"
    assert calls == []


def test_reader_post_is_post_only_for_a_reader(reader):
    view, calls = calls_of()
    guarded = access.reader_post("bibliography")(view)
    assert guarded(request_by(reader, "get")).status_code == 405
    assert calls == []
    assert guarded(request_by(reader, "post", data={"item": "1"})).status_code == 200
    assert [user for user, _, _ in calls] == [reader]


def test_safe_next_stays_on_this_site(reader):
    assert access.safe_next(request_by(reader, "post", data={"next": "/me/"})) == "/me/"
    for unsafe in ("https://evil.example/me/", "//evil.example/", "javascript:alert(1)", ""):
        assert access.safe_next(request_by(reader, "post", data={"next": unsafe})) is None


def test_person_for_is_the_users_own_profile_only(author, reader, anonymous, person_factory):
    other = person_factory(short_id="pot1")  # an imported profile nobody owns
    assert access.person_for(request_by(author)) == Person.objects.get(user=author)
    assert access.person_for(request_by(author)) != other
    assert access.person_for(request_by(reader)) is None
    assert access.person_for(request_by(anonymous)) is None


def test_author_required_hands_the_view_the_users_own_profile(anonymous, reader, author, person_factory):
    view, calls = calls_of()
    guarded = access.author_required(view)
    response = guarded(request_by(anonymous, path="/me/works/"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/me/works/"
    # a reader without a profile is sent to create one
    request = request_by(reader)
    response = guarded(request)
    assert response.status_code == 302
    assert response["Location"] == reverse("my_profile")
    assert [str(m) for m in get_messages(request)] == ["Create your author profile first."]
    assert calls == []
    # the author's own profile, whatever the request names
    other = person_factory(short_id="pot1", user=reader)
    assert guarded(request_by(author, path=f"/me/works/?person={other.pk}"), "x").status_code == 200
    assert calls == [(author, (Person.objects.get(user=author), "x"), {})]
