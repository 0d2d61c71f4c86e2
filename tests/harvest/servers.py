"""Real servers on loopback for the harvesting tests: HTTP (Python's http.server over a folder,
with its directory listings, ETag, Last-Modified and 304) and FTP (pyftpdlib), and an archive
tree to serve. `HTTP.rules` makes a path misbehave: ("status", 500), ("stall",),
("redirect", url), ("body", bytes, content_type)."""

from __future__ import annotations

import hashlib
import os
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer


class Handler(SimpleHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"  # keep-alive: a harvest reuses its connection

    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        srv = self.server
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        srv.log.append((self.path, conditional, self.headers.get("User-Agent", "")))
        rule = srv.rules.get(self.path)
        if rule is not None:
            return self.misbehave(rule)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            return super().do_GET()  # the listing (a redirect to .../ first when the slash is missing)
        if not path.is_file():
            return self.send_error(404)
        data = path.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        modified = formatdate(int(path.stat().st_mtime), usegmt=True)
        if self.not_modified(etag, path.stat().st_mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(data)
        return None

    def not_modified(self, etag: str, mtime: float) -> bool:
        if self.headers.get("If-None-Match"):
            return self.headers["If-None-Match"] == etag
        since = self.headers.get("If-Modified-Since")
        return bool(since) and int(mtime) <= parsedate_to_datetime(since).timestamp()

    def misbehave(self, rule):
        if rule[0] == "status":
            return self.send_error(rule[1])
        if rule[0] == "stall":
            self.server.release.wait(10)
            return None
        if rule[0] == "redirect":
            self.send_response(302)
            self.send_header("Location", rule[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        body, content_type = rule[1], rule[2]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, folder: Path, host: str = "127.0.0.1"):
        self.folder = folder
        self.log: list[tuple[str, bool, str]] = []
        self.rules: dict[str, tuple] = {}
        self.release = threading.Event()
        super().__init__((host, 0), lambda *a: Handler(*a, directory=str(folder)))
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.log]


class FTP:
    """pyftpdlib serving a folder to anonymous users; `mlsd=False` answers MLSD with 500 (NLST then)."""

    def __init__(self, folder: Path, mlsd: bool = True):
        authorizer = DummyAuthorizer()
        authorizer.add_anonymous(str(folder))
        handler = type("Handler", (FTPHandler,), {"authorizer": authorizer, "banner": "test"})
        if not mlsd:
            handler.proto_cmds = {k: v for k, v in FTPHandler.proto_cmds.items() if k != "MLSD"}
        self.commands: list[str] = []
        commands = self.commands

        def pre_process_command(self, line, cmd, arg):
            commands.append(cmd)
            return FTPHandler.pre_process_command(self, line, cmd, arg)

        handler.pre_process_command = pre_process_command
        # its own loop: pyftpdlib's default is one for the process, which close_all() ends
        self.server = FTPServer(("127.0.0.1", 0), handler, ioloop=IOLoop())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"timeout": 0.2}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.address[:2]
        return f"ftp://{host}:{port}"

    def stop(self) -> None:
        self.server.close_all()


def item(series: str, number: str, title: str, kind: str = "Paper") -> str:
    return (
        f"Template-Type: ReDIF-{kind} 1.0\nTitle: {title}\nAuthor-Name: Ana Autora\n"
        f"Creation-Date: 2020-01\nNumber: {number}\nHandle: RePEc:tst:{series}:{number}\n"
    )


# the test archive `tst`: its two top files and seven item files (six in series folders,
# one in a subfolder), two items a file
FILES = {
    "wpaper/2020.rdf": ("wpaper", ["2020-01", "2020-02"]),
    "wpaper/2021.rdf": ("wpaper", ["2021-01", "2021-02"]),
    "wpaper/2022.rdf": ("wpaper", ["2022-01", "2022-02"]),
    "wpaper/old/2019.rdf": ("wpaper", ["2019-01", "2019-02"]),
    "dpaper/a.rdf": ("dpaper", ["a1", "a2"]),
    "dpaper/b.redif": ("dpaper", ["b1", "b2"]),
    "dpaper/c.rdf": ("dpaper", ["c1", "c2"]),
}
ITEMS = 2 * len(FILES)


def write_archive(root: Path, url: str) -> Path:
    """The archive `tst` under root/RePEc/tst/, with `url` as its URL; its folder."""
    top = root / "RePEc" / "tst"
    top.mkdir(parents=True, exist_ok=True)
    (top / "tstarch.rdf").write_text(
        f"Template-Type: ReDIF-Archive 1.0\nHandle: RePEc:tst\nName: Test University\n"
        f"Maintainer-Email: repec@example.org\nURL: {url}\n"
    )
    (top / "tstseri.rdf").write_text(
        "".join(
            f"Template-Type: ReDIF-Series 1.0\nName: {name}\nMaintainer-Email: repec@example.org\n"
            f"Type: ReDIF-Paper\nHandle: RePEc:tst:{code}\n\n"
            for code, name in (("wpaper", "Working Papers"), ("dpaper", "Discussion Papers"))
        )
    )
    (top / "README.txt").write_text("not ReDIF, not fetched\n")
    (top / "papers").mkdir(exist_ok=True)  # not a series folder: not walked
    (top / "papers" / "stray.rdf").write_text("Template-Type: ReDIF-Paper 1.0\n")
    for name, (series, numbers) in FILES.items():
        path = top / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(item(series, n, f"Paper {n}") for n in numbers))
    return top


def touch_later(path: Path) -> None:
    """Move a file's modification time on, so Last-Modified changes too."""
    stat = path.stat()
    os.utime(path, (stat.st_atime + 10, stat.st_mtime + 10))
