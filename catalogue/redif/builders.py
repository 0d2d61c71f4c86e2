"""One builder per template type: Template -> typed record.

A builder raises ReDIFError to skip the template and warns through the Reader
otherwise.  What is required follows the ReDIF spec (redif.spec, ReDIF-perl).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..handles import handle_key
from .countries import country_of
from .fields import Check, Reader, label
from .parser import Cluster
from .recordtypes import (
    ITEM_KINDS,
    VERSION_FIELDS,
    ArchiveRecord,
    FileRecord,
    InstitutionRecord,
    ItemRecord,
    PersonRecord,
    Record,
    SeriesRecord,
    WorkplaceRecord,
)
from .values import (
    archive_handle,
    check_email,
    check_language,
    check_mime,
    check_pubstat,
    check_url,
    check_year,
    clean,
    document_handle,
    institution_handle,
    jel_codes_lenient,
    normalise_doi,
    normalise_orcid,
    person_handle,
    series_handle,
    split_keywords,
)

_LEVELS = ("primary", "secondary", "tertiary", "quaternary")
_DOCTYPE = re.compile(r"redif-(paper|article|software|book|chapter)\b", re.IGNORECASE)
_ITEM_TEXT = (
    "number", "length", "pages", "volume", "issue", "month",
    "journal", "edition", "isbn", "issn",
)  # fmt: skip
_CLAIMS = {f"author-{k}": k for k in ITEM_KINDS}
_EDITS = {"editor-series": "series", "editor-book": "book"}


def item(r: Reader) -> ItemRecord:
    t = r.t
    handle = r.handle(document_handle)
    title = r.text("title", "title", required=True)
    authors = r.people("author")
    editors = r.people("editor", before=len(authors))
    if t.kind == "book":
        if not authors and not editors:
            raise r.fail(t.line, "missing required field Author-Name or Editor-Name")
    elif not authors:
        raise r.fail(t.line, "missing required field Author-Name")
    rec = ItemRecord(t.kind, handle, t.path, t.line, title, r.text("abstract", "abstract"))
    rec.authors, rec.editors = authors, editors
    seen: set[str] = set()
    for f in t.all("keywords"):
        for kw in split_keywords(f.value):
            if kw.casefold() not in seen:
                seen.add(kw.casefold())
                r.at_most(len(rec.keywords), f.line, "keywords", "an item")
                rec.keywords.append(r.fit(kw, "keyword", f.line, "Keywords"))
    jel: dict[str, None] = {}  # the codes in order, without repeats
    for f in t.all("classification-jel"):
        codes, bad = jel_codes_lenient(f.value)
        for token in bad:
            r.warn(f.line, f"Classification-JEL: invalid JEL code {token!r}; dropped")
        jel.update(dict.fromkeys(codes))
    rec.jel = list(jel)
    rec.files = _files(r)
    for attr in _ITEM_TEXT:
        setattr(rec, attr, r.text(attr, attr))
    rec.note = r.text("note", "note")
    rec.book_title = r.text("book-title", "book_title")
    rec.programming_language = r.text("programming-language", "programming_language")
    year = r.opt("year", check_year, "number")
    rec.year = int(year) if year else None
    rec.doi = r.opt("doi", normalise_doi, "doi")
    rec.language = r.opt("language", check_language, "language")
    rec.publication_status = r.opt("publication-status", check_pubstat, "publication_status")
    rec.in_book = r.opt("in-book", document_handle, "handle")
    rec.versions = _versions(r, handle)
    org = r.organisation("provider", "publisher", "sponsor")
    if org is not None:
        rec.publisher = r.subtext(org, "name", "publisher", "Provider-Name")
    rec.creation_date = r.date("creation-date")
    rec.revision_date = r.date("revision-date", latest=True)
    rec.publication_date = r.date("publication-date")
    return rec


def _versions(r: Reader, own: str) -> list[tuple[str, str]]:
    """The other records the template names (VERSION_FIELDS), each handle once, not its own."""
    found: list[tuple[str, str]] = []
    seen = {handle_key(own)}
    for f in r.t.fields:  # in file order
        if f.name in VERSION_FIELDS:
            h = r.checked(f, document_handle, "handle")
            if h and handle_key(h) not in seen:
                seen.add(handle_key(h))
                r.at_most(len(found), f.line, "version links", "an item")
                found.append((f.name, h))
    return found


def _files(r: Reader) -> list[FileRecord]:
    files: list[FileRecord] = []
    for inst in r.clusters("file", key="url"):
        url = r.sub(inst, "url", check_url, "url", "file-url")
        if url:
            r.at_most(len(files), inst["url"].line, "files", "an item")
            files.append(
                FileRecord(
                    url,
                    format=r.sub(inst, "format", check_mime, "format", "file-format"),
                    function=r.subtext(inst, "function", "function", "File-Function"),
                    restriction=r.subtext(inst, "restriction", "restriction", "File-Restriction"),
                    size=r.subtext(inst, "size", "size", "File-Size"),
                )
            )
        elif "url" not in inst and any(f.value.strip() for f in inst.values()):
            r.warn(inst.line, "File without File-URL; ignored")
    return files


def series(r: Reader) -> SeriesRecord:
    t = r.t
    handle = r.handle(series_handle)
    rec = SeriesRecord(handle, t.path, t.line, r.text("name", "name", required=True))
    rec.maintainer_email = r.opt("maintainer-email", check_email, "email", required=True)
    type_f = r.field("type")
    if type_f is not None:
        m = _DOCTYPE.match(type_f.value.strip())
        if m:
            rec.kind = m[1].lower()
        else:
            bad = type_f.value.strip()
            r.warn(
                type_f.line,
                f"Type: not a ReDIF item type: {bad!r}; taken as ReDIF-Paper",
            )
    rec.description = r.text("description", "description")
    rec.maintainer_name = r.text("maintainer-name", "name")
    rec.homepage = r.opt("homepage", check_url, "url")
    rec.issn = r.text("issn", "issn")
    rec.order_email = r.opt("order-email", check_email, "email")
    rec.order_homepage = r.opt("order-homepage", check_url, "url")
    # Publisher-* is the deprecated spelling of Provider-*.
    org = r.organisation("provider", "publisher")
    if org is not None:
        rec.provider_name = r.subtext(org, "name", "name", "Provider-Name")
        rec.provider_homepage = r.sub(org, "homepage", check_url, "url", "provider-homepage")
        rec.provider_institution = r.sub(
            org,
            "institution",
            institution_handle,
            "institution",
            "provider-institution",
        )
    for p in ("provider", "publisher"):  # an institution outside a named cluster
        if not rec.provider_institution:
            rec.provider_institution = r.opt(f"{p}-institution", institution_handle, "institution")
    return rec


def archive(r: Reader) -> ArchiveRecord:
    t = r.t
    handle = r.handle(archive_handle)
    rec = ArchiveRecord(handle, t.path, t.line, r.text("name", "name", required=True))
    rec.url = r.opt("url", check_url, "url", required=True)
    rec.maintainer_email = r.opt("maintainer-email", check_email, "email", required=True)
    rec.homepage = r.opt("homepage", check_url, "url")
    rec.maintainer_name = r.text("maintainer-name", "name")
    rec.description = r.text("description", "description")
    return rec


def person(r: Reader) -> PersonRecord:
    t = r.t
    handle = r.handle(person_handle)
    first, middle = r.text("name-first", "name"), r.text("name-middle", "name")
    last = r.text("name-last", "name")
    full = r.text("name-full", "name") or " ".join(p for p in (first, middle, last) if p)
    if not full:
        raise r.fail(t.line, "missing required field Name-Full")
    rec = PersonRecord(handle, t.path, t.line, "", full, first, last, middle)
    sid = r.field("short-id")
    if sid is not None:
        rec.short_id = r.checked(sid, _short_id, "short_id")
    rec.name_variants = _name_variants(r, full)
    rec.email = _first_valid(r, "email", check_email, "email")
    rec.homepage = _first_valid(r, "homepage", check_url, "url")
    rec.orcid = _first_valid(r, "orcid", normalise_orcid, "orcid")
    for inst in r.clusters("workplace"):
        name = r.subtext(inst, "name", "workplace", "Workplace-Name")
        where = r.sub(
            inst,
            "institution",
            institution_handle,
            "institution",
            "workplace-institution",
        )
        share = _workplace_share(r, inst)
        if name or where:
            r.at_most(len(rec.workplaces), inst.line, "workplaces", "a person")
            rec.workplaces.append(WorkplaceRecord(name, where, share))
    known = {handle_key(w.institution) for w in rec.workplaces if w.institution}
    seen: set[tuple[str, str]] = set()
    for f in t.fields:  # in file order
        if f.name == "workplace-organization":
            h = r.checked(f, institution_handle, "institution")
            if h and handle_key(h) not in known:
                known.add(handle_key(h))
                r.at_most(len(rec.workplaces), f.line, "workplaces", "a person")
                rec.workplaces.append(WorkplaceRecord(institution=h))
        elif f.name in _CLAIMS or f.name in _EDITS:
            claim = f.name in _CLAIMS
            check = document_handle if claim or f.name == "editor-book" else series_handle
            h = r.checked(f, check, "handle")
            if h and (f.name, handle_key(h)) not in seen:
                seen.add((f.name, handle_key(h)))
                if claim:
                    rec.claimed.append((_CLAIMS[f.name], h))
                else:
                    rec.edited.append((_EDITS[f.name], h))
    return rec


def _name_variants(r: Reader, full: str) -> list[str]:
    variants: list[str] = []
    seen = {full}  # a set, not the list: linear in the lines (issue 14)
    for f in r.t.all("name-ascii"):
        v = clean(f.value)
        if v and v not in seen:
            seen.add(v)
            variants.append(r.fit(v, "name", f.line, "Name-ASCII"))
    return variants


def _first_valid(r: Reader, name: str, check: Check, what: str) -> str:
    """The first of the template's ``name`` fields that passes ``check``; those before it warn."""
    return next(filter(None, (r.checked(f, check, what) for f in r.t.all(name))), "")


