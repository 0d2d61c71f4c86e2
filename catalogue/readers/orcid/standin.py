"""A stand-in of ORCID on loopback, for the tests and for `make run` (never production).

ORCID's three addresses as allauth's ORCID adapter uses them, served by `http.server` on
127.0.0.1 (or another loopback address; anything else is refused):

- `GET /oauth/authorize`: the page the reader's browser is sent to. It says plainly that it is
  a local stand-in, not ORCID, and lists the records one may "sign in" as (and, with `fresh`, a
  new record with a fresh iD); "Authorize access" posts it back to the same address, which
  redirects to the site's callback with a one-time code, as ORCID does once its user agrees;
  "Deny access" redirects with `error=access_denied`, as ORCID does.
- `POST /oauth/token`: the site exchanges the code for a token and the iD (client id, secret,
  code and redirect URI checked, the code used once).
- `GET /v3.0/<iD>/record`: the public record, as ORCID's v3.0 JSON (name, e-mail addresses).

Like ORCID, it sends the browser back only to the site's own callback (`redirect_prefixes`, the
redirect URIs an ORCID client registers). `calls` lists what it was asked, for a test to check.
The demo runs it with `manage.py orcid_standin` (`make run`); the settings refuse a loopback or
plain-http ORCID address unless DEBUG is on (config/settings.py).
"""

from __future__ import annotations

import html
import ipaddress
import json
import secrets
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from ...handles import orcid_check_digit

FRESH = "new"  # the form's value for "a new record"


@dataclass(frozen=True)
class Record:
    """An ORCID record as the stand-in hands it out; `note` says on the authorize page what it is for."""

    orcid: str
    given: str
    family: str
    email: str = ""
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        """The parts of ORCID's v3.0 record that a login reads (allauth's ORCID provider)."""
        emails = [{"email": self.email, "verified": True, "primary": True}] if self.email else []
        return {
            "orcid-identifier": {"uri": f"https://orcid.org/{self.orcid}", "path": self.orcid, "host": "orcid.org"},
            "person": {
                "name": {"given-names": {"value": self.given}, "family-name": {"value": self.family}},
                "emails": {"email": emails},
            },
        }


def fresh_orcid() -> str:
    """A new iD with a valid check digit, in the block 0000-0000-xxxx-xxxx, below the range ORCID
    issues (0000-0001-5000-0007 up): it can be nobody's real iD."""
    digits = "00000000" + "".join(secrets.choice("0123456789") for _ in range(7))
    digits += orcid_check_digit(digits)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class OrcidStandIn:
    """The server and what it hands out; a context manager that serves in a thread (tests), or
    `serve_forever()` in the foreground (the management command)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_prefixes: tuple[str, ...],
        records: list[Record],
        fresh: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if not is_loopback(host):
            raise ValueError(f"the ORCID stand-in listens on loopback only, not on {host!r}")
        if not records and not fresh:
            raise ValueError("the ORCID stand-in needs a record to hand out, or fresh ones")
        self.client_id, self.client_secret, self.redirect_prefixes = client_id, client_secret, redirect_prefixes
        self.records = {r.orcid: r for r in records}
        self.fresh = fresh
        self.codes: dict[str, tuple[str, str]] = {}  # code -> (the redirect_uri it was given for, the iD)
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.server = (_Server6 if ":" in host else _Server)((host.strip("[]"), port), _Handler)
        self.server.stand_in = self
        self.port = int(self.server.server_address[1])
        self.url = f"http://{host}:{self.port}"
        self.thread: threading.Thread | None = None

    # -- what ORCID decides -----------------------------------------------------------------

    def check_request(self, query: dict[str, str]) -> str:
        """'' when the authorize request is one ORCID would serve, else why not."""
        if query.get("client_id") != self.client_id:
            return "invalid_client: this client id is not registered here"
        if query.get("response_type") != "code":
            return "unsupported_response_type: only code"
        if not query.get("redirect_uri", "").startswith(self.redirect_prefixes):
            return f"invalid_request: the redirect URI must start with {' or '.join(self.redirect_prefixes)}"
        return ""

    def grant(self, redirect_uri: str, record: Record) -> str:
        code = secrets.token_urlsafe(6)
        with self.lock:
            self.records.setdefault(record.orcid, record)
            self.codes[code] = (redirect_uri, record.orcid)
        return code

    def redeem(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The token endpoint's answer (status, JSON) to the site's POST."""
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        with self.lock:
            redirect_uri, orcid = self.codes.pop(form.get("code", ""), ("", ""))
        if form.get("grant_type") != "authorization_code" or not orcid or redirect_uri != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        record = self.records[orcid]
        return 200, {
            "access_token": secrets.token_hex(8),
            "token_type": "bearer",
            "refresh_token": secrets.token_hex(8),
            "expires_in": 631138518,
            "scope": "/authenticate",
            "name": f"{record.given} {record.family}",
            "orcid": orcid,
        }

    # -- running ----------------------------------------------------------------------------

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def __enter__(self) -> OrcidStandIn:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.thread is not None:
            self.server.shutdown()
            self.thread.join(5)
        self.server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stand_in: OrcidStandIn


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server_version = "ORCID-stand-in"

    @property
    def stand_in(self) -> OrcidStandIn:
        return cast(_Server, self.server).stand_in

    def log_message(self, format: str, *args: Any) -> None:
        if self.stand_in.thread is None:  # the command logs, a test's thread does not
            super().log_message(format, *args)

    def send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, body: dict[str, Any] | None = None) -> None:
        self.send(status, json.dumps(body or {}).encode(), "application/json")

    def send_page(self, status: int, body: str) -> None:
        self.send(status, _page(body).encode(), "text/html; charset=utf-8", {"X-Frame-Options": "DENY"})

    def redirect(self, redirect_uri: str, params: dict[str, str]) -> None:
        self.send(302, b"", "text/plain", {"Location": f"{redirect_uri}?{urllib.parse.urlencode(params)}"})

    def read_form(self) -> dict[str, str]:
        length = min(int(self.headers.get("Content-Length") or 0), 65536)
        return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8", "replace")))

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.stand_in.calls.append(("GET", url.path))
        if url.path == "/oauth/authorize":
            query = dict(urllib.parse.parse_qsl(url.query))
            problem = self.stand_in.check_request(query)
            if problem:
                return self.send_page(400, f"<h1>This request cannot be authorized</h1><p>{html.escape(problem)}</p>")
            return self.send_page(200, _authorize_form(self.stand_in, query))
        parts = url.path.split("/")  # '', 'v3.0', iD, 'record'
        if len(parts) == 4 and parts[1] == "v3.0" and parts[3] == "record" and parts[2] in self.stand_in.records:
            if "orcid+json" not in self.headers.get("Accept", ""):
                return self.send_json(406, {"error": "ask for application/orcid+json"})
            record = self.stand_in.records[parts[2]].as_json()
            return self.send(200, json.dumps(record).encode(), "application/orcid+json")
        if url.path == "/":
            return self.send_page(
                200, f"{BANNER}<p>Press &ldquo;ORCID&rdquo; on the site's log-in page to come here.</p>"
            )
        return self.send_json(404, {"error": "not found"})

    def do_POST(self) -> None:
        self.stand_in.calls.append(("POST", self.path))
        form = self.read_form()
        if self.path == "/oauth/token":
            return self.send_json(*self.stand_in.redeem(form))
        if self.path != "/oauth/authorize":
            return self.send_json(404, {"error": "not found"})
        problem = self.stand_in.check_request(form)
        if problem:
            return self.send_page(400, f"<h1>This request cannot be authorized</h1><p>{html.escape(problem)}</p>")
        redirect_uri, state = form["redirect_uri"], form.get("state", "")
        if form.get("decision") != "authorize":
            denied = {"error": "access_denied", "error_description": "User denied access", "state": state}
            return self.redirect(redirect_uri, denied)
        chosen = form.get("orcid", "")
        if chosen == FRESH and self.stand_in.fresh:
            given, family = form.get("given", "").strip()[:100], form.get("family", "").strip()[:100]
            if not (given and family):
                return self.send_page(400, "<h1>A new record needs a name</h1><p>Go back and give both names.</p>")
            record = Record(fresh_orcid(), given, family)
        elif chosen in self.stand_in.records:
            record = self.stand_in.records[chosen]
        else:
            return self.send_page(400, "<h1>No such record</h1><p>Go back and choose one of the records listed.</p>")
        return self.redirect(redirect_uri, {"code": self.stand_in.grant(redirect_uri, record), "state": state})


