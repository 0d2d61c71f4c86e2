"""The typed records ``records.to_record`` builds from templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from .values import PartialDate

__all__ = [
    "ITEM_KINDS",
    "LIMITS",
    "MAX_ENTRIES",
    "MAX_HANDLE",
    "VERSION_FIELDS",
    "ArchiveRecord",
    "AuthorRecord",
    "FileRecord",
    "InstitutionRecord",
    "ItemRecord",
    "PersonRecord",
    "Record",
    "SeriesRecord",
    "WorkplaceRecord",
]

ITEM_KINDS = ("paper", "article", "chapter", "book", "software")
#: The fields of the document templates that name another record: another version of the same
#: work (any template), or a chapter of the book (ReDIF-Book's HasChapter). In-Book, a chapter's
#: book, is kept apart (ItemRecord.in_book).
VERSION_FIELDS = (*(f"{kind}-handle" for kind in ITEM_KINDS), "haschapter")
MAX_HANDLE = 120  # the spec's critical limit for handles
#: Authors and editors, files and keywords of an item, workplaces of a person: the catalogue
#: numbers them with small integers, so a template with more is skipped (by file:line).
MAX_ENTRIES = 32_767

#: Maximum lengths (characters); a longer value is truncated with a warning
#: (URLs and handles are dropped instead: a cut URL is useless).
LIMITS = {
    "title": 1000, "book_title": 1000, "journal": 255, "publisher": 255, "name": 255,
    "email": 254, "url": 2000, "workplace": 500, "keyword": 255, "abstract": 20000,
    "note": 5000, "description": 5000, "publication_status": 1000, "number": 100,
    "length": 100, "pages": 50, "volume": 50, "issue": 50, "month": 30, "edition": 50,
    "isbn": 50, "issn": 20, "doi": 255, "language": 50, "programming_language": 100,
    "format": 100, "function": 255, "restriction": 500, "size": 50, "institution": 100,
    "short_id": 20, "handle": 120, "orcid": 19,
}  # fmt: skip


@dataclass
class AuthorRecord:
    name: str
    email: str = ""
    workplace: str = ""
    homepage: str = ""
    person: str = ""  # Author-Person: a person handle or RAS short-id
    orcid: str = ""  # Author-Orcid (not in the ReDIF spec; read as RePEc archives write it)


@dataclass
class FileRecord:
    url: str
    format: str = ""
    function: str = ""
    restriction: str = ""
    size: str = ""


@dataclass
class ItemRecord:
    kind: str  # paper|article|chapter|book|software
    handle: str
    path: str
    line: int
    title: str
    abstract: str = ""
    authors: list[AuthorRecord] = field(default_factory=list)
    editors: list[AuthorRecord] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    jel: list[str] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    number: str = ""
    length: str = ""
    pages: str = ""
    volume: str = ""
    issue: str = ""
    year: int | None = None
    month: str = ""
    journal: str = ""
    book_title: str = ""
    publisher: str = ""
    edition: str = ""
    isbn: str = ""
    issn: str = ""
    doi: str = ""
    language: str = ""
    publication_status: str = ""
    note: str = ""
    programming_language: str = ""
    creation_date: PartialDate | None = None
    revision_date: PartialDate | None = None
    publication_date: PartialDate | None = None
    in_book: str = ""  # Chapter In-Book: the book's handle
    #: (field, handle) of the other records the template names: its other versions (Paper-Handle,
    #: Article-Handle, Chapter-Handle, Book-Handle, Software-Handle) and a book's chapters
    #: (HasChapter), field names in lower case, in file order, each handle once
    versions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def effective_year(self) -> int | None:
        if self.year is not None:
            return self.year
        for d in (self.publication_date, self.creation_date):
            if d is not None:
                return d.year
        return None


@dataclass
class SeriesRecord:
    handle: str
    path: str
    line: int
    name: str
    kind: str = "paper"
    description: str = ""
    provider_name: str = ""
    provider_homepage: str = ""
    provider_institution: str = ""
    maintainer_name: str = ""
    maintainer_email: str = ""
    homepage: str = ""
    issn: str = ""
    order_email: str = ""
    order_homepage: str = ""


@dataclass
class ArchiveRecord:
    handle: str
    path: str
    line: int
    name: str
    url: str = ""
    homepage: str = ""
    maintainer_name: str = ""
    maintainer_email: str = ""
    description: str = ""


@dataclass
class WorkplaceRecord:
    name: str = ""
    institution: str = ""  # EDIRC handle
    share: int | None = None


@dataclass
class PersonRecord:
    handle: str
    path: str
    line: int
    short_id: str
    name_full: str
    name_first: str = ""
    name_last: str = ""
    name_middle: str = ""
    name_variants: list[str] = field(default_factory=list)
    email: str = ""
    homepage: str = ""
    orcid: str = ""  # Orcid (not in the ReDIF spec; as the RePEc Author Service writes it)
    workplaces: list[WorkplaceRecord] = field(default_factory=list)
    claimed: list[tuple[str, str]] = field(default_factory=list)  # (kind, handle)
    edited: list[tuple[str, str]] = field(default_factory=list)  # ("series"|"book", handle)


@dataclass
class InstitutionRecord:
    handle: str
    path: str
    line: int
    name: str  # the most specific level's name (Quaternary, else Tertiary ...)
    homepage: str = ""
    location: str = ""
    name_english: str = ""
    parents: list[str] = field(default_factory=list)  # enclosing levels, innermost first
    email: str = ""
    postal: str = ""
    #: every level from the outermost (Primary) in: (name, English name or "")
    levels: list[tuple[str, str]] = field(default_factory=list)
    country: str = ""  # ISO 3166-1 alpha-2 (countries.country_of), "" when unknown


Record = ItemRecord | SeriesRecord | ArchiveRecord | PersonRecord | InstitutionRecord
