"""The stand-in of ORCID itself (catalogue/readers/orcid/standin.py), as ORCID's clients meet it:
its authorize page says it is not ORCID and escapes what it shows, it sends the browser back only
to the registered callback, a code is good once, and it listens on loopback only. And `make run`'s
`manage.py orcid_standin`: development only, and serving where the settings point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse

import pytest
from django.core.management import CommandError, call_command

from catalogue.handles import normalise_orcid
from catalogue.readers.orcid.standin import OrcidStandIn, Record
from tests.local_peers import ROOT, free_port, http_call, wait_for_port

CALLBACK = "http://testserver/accounts/orcid/login/callback/"
JOSIAH = "0000-0002-1825-0097"
ASK = {"client_id": "APP-1", "response_type": "code", "scope": "/authenticate", "redirect_uri": CALLBACK, "state": "s1"}


@pytest.fixture
def stand_in():
    records = [Record("0000-0002-1825-0097", "Josiah <b>", "Carberry", note="the <i>demo</i> author")]
    with OrcidStandIn("APP-1", "secret-1", (CALLBACK,), records, fresh=True) as server:
        yield server


def code_from(location: str) -> str:
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert query["state"] == "s1"
    return query["code"]


def test_the_authorize_page_says_it_is_not_orcid_and_escapes_what_it_shows(stand_in):
    status, headers, page = http_call(f"{stand_in.url}/oauth/authorize?{urllib.parse.urlencode(ASK)}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "This is not ORCID." in page
    assert "local stand-in of ORCID for the demo" in page
    assert "Josiah &lt;b&gt; Carberry" in page
    assert "<b>" not in page
    assert "the &lt;i&gt;demo&lt;/i&gt; author" in page
    assert 'value="0000-0002-1825-0097" checked' in page
    assert "A new ORCID record" in page


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"client_id": "APP-2"}, "invalid_client"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"redirect_uri": "http://evil.example/accounts/orcid/login/callback/"}, "invalid_request"),
    ],
)
def test_a_request_orcid_would_refuse_is_refused(stand_in, change, why):
    status, _, page = http_call(f"{stand_in.url}/oauth/authorize?{urllib.parse.urlencode({**ASK, **change})}")
    assert status == 400
    assert why in page
    status, headers, _ = http_call(f"{stand_in.url}/oauth/authorize", {**ASK, **change, "decision": "authorize"})
    assert status == 400
    assert "Location" not in headers


def test_deny_goes_back_with_access_denied(stand_in):
    status, headers, _ = http_call(f"{stand_in.url}/oauth/authorize", {**ASK, "orcid": JOSIAH, "decision": "deny"})
    assert status == 302
    back = urllib.parse.urlsplit(headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    assert dict(urllib.parse.parse_qsl(back.query)) == {
        "error": "access_denied",
        "error_description": "User denied access",
        "state": "s1",
    }


def test_a_code_gives_the_id_and_the_record_once(stand_in):
    _, headers, _ = http_call(f"{stand_in.url}/oauth/authorize", {**ASK, "orcid": JOSIAH, "decision": "authorize"})
    code = code_from(headers["Location"])
    token = {"client_id": "APP-1", "client_secret": "secret-1", "grant_type": "authorization_code", "code": code}
    assert http_call(f"{stand_in.url}/oauth/token", {**token, "redirect_uri": "http://testserver/other/"})[0] == 400
    _, headers, _ = http_call(f"{stand_in.url}/oauth/authorize", {**ASK, "orcid": JOSIAH, "decision": "authorize"})
    code = code_from(headers["Location"])
    token["code"] = code
    assert (
        http_call(f"{stand_in.url}/oauth/token", {**token, "client_secret": "wrong", "redirect_uri": CALLBACK})[0]
        == 401
    )
    status, _, body = http_call(f"{stand_in.url}/oauth/token", {**token, "redirect_uri": CALLBACK})
    assert status == 200
    assert json.loads(body)["orcid"] == "0000-0002-1825-0097"
    assert http_call(f"{stand_in.url}/oauth/token", {**token, "redirect_uri": CALLBACK})[0] == 400  # used
    record_url = f"{stand_in.url}/v3.0/0000-0002-1825-0097/record"
    assert http_call(record_url)[0] == 406
    status, _, body = http_call(record_url, accept="application/orcid+json")
    assert json.loads(body)["person"]["name"]["family-name"]["value"] == "Carberry"


def test_a_new_record_gets_a_fresh_id_that_is_nobodys(stand_in):
    form = {**ASK, "orcid": "new", "given": "Ada", "family": "Newcomer", "decision": "authorize"}
    assert http_call(f"{stand_in.url}/oauth/authorize", {**form, "family": " "})[0] == 400
    _, headers, _ = http_call(f"{stand_in.url}/oauth/authorize", form)
    token = {"client_id": "APP-1", "client_secret": "secret-1", "grant_type": "authorization_code"}
    _, _, body = http_call(
        f"{stand_in.url}/oauth/token", {**token, "code": code_from(headers["Location"]), "redirect_uri": CALLBACK}
    )
    orcid = json.loads(body)["orcid"]
    assert normalise_orcid(orcid) == orcid
    assert orcid.startswith("0000-0000-")  # below ORCID's range (0000-0001-5000-0007 up)
    _, _, body = http_call(f"{stand_in.url}/v3.0/{orcid}/record", accept="application/orcid+json")
    assert json.loads(body)["person"]["name"]["given-names"]["value"] == "Ada"


def test_it_listens_on_loopback_only():
    for host in ("0.0.0.0", "192.0.2.1", "orcid.org"):
        with pytest.raises(ValueError, match="loopback only"):
            OrcidStandIn("APP-1", "s", (CALLBACK,), [], fresh=True, host=host)


def test_the_command_is_for_development_only(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("orcid_standin")


def test_the_command_refuses_an_address_off_loopback(settings):
    settings.DEBUG = True
    settings.ORCID_CLIENT_ID, settings.ORCID_CLIENT_SECRET = "APP-1", "s"
    settings.ORCID_BASE_URL = settings.ORCID_API_URL = "https://orcid.org"
    with pytest.raises(CommandError, match=r"ORCID_BASE_URL must be http://127\.0\.0\.1"):
        call_command("orcid_standin")


def test_make_runs_stand_in_serves_where_the_settings_point(tmp_path):
    """`manage.py orcid_standin` as Procfile.dev starts it, with the environment `make run` sets."""
    port, site_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env |= {
        "DEBUG": "true",
        "ORCID_CLIENT_ID": "APP-DEMO",
        "ORCID_CLIENT_SECRET": "demo-secret",
        "ORCID_BASE_URL": f"http://127.0.0.1:{port}",
        "ORCID_API_URL": f"http://127.0.0.1:{port}",
        "SITE_URL": f"http://127.0.0.1:{site_port}",
    }
    log = (tmp_path / "standin.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "orcid_standin"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, 30)
        for host in ("127.0.0.1", "localhost"):
            ask = {
                **ASK,
                "client_id": "APP-DEMO",
                "redirect_uri": f"http://{host}:{site_port}/accounts/orcid/login/callback/",
            }
            status, _, page = http_call(f"http://127.0.0.1:{port}/oauth/authorize?{urllib.parse.urlencode(ask)}")
            assert status == 200
            assert "This is not ORCID." in page
            assert "Josiah Carberry" in page
            assert "pra123" in page
    finally:
        process.terminate()
        process.wait(10)
        log.close()
    assert "ORCID stand-in (a local demo, not ORCID) on http://127.0.0.1:" in (tmp_path / "standin.log").read_text()