def _authorize_form(stand_in: OrcidStandIn, query: dict[str, str]) -> str:
    e = html.escape
    site = urllib.parse.urlsplit(query["redirect_uri"]).netloc
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{e(query.get(name, ""))}">'
        for name in ("client_id", "response_type", "scope", "redirect_uri", "state")
    )
    choices = []
    for i, r in enumerate(stand_in.records.values()):
        checked = " checked" if i == 0 else ""
        note = f"<br><small>{e(r.note)}</small>" if r.note else ""
        choices.append(
            f'<li><label><input type="radio" name="orcid" value="{e(r.orcid)}"{checked}> '
            f"{e(r.given)} {e(r.family)}, <code>{e(r.orcid)}</code></label>{note}</li>"
        )
    if stand_in.fresh:
        choices.append(NEW_RECORD.format(checked="" if choices else " checked", value=FRESH))
    return (
        f"{BANNER}<h1>Sign in to {e(site)} with an ORCID record</h1>"
        f"<p>{e(site)} asks to read your ORCID iD (scope <code>{e(query.get('scope', ''))}</code>). "
        "Choose the record to use:</p>"
        f'<form method="post" action="/oauth/authorize">{hidden}<ul>{"".join(choices)}</ul>'
        '<p><button type="submit" name="decision" value="authorize">Authorize access</button> '
        '<button type="submit" name="decision" value="deny">Deny access</button></p></form>'
    )


BANNER = (
    '<p class="banner" role="note"><strong>This is not ORCID.</strong> It is a local stand-in of ORCID '
    "for the demo, on this computer: no ORCID account is used and nothing leaves the machine.</p>"
)
NEW_RECORD = (
    '<li><label><input type="radio" name="orcid" value="{value}"{checked}> A new ORCID record</label>'
    "<br><small>a fresh iD (0000-0000-…, below the range ORCID issues: nobody's), with the name you give:</small>"
    '<br><label>Given names <input name="given" value="Ada" autocomplete="off"></label> '
    '<label>Family name <input name="family" value="Newcomer" autocomplete="off"></label></li>'
)


def _page(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>ORCID stand-in (local demo, not ORCID)</title><style>"
        "body{font-family:sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
        ".banner{background:#fff3cd;border:2px solid #b8860b;padding:.75rem}ul{list-style:none;padding:0}"
        "li{margin:.75rem 0}button{font-size:1rem;padding:.4rem .9rem}"
        f"</style></head><body>{body}</body></html>"
    )
