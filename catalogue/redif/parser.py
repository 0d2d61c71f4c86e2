"""ReDIF syntax: bytes -> templates.

A ReDIF file is a sequence of templates.  Each starts at a ``Template-Type:
ReDIF-<Type> <version>`` line and runs to the next one.  Inside a template,
``Name: value`` lines start a field (names are case-insensitive, letters,
digits and ``-``); any other non-blank line continues the previous field;
``#`` lines are comments and blank lines are allowed anywhere.  ``X-`` fields
(and cluster sub-fields such as ``Author-X-Foo``) are dropped.

Everything here streams: a file is read line by line and only one template is
held at a time, of at most ``MAX_FIELDS`` fields (a longer one is skipped), so
reading takes time and memory linear in the input.  Bad content never raises; it
is reported by yielding a :class:`ReDIFError` among the templates (a
:class:`ReDIFWarning` when nothing of a template was lost).  Pure standard library.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .decoding import binary_lines, decode, text_lines

__all__ = [
    "KINDS",
    "MAX_FIELDS",
    "Cluster",
    "Field",
    "ReDIFError",
    "ReDIFWarning",
    "Template",
    "decode",
    "parse_bytes",
    "parse_file",
    "parse_text",
]

#: The template types this parser knows, lower case, as in ``Template.kind``.
KINDS = frozenset(
    {
        "paper",
        "article",
        "chapter",
        "book",
        "software",
        "series",
        "archive",
        "person",
        "institution",
    }
)

#: Fields whose continuation lines are joined with newlines (a blank line in
#: between becomes a paragraph break); all other fields are joined with spaces.
_NEWLINE_SUFFIXES = ("abstract", "postal")

_MAX_NAME = 64  # longer "names" before a colon are prose, not field names

#: Fields one template may have (X- fields and comments aside); a template with more is
#: skipped with an error. Generous: the largest real ones (a person's thousands of claimed
#: works, an article's thousands of authors) stay far below it.
MAX_FIELDS = 50_000


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # lower case, e.g. "author-name"
    value: str  # continuation lines joined, stripped
    line: int  # 1-based line of the field's first line


class Cluster(dict):
    """One instance of a cluster: sub-field name (prefix removed) -> first Field.

    ``all(key)`` gives every Field of that sub-field in this instance, for the
    rare repeated sub-field (an author with two ``Author-Workplace-Name``).
    """

    __slots__ = ("_all",)

    def __init__(self) -> None:
        super().__init__()
        self._all: dict[str, list[Field]] = {}

    def _add(self, key: str, f: Field) -> None:
        seen = self._all.get(key)
        if seen is None:
            self[key] = f
            self._all[key] = [f]
        else:
            seen.append(f)

    def all(self, key: str) -> list[Field]:
        return list(self._all.get(key.lower(), ()))

    def value(self, key: str, default: str | None = None) -> str | None:
        """First non-empty value of the sub-field, stripped, else ``default``."""
        for f in self._all.get(key.lower(), ()):
            v = f.value.strip()
            if v:
                return v
        return default

    @property
    def line(self) -> int:
        """Line of the instance's first field."""
        return min(f.line for fs in self._all.values() for f in fs)


@dataclass
class Template:
    kind: str  # "paper", "series", ... (lower case, after "ReDIF-")
    version: str  # "1.0"
    path: str
    line: int  # line of the Template-Type line
    fields: list[Field] = field(default_factory=list)
    _index: tuple[int, dict[str, list[Field]]] | None = field(default=None, init=False, repr=False, compare=False)

    def _fields_named(self, name: str) -> list[Field]:
        cached = self._index
        if cached is None or cached[0] != len(self.fields):
            index: dict[str, list[Field]] = {}
            for f in self.fields:
                index.setdefault(f.name, []).append(f)
            cached = self._index = (len(self.fields), index)
        return cached[1].get(name.lower(), [])

    def first(self, name: str) -> Field | None:
        found = self._fields_named(name)
        return found[0] if found else None

    def value(self, name: str, default: str | None = None) -> str | None:
        """The first non-empty value of ``name``, stripped, else ``default``."""
        for f in self._fields_named(name):
            v = f.value.strip()
            if v:
                return v
        return default

    def all(self, name: str) -> list[Field]:
        return list(self._fields_named(name))

    def clusters(self, prefix: str, key: str = "name") -> list[Cluster]:
        """Instances of the cluster ``prefix`` (``author``, ``file``, ...).

        A new instance starts at each ``<prefix>-<key>`` field; sub-fields seen
        before the first key field belong to the first instance (or, when no key
        field exists at all, to a single instance without the key).
        """
        p = prefix.lower() + "-"
        cut = len(p)
        key = key.lower()
        out: list[Cluster] = []
        current: Cluster | None = None
        orphans: list[Field] = []
        for f in self.fields:
            if not f.name.startswith(p):
                continue
            sub = f.name[cut:]
            if sub == key:
                current = Cluster()
                out.append(current)
                if orphans:
                    for o in orphans:
                        current._add(o.name[cut:], o)
                    orphans = []
            elif current is None:
                orphans.append(f)
                continue
            current._add(sub, f)
        if orphans:  # never saw a key field
            current = Cluster()
            for o in orphans:
                current._add(o.name[cut:], o)
            out.append(current)
        return out


