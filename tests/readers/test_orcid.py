"""Logging in with ORCID, the whole OAuth dance against the stand-in of ORCID's authorize, token and
record addresses on loopback (catalogue/readers/orcid/standin.py, never the network); and ORCID
off when it is not configured. The same in Chromium: tests/browser/test_orcid_browser.py."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalogue.models import Person
from catalogue.readers.orcid.standin import OrcidStandIn
from tests.local_peers import http_call

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"  # ORCID's documented example iD
OTHER = "0000-0001-5109-3700"


@pytest.fixture
def orcid_on(orcid_standin) -> OrcidStandIn:
    """ORCID on, its stand-in handing out ORCID's example record (Josiah Carberry, no e-mail)."""
    return orcid_standin()


def authorize(stand_in: OrcidStandIn, url: str, decision: str = "authorize", orcid: str = ORCID) -> str:
    """What the reader's browser does at ORCID: open the authorize page, choose the record and
    press a button; returns the address it is sent back to."""
    assert url.startswith(stand_in.url + "/oauth/authorize?")
    status, _, page = http_call(url)
    assert status == 200
    assert "This is not ORCID." in page
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    status, headers, _ = http_call(f"{stand_in.url}/oauth/authorize", {**query, "orcid": orcid, "decision": decision})
    assert status == 302
    return headers["Location"]


def dance(client: Client, stand_in: OrcidStandIn, process: str = "login", decision: str = "authorize"):
    """Log in (or connect) with ORCID: the site's button, ORCID's authorize page, the callback."""
    start = client.post(f"{reverse('orcid_login')}?process={process}")
    assert start.status_code == 302
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start["Location"]).query))
    assert query["client_id"] == settings.ORCID_CLIENT_ID
    assert query["scope"] == "/authenticate"
    back = urllib.parse.urlsplit(authorize(stand_in, start["Location"], decision))
    assert back.path == reverse("orcid_callback")
    return client.get(f"{back.path}?{back.query}")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_new_reader_signs_up_with_orcid_and_their_new_profile_gets_the_verified_id(orcid_on):
    client = Client()
    login_page = client.get(reverse("account_login")).content.decode()
    assert reverse("orcid_login") in login_page
    assert "ORCID" in login_page
    response = dance(client, orcid_on)
    # ORCID's public record gives no e-mail address here: the site asks for one, and confirms it
    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_signup")
    assert ("POST", "/oauth/token") in orcid_on.calls
    assert ("GET", f"/v3.0/{ORCID}/record") in orcid_on.calls
    response = client.post(reverse("socialaccount_signup"), {"email": "josiah@example.org"})
    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="orcid")
    assert account.uid == ORCID
    user = account.user
    assert (user.first_name, user.last_name) == ("Josiah", "Carberry")
    assert not EmailAddress.objects.get(user=user).verified
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.outbox[-1].body)[1]
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302
    # the profile to create starts with the iD ORCID verified
    form = client.get(reverse("my_profile")).content.decode()
    assert f'value="{ORCID}"' in form
    created = client.post(
        reverse("my_profile"),
        {
            "name_first": "Josiah",
            "name_last": "Carberry",
            "orcid": ORCID,
            "affiliations-TOTAL_FORMS": "0",
            "affiliations-INITIAL_FORMS": "0",
        },
    )
    assert created.status_code == 302
    assert Person.objects.get(user=user).orcid == ORCID


def test_an_author_who_connects_orcid_gets_the_id_on_their_profile(orcid_on, author):
    EmailAddress.objects.create(user=author, email=author.email, verified=True, primary=True)
    client = Client()
    client.force_login(author)
    profile_page = client.get(reverse("my_profile")).content.decode()
    assert "Connect my ORCID record" in profile_page
    response = dance(client, orcid_on, process="connect")
    assert response.status_code == 302
    assert Person.objects.get(user=author).orcid == ORCID
    assert SocialAccount.objects.get(provider="orcid").user == author
    assert any("verified by ORCID" in m for m in messages_of(response))
    # connected: the profile says so instead of offering to connect again
    profile_page = client.get(reverse("my_profile")).content.decode()
    assert "Connect my ORCID record" not in profile_page
    assert "Your account is connected to the ORCID record" in profile_page
    assert f'<a href="https://orcid.org/{ORCID}">{ORCID}</a>' in profile_page
    # next time the author logs in with ORCID alone
    client.logout()
    response = dance(Client(), orcid_on)
    assert response.status_code == 302
    assert response.wsgi_request.user == author