def _workplace_share(r: Reader, inst: Cluster) -> int | None:
    share_f = inst.get("share")
    if share_f is None or not share_f.value.strip():
        return None
    v = share_f.value.strip().rstrip("%").strip()
    if v.isascii() and v.isdigit() and int(v) <= 100:
        return int(v)
    r.warn(share_f.line, f"Workplace-Share: not a percentage: {v!r}; dropped")
    return None


def _short_id(value: str) -> str:
    v = person_handle(value)
    if ":" in v:
        raise ValueError(f"not a short-id: {value.strip()!r}")
    return v


def institution(r: Reader) -> InstitutionRecord:
    t = r.t
    handle = r.handle(institution_handle)
    found = [(lvl, inst) for lvl in _LEVELS if (inst := r.organisation(lvl)) is not None]
    if not found:
        raise r.fail(t.line, "missing required field Primary-Name")
    names = [r.subtext(inst, "name", "name", label(f"{lvl}-name")) for lvl, inst in found]
    rec = InstitutionRecord(handle, t.path, t.line, names[-1], parents=names[-2::-1])
    last_lvl, last = found[-1]
    rec.name_english = r.subtext(last, "name-english", "name", label(f"{last_lvl}-name-english"))
    rec.levels = [
        (
            name,
            rec.name_english if inst is last else r.subtext(inst, "name-english", "name", label(f"{lvl}-name-english")),
        )
        for name, (lvl, inst) in zip(names, found, strict=True)
    ]
    for _, inst in reversed(found):  # from the most specific level outwards
        rec.homepage = rec.homepage or r.sub(inst, "homepage", check_url, "url", "homepage")
        rec.location = rec.location or r.subtext(inst, "location", "name", "Location")
        rec.email = rec.email or r.sub(inst, "email", check_email, "email", "email")
        rec.postal = rec.postal or r.subtext(inst, "postal", "description", "Postal")
    rec.country = country_of(handle.rsplit(":", 1)[-1], rec.location)
    return rec


BUILDERS: dict[str, Callable[[Reader], Record]] = {
    **dict.fromkeys(ITEM_KINDS, item),
    "series": series,
    "archive": archive,
    "person": person,
    "institution": institution,
}
