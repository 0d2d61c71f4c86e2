"""What a folder of an archive holds: an HTTP server's index page (Apache's, nginx's and the
like: the links of the page), or an FTP server's MLSD lines."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urljoin, urlsplit

REDIF_SUFFIXES = (".rdf", ".redif")


@dataclass(frozen=True)
class Entry:
    """A file or folder in a listing: its absolute URL (a folder's ends with /), its name, and
    over FTP its size and modification time (HTTP listings give neither reliably)."""

    url: str
    name: str
    is_dir: bool
    size: int | None = None
    mtime: str = ""

    @property
    def is_redif(self) -> bool:
        return not self.is_dir and self.name.lower().endswith(REDIF_SUFFIXES)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def html_entries(folder: str, body: bytes) -> list[Entry]:
    """The children of `folder` an index page links to; links elsewhere (the parent, sort
    orders, other sites) are left out. A folder's link ends with /."""
    parser = _Links()
    parser.feed(body.decode("utf-8", "replace"))
    base = urlsplit(folder)
    prefix = base.path if base.path.endswith("/") else base.path + "/"
    found: dict[str, Entry] = {}
    for href in parser.hrefs:
        target = urlsplit(urljoin(folder, href))
        if (target.scheme, target.netloc) != (base.scheme, base.netloc) or target.query:
            continue
        if not target.path.startswith(prefix):
            continue
        rest = target.path[len(prefix) :]
        is_dir = rest.endswith("/")
        name = unquote(rest.rstrip("/"))
        if not name or "/" in name or name in (".", ".."):
            continue
        url = f"{base.scheme}://{base.netloc}{prefix}{rest}"
        found.setdefault(url, Entry(url, name, is_dir))
    return list(found.values())


def ftp_entries(folder: str, facts: list[tuple[str, dict[str, str]]]) -> list[Entry]:
    """MLSD lines (name, facts) -> entries; links and the folder itself left out."""
    base = folder if folder.endswith("/") else folder + "/"
    entries = []
    for name, fact in facts:
        kind = fact.get("type", "").lower()
        if kind == "dir":
            entries.append(Entry(urljoin(base, quote(name) + "/"), name, True))
        elif kind == "file":
            size = fact.get("size", "")
            entries.append(Entry(urljoin(base, quote(name)), name, False, int(size) if size.isdigit() else None,
                                 fact.get("modify", "")))  # fmt: skip
    return entries
