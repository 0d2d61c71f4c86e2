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
