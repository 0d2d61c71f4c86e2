"""An item as a reference to take away: BibTeX, RIS, CSL-JSON, ReDIF and plain text.

Each builder takes an Item loaded by `Item.objects.for_export()` (series, archive,
authorships with persons, keywords, JEL codes, files) and the absolute address of its page,
and returns the text of the export. `FORMATS` maps the extension of `/cite/<handle>.<ext>`
to its builder, content type and name. Escaping is each format's own: BibTeX escapes the
LaTeX specials and keeps accents as UTF-8 (DECISIONS.md), RIS keeps one line per tag, ReDIF
indents continuation lines so that no value can start a field of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .citation import suggested_citation
from .redif import item_template

if TYPE_CHECKING:
    from ..models import Authorship, Item

# -- names and dates -------------------------------------------------------------------------

#: Lower-case words that belong to the family name that follows them: "Ludwig van Beethoven".
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "ten", "ter", "dos"}


@dataclass(frozen=True)
class NameParts:
    given: str
    family: str  # empty for a name that cannot be split (a single word, an organisation)


def name_parts(authorship: Authorship) -> NameParts:
    """Given and family names of an authorship: a registered person's last name when the name as
    written ends with it; "Family, Given" as written; a family name in capitals before or after
    the given names; else the last word (with particles before it) as the family name."""
    name = " ".join(authorship.name.split())
    person = authorship.person
    if person is not None and person.name_last and name.endswith(f" {person.name_last}"):
        return NameParts(name.removesuffix(f" {person.name_last}"), person.name_last)
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        if family and given:
            return NameParts(given, family)
    words = name.split(" ")
    if len(words) < 2:
        return NameParts("", name)
    capitals = _family_in_capitals(words)
    if capitals is not None:
        return capitals
    cut = len(words) - 1
    while cut > 1 and words[cut - 1] in _PARTICLES:
        cut -= 1
    return NameParts(" ".join(words[:cut]), " ".join(words[cut:]))


def _family_in_capitals(words: list[str]) -> NameParts | None:
    """A family name in capitals before or after the given names, as the European Commission
    writes them ("MARINELLI Elisabetta", "Inmaculada PERIANEZ FORTE"), in title case; None for a
    name in one case throughout (initials such as "J." are neither)."""
    capitals = [word.isupper() and sum(c.isalpha() for c in word) > 1 for word in words]
    if capitals.count(True) in (0, len(words)):
        return None
    first, last = capitals.index(True), len(capitals) - capitals[::-1].index(True)
    if not all(capitals[first:last]) or (first > 0 and last < len(words)):
        return None  # capitals in the middle, or in two places: no rule says which is the family
    family = " ".join(words[first:last]).title()
    return NameParts(" ".join(words[:first] + words[last:]), family)


def _people(item: Item, role: str) -> list[Authorship]:
    return [a for a in item.authorships.all() if a.role == role]


def _date_parts(item: Item) -> list[int]:
    """[year, month, day] as far as known: the publication or creation date, else the year."""
    for date in (item.publication_date, item.creation_date):
        parts = [int(p) for p in date.split("-") if p.isdigit()]
        if parts and (item.year is None or parts[0] == item.year):
            return parts
    return [item.year] if item.year else []


def _keywords(item: Item) -> list[str]:
    return [link.keyword.name for link in item.item_keywords.all()]


def _container(item: Item) -> str:
    """The journal of an article, the book of a chapter, else the series."""
    if item.kind == "article":
        return item.journal or item.series.name
    if item.kind == "chapter" and item.book_title:
        return item.book_title
    return item.series.name


def _publisher(item: Item) -> str:
    return item.publisher or item.series.provider_name or item.series.archive.name


def _one_line(value: str) -> str:
    return " ".join(value.split())


# -- BibTeX ----------------------------------------------------------------------------------

BIBTEX_TYPES = {"paper": "techreport", "article": "article", "chapter": "incollection", "book": "book"}
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIALS = re.compile(r"[\\{}&%$#_~^]")


#: A brace without its partner in the text. BibTeX, biber and pybtex count `\{` and `\}` as braces,
#: so a lone one would end the field early (a title `x}, url = {...` would add a field); these
#: are balanced groups that LaTeX typesets as the brace and pylatexenc decodes back to it.
_LONE_BRACES = {"{": r"{\ensuremath{\lbrace}}", "}": r"{\ensuremath{\rbrace}}"}


def _lone_braces(value: str) -> set[int]:
    """The positions of the braces that do not pair up, in order, with one of the other kind."""
    opened: list[int] = []
    lone: set[int] = set()
    for position, char in enumerate(value):
        if char == "{":
            opened.append(position)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                lone.add(position)
    return lone.union(opened)


def latex_escape(value: str) -> str:
    r"""LaTeX's special characters escaped; accents and everything else kept as UTF-8. Braces that
    pair up become `\{`...`\}`; a lone brace a balanced group, so that every BibTeX reader, those
    counting escaped braces too, ends the field at the same place."""
    value = _one_line(value)
    lone = _lone_braces(value)
    if not lone:
        return _LATEX_SPECIALS.sub(lambda m: _LATEX[m[0]], value)
    return "".join(_LONE_BRACES[c] if i in lone else _LATEX.get(c, c) for i, c in enumerate(value))


def bibtex_key(item: Item) -> str:
    """The handle, as IDEAS keys its entries, with anything a key may not hold replaced."""
    return re.sub(r"[^A-Za-z0-9:._\-]", "_", item.handle)


def _bibtex_names(people: list[Authorship]) -> str:
    names = []
    for a in people:
        parts = name_parts(a)
        if parts.given:
            names.append(f"{latex_escape(parts.family)}, {latex_escape(parts.given)}")
        else:  # one word or an organisation: braced, so that BibTeX takes it whole
            names.append(f"{{{latex_escape(parts.family)}}}")
    return " and ".join(names)


def to_bibtex(item: Item, url: str) -> str:
    fields: list[tuple[str, str]] = [("title", latex_escape(item.title))]
    fields.append(("author", _bibtex_names(_people(item, "author"))))
    fields.append(("editor", _bibtex_names(_people(item, "editor"))))
    fields.append(("year", str(item.year or "")))
    fields.append(("month", item.month))
    if item.kind == "article":
        fields += [("journal", item.journal or item.series.name), ("volume", item.volume), ("number", item.issue)]
    elif item.kind == "paper":
        fields += [("institution", _publisher(item)), ("type", item.series.name), ("number", item.number)]
    elif item.kind == "chapter":
        fields += [("booktitle", item.book_title), ("chapter", item.number), ("publisher", _publisher(item))]
    elif item.kind == "book":
        fields += [("publisher", _publisher(item)), ("series", item.series.name), ("edition", item.edition)]
    else:  # software: @misc, which every style knows
        fields += [("howpublished", f"{item.series.name}, {_publisher(item)}"), ("number", item.number)]
    fields.append(("pages", item.pages))  # as written: the styles turn "1-10" into an en dash themselves
    fields += [("isbn", item.isbn), ("issn", item.issn or item.series.issn), ("doi", item.doi), ("url", url)]
    fields += [("abstract", item.abstract), ("keywords", ", ".join(_keywords(item)))]
    fields += [("language", item.language), ("note", item.publication_status)]
    lines = [f"@{BIBTEX_TYPES.get(item.kind, 'misc')}{{{bibtex_key(item)},"]
    for name, value in fields:
        if value:
            escaped = value if name in ("author", "editor", "title") else latex_escape(value)
            lines.append(f"  {name} = {{{escaped}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- RIS -------------------------------------------------------------------------------------

RIS_TYPES = {"paper": "RPRT", "article": "JOUR", "chapter": "CHAP", "book": "BOOK", "software": "COMP"}


def _ris_name(a: Authorship) -> str:
    parts = name_parts(a)
    return f"{parts.family}, {parts.given}" if parts.given else parts.family


def to_ris(item: Item, url: str) -> str:
    tags: list[tuple[str, str]] = [("TY", RIS_TYPES.get(item.kind, "GEN")), ("ID", item.handle)]
    tags += [("AU", _ris_name(a)) for a in _people(item, "author")]
    tags += [("A2", _ris_name(a)) for a in _people(item, "editor")]
    tags.append(("TI", item.title))
    tags.append(("T2", _container(item)))
    if item.kind == "chapter":  # the book is T2; its series T3
        tags.append(("T3", item.series.name))
    tags.append(("PY", str(item.year or "")))
    date = _date_parts(item)
    if len(date) > 1:
        tags.append(("DA", "/".join(f"{p:02d}" for p in date)))
    first, _, last = item.pages.partition("-")
    tags += [("SP", first), ("EP", last.lstrip("-"))]
    tags += [("VL", item.volume), ("IS", item.issue if item.kind == "article" else item.number)]
    tags += [("PB", _publisher(item)), ("ET", item.edition), ("SN", item.isbn or item.issn or item.series.issn)]
    tags += [("DO", item.doi), ("LA", item.language), ("UR", url)]
    tags += [("UR", f.url) for f in item.files.all()]  # UR repeats; L1 (one file) does not
    tags += [("KW", keyword) for keyword in _keywords(item)]
    tags += [("AB", item.abstract), ("N1", item.publication_status)]
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags if value.strip()]
    return "\n".join([*lines, "ER  - ", ""])


# -- CSL-JSON --------------------------------------------------------------------------------

CSL_TYPES = {"paper": "report", "article": "article-journal", "chapter": "chapter", "book": "book"}


def _csl_name(a: Authorship) -> dict[str, str]:
    parts = name_parts(a)
    return {"family": parts.family, "given": parts.given} if parts.given else {"literal": parts.family}


def csl_item(item: Item, url: str) -> dict:
    """The item as one CSL-JSON item (the schema citeproc processors read)."""
    data: dict = {"id": item.handle, "type": CSL_TYPES.get(item.kind, "software"), "title": item.title}
    data["author"] = [_csl_name(a) for a in _people(item, "author")]
    editors = [_csl_name(a) for a in _people(item, "editor")]
    if editors:
        data["editor"] = editors
    date = _date_parts(item)
    if date:
        data["issued"] = {"date-parts": [date]}
    optional = {
        "container-title": _container(item) if item.kind in ("article", "chapter") else "",
        "collection-title": item.series.name if item.kind in ("paper", "book", "software") else "",
        "publisher": _publisher(item),
        "number": item.number if item.kind != "article" else "",
        "volume": item.volume,
        "issue": item.issue,
        "page": item.pages,
        "edition": item.edition,
        "genre": "Working paper" if item.kind == "paper" else "",
        "version": item.number if item.kind == "software" else "",
        "DOI": item.doi,
        "ISBN": item.isbn,
        "ISSN": item.issn or item.series.issn,
        "URL": url,
        "language": item.language,
        "abstract": item.abstract,
        "keyword": ", ".join(_keywords(item)),
        "note": item.publication_status,
    }
    data.update((key, value) for key, value in optional.items() if value)
    return data


def to_csl_json(item: Item, url: str) -> str:
    return json.dumps([csl_item(item, url)], ensure_ascii=False, indent=2) + "\n"


# -- ReDIF -----------------------------------------------------------------------------------


def to_redif(item: Item, url: str = "") -> str:
    """A ReDIF template that `catalogue.redif.Importer` imports back to the same record, its
    version links included (catalogue.formatting.redif; the item loaded with
    `with_version_links()`), authors' e-mail addresses left out: it is public (D23)."""
    return item_template(item, emails=False)


# -- plain text ------------------------------------------------------------------------------


def to_text(item: Item, url: str) -> str:
    """The suggested citation of the item page, its handle and its address."""
    return f"{suggested_citation(item)}\nHandle: {item.handle}\n{url}\n"


# -- the formats -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    label: str
    build: Callable[[Item, str], str]
    content_type: str
    #: the item must be loaded with its version links too (Item.objects.with_version_links())
    links: bool = False


FORMATS = {
    "bib": Format("BibTeX", to_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": Format("RIS", to_ris, "application/x-research-info-systems; charset=utf-8"),
    "json": Format("CSL-JSON", to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
    "rdf": Format("ReDIF", to_redif, "text/plain; charset=utf-8", links=True),
    "txt": Format("Plain text", to_text, "text/plain; charset=utf-8"),
}


def export_filename(handle: str, extension: str) -> str:
    """`RePEc:ipt:iptwpa:jrc108028` -> `RePEc_ipt_iptwpa_jrc108028.bib`: safe in any file system."""
    stem = re.sub(r"[^A-Za-z0-9.\-]+", "_", handle).strip("._") or "reference"
    return f"{stem}.{extension}"
