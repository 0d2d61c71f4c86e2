"""What the tests that start their own servers share: a free port on loopback, waiting for a
server to listen, the site under gunicorn, and PostgreSQL's own tools (tests/reliability/test_faults.py starts a
throwaway cluster to break, tests/deploy/test_replica.py a primary and its standbys)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def pg_tool(name: str) -> str | None:
    """The path of one of PostgreSQL's programs (initdb, pg_ctl, pg_basebackup), or None."""
    found = shutil.which(name)
    if found is None and PG_BIN is not None and (PG_BIN / name).exists():
        found = str(PG_BIN / name)
    return found


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's tools refuse root: run them as `postgres` then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port} after {seconds} s")


class Gunicorn:
    """The site under gunicorn on a free port (one gthread worker, four threads), with `env`
    for its settings and its output in `log`; `stop()` ends it."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log_path = log
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi", "--worker-class", "gthread"),
                *("--workers", "1", "--threads", "4", "--bind", f"127.0.0.1:{self.port}", "--timeout", "60"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def read_log(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts, as parsed
    e-mail messages. Addresses in `refuse` get that reply to RCPT TO (`550 5.1.1 no such user`:
    a hard bounce; `451 ...`: try later). `stop()` and a fresh `start()` play a server that went away.

        with SmtpSink() as sink:
            settings.EMAIL_PORT = sink.port
    """

    def __init__(self, port: int = 0):
        self.port = port or free_port()
        self.messages: list = []
        self.sessions: set[int] = set()  # the SMTP sessions (connections) that delivered something
        self.refuse: dict[str, str] = {}
        self.controller = None

    def start(self) -> SmtpSink:
        import email
        import email.policy
        import logging

        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                reply = sink.refuse.get(address.lower())
                if reply:
                    return reply
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
                sink.messages.append(message)
                sink.sessions.add(id(session))
                return "250 Message accepted for delivery"

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def to(self, address: str) -> list:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_call(url: str, form: dict | None = None, accept: str = "") -> tuple[int, dict[str, str], str]:
    """Status, headers and body of one GET (or POST of `form`) to a peer on loopback; a redirect
    is returned, not followed (the stand-in of ORCID sends the browser back to the site)."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read().decode()
