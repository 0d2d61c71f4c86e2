"""An archive with every kind of value ReDIF makes hard, and a loopback server of the files
the views serve (catalogue.views.repec), found by following their index pages."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from catalogue.harvest.listing import html_entries
from catalogue.models import Authorship

# paragraphs that look like a field, a comment and a template; non-ASCII; as the importer keeps
# an abstract (paragraphs apart by a blank line, each on one line)
HARD_ABSTRACT = (
    "First paragraph: ünïcødé, 中文, émigré.\n\nTitle: not a title\n\n#not a comment\n\n"
    "Template-Type: ReDIF-Paper 1.0 is not a template"
)


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def hard_archive(archive_factory, series_factory, item_factory, authorship_factory, file_factory, keyword_factory,
                 item_keyword_factory, jel_code_factory, person_factory):  # fmt: skip
    """The archive `hrd`: a paper series whose items hold multi-line and non-ASCII values, values that
    look like fields, editors, files, keywords and JEL codes, plus one withdrawn item; and a book series
    without a maintainer address (the archive's is written)."""
    archive = archive_factory(code="hrd", handle="RePEc:hrd", name="Härd Ärchive", homepage="https://hrd.example.org/",
                              description="Papers: with colons")  # fmt: skip
    papers = series_factory(archive=archive, code="hrdwpa", handle="RePEc:hrd:hrdwpa", name="Wörking Papers",
                            description="Series: a description", homepage="https://hrd.example.org/wp",
                            provider_homepage="https://hrd.example.org/", issn="1234-5678")  # fmt: skip
    books = series_factory(archive=archive, code="hrdbok", handle="RePEc:hrd:hrdbok", name="Books", kind="book",
                           maintainer_email="", maintainer_name="")  # fmt: skip
    person = person_factory(short_id="phr1", name_first="Zoë", name_last="Ångström")
    hard = item_factory(
        series=papers, slug="hard1", handle="RePEc:hrd:hrdwpa:hard1", title="Title: a title that looks like a field",
        abstract=HARD_ABSTRACT, year=2019, creation_date="2019-03", revision_date="2020-01-02",
        publication_date="2019-04-05", number="WP 1/2019", length="42 pages", language="en",
        publication_status="Published in: Journal of Things, 2020, 3(1), 1-10", note="Note: #1",
        doi="10.1234/abc.def", programming_language="",
    )  # fmt: skip
    authorship_factory(item=hard, position=0, name="Zoë Ångström", email="zoe@example.org",
                       workplace="Universität: Zürich", homepage="https://zoe.example.org/", person=person)  # fmt: skip
    authorship_factory(item=hard, position=1, name="Jean-Luc O'Brien, Jr.", workplace="")
    authorship_factory(item=hard, position=2, name="Ed Itor", role=Authorship.Role.EDITOR)
    for position, name in enumerate(["growth, regional", "Smart specialisation", "ünïcødé"]):
        item_keyword_factory(item=hard, position=position, keyword=keyword_factory(name=name))
    hard.jel_codes.add(jel_code_factory(code="O31"), jel_code_factory(code="R11", name="Regional Economic Activity"))
    file_factory(item=hard, position=0, url="https://hrd.example.org/p/hard1.pdf?x=1&y=2", format="application/pdf",
                 function="Full text: revised", restriction="Subscribers only", size="1 MB")  # fmt: skip
    file_factory(item=hard, position=1, url="https://hrd.example.org/p/hard1-data.zip", format="application/zip",
                 function="Data")  # fmt: skip
    lone = item_factory(series=papers, slug="lone", handle="RePEc:hrd:hrdwpa:lone", title="One keyword, with a comma",
                        abstract="", year=None)  # fmt: skip
    authorship_factory(item=lone, position=0, name="Solo")
    item_keyword_factory(item=lone, position=0, keyword=keyword_factory(name="comma, inside"))
    gone = item_factory(series=papers, slug="gone", handle="RePEc:hrd:hrdwpa:gone", title="Withdrawn paper",
                        withdrawn_at=timezone.now(), withdrawal_note="Withdrawn by its author")  # fmt: skip
    authorship_factory(item=gone, position=0, name="Gone Author")
    book = item_factory(series=books, kind="book", slug="b1", handle="RePEc:hrd:hrdbok:b1", title="A Book",
                        isbn="978-3-16-148410-0", publisher="Härd Press", edition="2", pages="")  # fmt: skip
    authorship_factory(item=book, position=0, name="Book Editor", role=Authorship.Role.EDITOR)
    return archive


def mirror(client, host: str, code: str) -> dict[str, tuple[bytes, str]]:
    """path -> (body, content type) of every file under /repec/<code>/ as the views serve them on
    `host`, found as a harvester finds them: by the links of the index pages (the harvester's parser)."""
    found: dict[str, tuple[bytes, str]] = {}
    todo = [f"http://{host}/repec/{code}/"]
    while todo:
        url = todo.pop()
        path = urlsplit(url).path
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, path
        body = body_of(response)
        found[path] = (body, response["Content-Type"])
        if path.endswith("/"):
            todo += [entry.url for entry in html_entries(url, body) if urlsplit(entry.url).path not in found]
    return found


class _Handler(BaseHTTPRequestHandler):
    server: Files

    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        self.server.asked.append(self.path)
        found = self.server.files.get(self.path)
        if found is None:
            self.send_error(404)
            return
        body, content_type = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Files(ThreadingHTTPServer):
    """Serves `files` (path -> (body, content type)) on 127.0.0.1 and a free port, in a thread."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files: dict[str, tuple[bytes, str]] = {}
        self.asked: list[str] = []
        self.host = f"127.0.0.1:{self.server_address[1]}"
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(5)


@pytest.fixture
def files_server():
    server = Files()
    yield server
    server.stop()
