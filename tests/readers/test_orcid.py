"""Logging in with ORCID, the whole OAuth dance against a stand-in of ORCID's authorize, token and
record addresses on loopback (never the network); and ORCID off when it is not configured."""

from __future__ import annotations

import json
import re
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalogue.models import Person

pytestmark = pytest.mark.django_db

CLIENT_ID = "APP-STANDIN00000001"
CLIENT_SECRET = "stand-in-secret"
ORCID = "0000-0002-1825-0097"  # ORCID's documented example iD
OTHER = "0000-0001-5109-3700"


class StandInHandler(BaseHTTPRequestHandler):
    """ORCID's side of the exchange (OrcidStandIn holds what it hands out)."""

    def log_message(self, *args) -> None:
        pass

    def answer(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        data = json.dumps(body or {}).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        self.server.stand_in.calls.append(("GET", url.path))
        if url.path == "/oauth/authorize":
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                return self.answer(400, {"error": "invalid_request"})
            code = secrets.token_hex(3)
            self.server.stand_in.codes[code] = query["redirect_uri"]
            back = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": query["state"]})
            return self.answer(302, headers={"Location": back})
        if url.path == f"/v3.0/{self.server.stand_in.orcid}/record":
            if "orcid+json" not in self.headers.get("Accept", ""):
                return self.answer(406)
            return self.answer(200, self.server.stand_in.record())
        return self.answer(404)

    def do_POST(self) -> None:
        self.server.stand_in.calls.append(("POST", self.path))
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.path != "/oauth/token":
            return self.answer(404)
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return self.answer(401, {"error": "invalid_client"})
        redirect_uri = self.server.stand_in.codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or redirect_uri != form.get("redirect_uri"):
            return self.answer(400, {"error": "invalid_grant"})
        token = secrets.token_hex(8)
        self.server.stand_in.tokens.add(token)
        body = {
            "access_token": token,
            "token_type": "bearer",
            "refresh_token": secrets.token_hex(8),
            "expires_in": 631138518,
            "scope": "/authenticate",
            "name": f"{self.server.stand_in.given} {self.server.stand_in.family}",
            "orcid": self.server.stand_in.orcid,
        }
        return self.answer(200, body)


class OrcidStandIn:
    """ORCID's three addresses as allauth's ORCID adapter calls them, on 127.0.0.1 and a free port:
    `/oauth/authorize` (the browser's: answers with a redirect carrying a code, as ORCID does once
    its user signs in), `/oauth/token` (the site's POST: the code for a token and the iD, client
    and secret checked), `/v3.0/<iD>/record` (the public record, as JSON). `calls` lists what it
    was asked, for the test to check."""

    def __init__(self, orcid: str, given: str = "Josiah", family: str = "Carberry", email: str = "") -> None:
        self.orcid, self.given, self.family, self.email = orcid, given, family, email
        self.codes: dict[str, str] = {}  # code -> the redirect_uri it was given for
        self.tokens: set[str] = set()
        self.calls: list[tuple[str, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), StandInHandler)
        self.server.stand_in = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def record(self) -> dict:
        emails = [{"email": self.email, "verified": True, "primary": True}] if self.email else []
        return {
            "orcid-identifier": {"uri": f"https://orcid.org/{self.orcid}", "path": self.orcid, "host": "orcid.org"},
            "person": {
                "name": {"given-names": {"value": self.given}, "family-name": {"value": self.family}},
                "emails": {"email": emails},
            },
        }

    def authorize(self, url: str) -> str:
        """What the reader's browser does at ORCID: open the authorize page, sign in (nothing to
        do here), and be sent back; returns the address it is sent back to."""
        import http.client

        assert url.startswith(self.url + "/oauth/authorize?")
        connection = http.client.HTTPConnection("127.0.0.1", self.server.server_address[1], timeout=5)
        connection.request("GET", url.removeprefix(self.url))
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 302, response.status
        return response.getheader("Location")

    def __enter__(self) -> OrcidStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def orcid_on(settings):
    """ORCID configured as the environment would (README), its addresses on the stand-in."""
    with OrcidStandIn(ORCID) as stand_in:
        settings.ORCID_CLIENT_ID, settings.ORCID_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
        settings.ORCID_BASE_URL = settings.ORCID_API_URL = stand_in.url
        yield stand_in


def dance(client: Client, stand_in: OrcidStandIn, process: str = "login"):
    """Log in (or connect) with ORCID: the site's button, ORCID's authorize page, the callback."""
    start = client.post(f"{reverse('orcid_login')}?process={process}")
    assert start.status_code == 302
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start["Location"]).query))
    assert query["client_id"] == CLIENT_ID
    assert query["scope"] == "/authenticate"
    back = urllib.parse.urlsplit(stand_in.authorize(start["Location"]))
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