class ReDIFError(Exception):
    """A problem at a place in a file: a skipped template, or a dropped value."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ReDIFWarning(ReDIFError):
    """A problem the parser worked around without losing a template (a stray line)."""


# --------------------------------------------------------------------------
# the parser proper


def parse_text(text: str, path: str = "<string>") -> Iterator[Template | ReDIFError]:
    return _parse_lines(text_lines(text), path)


def parse_bytes(data: bytes, path: str = "<string>") -> Iterator[Template | ReDIFError]:
    return _parse_lines(binary_lines(io.BytesIO(data)), path)


def parse_file(path: str | os.PathLike) -> Iterator[Template | ReDIFError]:
    """Templates of a file, streamed; an unreadable file yields one ReDIFError."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fp:
            yield from _parse_lines(binary_lines(fp), name)
    except OSError as exc:
        yield ReDIFError(name, 0, f"cannot read file: {exc.strerror or exc}")


def _template_type(value: str) -> tuple[str, str] | None:
    parts = value.split()
    if not parts or parts[0][:6].lower() != "redif-":
        return None
    kind = parts[0][6:].lower()
    if kind not in KINDS:
        return None
    return kind, (parts[1] if len(parts) > 1 else "1.0")


def _make_field(name: str, parts: list[str], line: int) -> Field:
    if len(parts) == 1:
        return Field(name, parts[0], line)
    if name.endswith(_NEWLINE_SUFFIXES):
        return Field(name, "\n".join(parts).strip(), line)
    return Field(name, " ".join(p for p in parts if p), line)


def _parse_lines(lines: Iterable[str], path: str) -> Iterator[Template | ReDIFError]:
    st = _Reading(path)
    lineno = 0
    for line in lines:
        lineno += 1
        if not line:
            st.blank = True
            continue
        if line[0] == "#":
            continue
        fname = _field_name(line)
        if fname is None:  # a continuation line
            problem = st.continuation(line.strip(), lineno)
        else:
            st.end_field()
            st.blank = False
            value = line[len(fname) + 1 :].strip()
            if fname == "template-type":
                if st.tpl is not None:
                    yield st.tpl
                problem = st.template_type(value, lineno)
            else:
                problem = st.field(fname, value, lineno)
        if problem is not None:
            yield problem
    st.end_field()
    if st.tpl is not None:
        yield st.tpl


def _field_name(line: str) -> str | None:
    """The lower-cased field name when the line starts a field; None for a continuation line."""
    if line[0] == " " or line[0] == "\t":
        return None
    colon = line.find(":", 0, _MAX_NAME + 1)
    if colon <= 0 or line.startswith("//", colon + 1):
        return None
    fname = line[:colon]
    if not (fname.isascii() and fname.replace("-", "").isalnum()):
        return None
    return fname.lower()


class _Reading:
    """What the parser carries from one line to the next; each step returns a problem to report or None."""

    __slots__ = (
        "blank",
        "dropping",
        "in_template",
        "junk_reported",
        "name",
        "parts",
        "path",
        "seen_template",
        "start",
        "tpl",
    )

    def __init__(self, path: str):
        self.path = path
        self.tpl: Template | None = None  # the template being read
        self.in_template = False  # False before the first template and inside a rejected one
        self.seen_template = False
        self.junk_reported = False
        self.name: str | None = None  # current field; None when dropped or none yet
        self.parts: list[str] = []
        self.start = 0
        self.blank = False  # blank line(s) since the current field's last line
        self.dropping = False  # inside a dropped X- field: swallow its continuations

    def end_field(self) -> None:
        if self.name is not None:
            self.tpl.fields.append(_make_field(self.name, self.parts, self.start))  # type: ignore[union-attr]
            self.name = None

    def template_type(self, value: str, lineno: int) -> ReDIFError | None:
        """A Template-Type line: the template before it is done, a new one starts unless the type is unknown."""
        self.tpl = None
        self.seen_template = True
        self.dropping = False
        kv = _template_type(value)
        if kv is None:
            self.in_template = False
            return ReDIFError(self.path, lineno, f"unknown template type {value!r}; template skipped")
        self.in_template = True
        self.tpl = Template(kv[0], kv[1], self.path, lineno, [])
        return None

    def field(self, fname: str, value: str, lineno: int) -> ReDIFError | None:
        if not self.in_template:
            return self.junk(lineno)
        if fname.startswith("x-") or "-x-" in fname:
            self.dropping = True
            return None
        self.dropping = False
        if len(self.tpl.fields) >= MAX_FIELDS:  # type: ignore[union-attr]
            line = self.tpl.line  # type: ignore[union-attr]
            self.tpl, self.in_template = None, False  # the rest of it is passed over
            return ReDIFError(
                self.path,
                line,
                f"more than {MAX_FIELDS:,} fields in one template (field {MAX_FIELDS + 1:,} at line {lineno}); skipped",
            )
        self.name = fname
        self.parts = [value]
        self.start = lineno
        return None

    def continuation(self, text: str, lineno: int) -> ReDIFError | None:
        if not text:
            self.blank = True
            return None
        if not self.in_template:
            return self.junk(lineno)
        if self.name is None:
            return None if self.dropping else ReDIFWarning(self.path, lineno, "line continues no field; ignored")
        if self.blank:
            self.parts.append("")
            self.blank = False
        self.parts.append(text)
        return None

    def junk(self, lineno: int) -> ReDIFError | None:
        """Text outside a template: reported once, and only before the first template."""
        if self.seen_template or self.junk_reported:
            return None
        self.junk_reported = True
        return ReDIFError(self.path, lineno, "text before the first Template-Type line; ignored")