def test_a_profile_with_another_id_keeps_it_and_the_reader_is_told(orcid_on, author):
    Person.objects.filter(user=author).update(orcid=OTHER)
    client = Client()
    client.force_login(author)
    response = dance(client, orcid_on, process="connect")
    assert Person.objects.get(user=author).orcid == OTHER
    assert any(f"has the ORCID iD {OTHER}" in m and ORCID in m for m in messages_of(response))


def test_an_id_on_someone_elses_profile_is_not_taken(orcid_on, author, person_factory):
    person_factory(short_id="pca1", name_full="Josiah Carberry", orcid=ORCID)
    client = Client()
    client.force_login(author)
    response = dance(client, orcid_on, process="connect")
    assert Person.objects.get(user=author).orcid == ""
    assert any("on the profile of Josiah Carberry (pca1)" in m for m in messages_of(response))


def test_a_profile_imported_with_the_id_can_be_taken_over_by_who_logged_in_with_it(orcid_on, reader, person_factory):
    imported = person_factory(short_id="pca1", name_full="Josiah Carberry", orcid=ORCID, email="old@example.net")
    client = Client()
    client.force_login(reader)
    dance(client, orcid_on, process="connect")
    page = client.get(reverse("my_profile")).content.decode()
    assert "take over pca1" in page
    response = client.post(reverse("adopt_profile"), {"person": imported.pk})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.user == reader


def test_a_refused_token_is_an_error_page_not_a_login(orcid_on, settings):
    settings.ORCID_CLIENT_SECRET = "not-the-secret"
    client = Client()
    response = dance(client, orcid_on)
    assert response.status_code == 401  # allauth's "Third-Party Login Failure" page
    assert "login failure" in response.content.decode().lower()
    assert not response.wsgi_request.user.is_authenticated
    assert not SocialAccount.objects.exists()


def test_a_refused_authorization_says_so_and_logs_no_one_in(orcid_on):
    """The reader presses "Deny access" at ORCID: ORCID sends them back with error=access_denied."""
    client = Client()
    response = dance(client, orcid_on, decision="deny")
    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_login_cancelled")
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "You did not let ORCID tell us your ORCID iD" in text
    assert reverse("account_login") in text
    assert not page.wsgi_request.user.is_authenticated
    assert not SocialAccount.objects.exists()
    assert ("POST", "/oauth/token") not in orcid_on.calls


def test_an_author_who_refuses_to_connect_keeps_their_profile_as_it_was(orcid_on, author):
    client = Client()
    client.force_login(author)
    response = dance(client, orcid_on, process="connect", decision="deny")
    page = client.get(response["Location"]).content.decode()
    assert reverse("my_profile") in page
    assert Person.objects.get(user=author).orcid == ""
    assert not SocialAccount.objects.exists()


def test_an_unknown_error_from_orcid_is_a_login_failure_page(orcid_on):
    client = Client()
    start = client.post(reverse("orcid_login"))
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start["Location"]).query))["state"]
    response = client.get(f"{reverse('orcid_callback')}?error=server_error&state={state}")
    assert response.status_code == 401
    assert "login failure" in response.content.decode().lower()
    assert not response.wsgi_request.user.is_authenticated


def test_only_the_pages_whose_form_goes_on_to_orcid_may_post_there(orcid_on, author):
    """CSP form-action: the browser stops a form's redirect to ORCID unless the page names ORCID
    (Chromium did: tests/browser/test_orcid_browser.py); every other page keeps 'self' alone."""

    def form_action(response) -> set[str]:
        parts = [p.split() for p in response["Content-Security-Policy"].split(";") if p.strip()]
        return next(set(values) for name, *values in parts if name == "form-action")

    client = Client()
    assert form_action(client.get(reverse("account_login"))) == {"'self'"}
    assert form_action(client.get(reverse("orcid_login"))) == {"'self'", orcid_on.url}
    client.force_login(author)
    assert form_action(client.get(reverse("my_profile"))) == {"'self'", orcid_on.url}
    assert form_action(client.get(reverse("my_account"))) == {"'self'"}


def test_orcid_is_off_without_a_client_id(client, author, settings):
    assert settings.ORCID_CLIENT_ID == ""
    assert "orcid" not in client.get(reverse("account_login")).content.decode().lower()
    assert client.post(reverse("orcid_login")).status_code == 404
    assert client.get(reverse("orcid_callback") + "?code=x&state=y").status_code == 404
    client.force_login(author)
    assert "Connect my ORCID record" not in client.get(reverse("my_profile")).content.decode()
    connections = client.get(reverse("socialaccount_connections"))  # allauth's page lists no provider
    assert connections.status_code == 200
    assert "orcid" not in connections.content.decode().lower()
