"""Reading one template's fields with checks, collecting warnings.

Used by ``builders``.  A value that fails its check is dropped with a warning
(a ``ReDIFError`` at the field's line); a required one raises instead; an
over-long one is truncated to ``LIMITS`` with a warning.
"""

from __future__ import annotations

from collections.abc import Callable

from .parser import Cluster, Field, ReDIFError, Template
from .recordtypes import LIMITS, MAX_ENTRIES, MAX_HANDLE, AuthorRecord
from .values import (
    PartialDate,
    check_email,
    check_url,
    clean,
    clean_abstract,
    normalise_orcid,
    parse_date,
    person_handle,
)

Check = Callable[[str], str]


_UPPER = {
    "url": "URL",
    "jel": "JEL",
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "ascii": "ASCII",
}


def label(name: str) -> str:
    """``author-email`` -> ``Author-Email``, ``file-url`` -> ``File-URL``, for messages."""
    return "-".join(_UPPER.get(p, p.capitalize()) for p in name.split("-"))


class Reader:
    """Reads one template, collecting warnings in ``self.warnings``."""

    def __init__(self, t: Template):
        self.t = t
        self.warnings: list[ReDIFError] = []
        named: dict[str, list[Field]] = {}  # field name -> its fields, in order
        for f in t.fields:
            fields = named.get(f.name)
            if fields is None:
                named[f.name] = [f]
            else:
                fields.append(f)
        self._named = named
        # first name segments present ("author", "file" ...): skips scanning
        # the template for clusters it does not have
        self._heads = {name.partition("-")[0] for name in named}

    def clusters(self, prefix: str, key: str = "name") -> list[Cluster]:
        if prefix.partition("-")[0] not in self._heads:
            return []
        return self.t.clusters(prefix, key)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ReDIFError(self.t.path, line, message))

    def fail(self, line: int, message: str) -> ReDIFError:
        return ReDIFError(self.t.path, line, message)

    def field(self, name: str) -> Field | None:
        """First field of that name with a non-empty value."""
        for f in self._named.get(name.lower(), ()):
            if f.value.strip():
                return f
        return None

    def fit(self, value: str, what: str, line: int, lab: str) -> str:
        n = LIMITS[what]
        if len(value) > n:
            self.warn(line, f"{lab}: longer than {n} characters; truncated")
            value = value[:n].rstrip()
        return value

    def text(self, name: str, what: str, *, required: bool = False) -> str:
        """Cleaned text of the first non-empty field ``name`` (or "")."""
        f = self.field(name)
        if f is None:
            if required:
                raise self.fail(self.t.line, f"missing required field {label(name)}")
            return ""
        value = clean_abstract(f.value) if what == "abstract" else clean(f.value)
        if len(value) > LIMITS[what]:
            return self.fit(value, what, f.line, label(f.name))
        return value

    def subtext(self, inst: Cluster, key: str, what: str, lab: str) -> str:
        """Cleaned text of a cluster's sub-field (or "")."""
        f = inst.get(key)
        if f is None:
            return ""
        return self.fit(clean(inst.value(key) or ""), what, f.line, lab)

    def _check(self, f: Field, check: Check, what: str) -> str:
        value = check(f.value)
        if len(value) > LIMITS[what]:
            raise ValueError(f"longer than {LIMITS[what]} characters")
        return value

    def checked(self, f: Field | None, check: Check, what: str) -> str:
        """``check(f.value)``, or "" with a warning when it raises ValueError."""
        if f is None or not f.value.strip():
            return ""
        try:
            return self._check(f, check, what)
        except ValueError as exc:
            self.warn(f.line, f"{label(f.name)}: {exc}; dropped")
            return ""

    def opt(self, name: str, check: Check, what: str, *, required: bool = False) -> str:
        """The first non-empty field ``name`` passed through ``check``; when
        required, a missing or bad value raises instead of warning."""
        f = self.field(name)
        if not required:
            return self.checked(f, check, what)
        if f is None:
            raise self.fail(self.t.line, f"missing required field {label(name)}")
        try:
            return self._check(f, check, what)
        except ValueError as exc:
            raise self.fail(f.line, f"{label(f.name)}: {exc}") from None

    def sub(self, inst: Cluster, key: str, check: Check, what: str, name: str) -> str:
        """A cluster's sub-field through ``check``; ``name`` is the full field
        name for messages (``author-email``)."""
        for f in inst.all(key):
            if f.value.strip():
                return self.checked(Field(name, f.value, f.line), check, what)
        return ""

    def date(self, name: str, *, latest: bool = False) -> PartialDate | None:
        """The first valid date (or the latest one) among the fields ``name``."""
        best: PartialDate | None = None
        for f in self._named.get(name.lower(), ()):
            if not f.value.strip():
                continue
            try:
                d = parse_date(f.value)
            except ValueError as exc:
                self.warn(f.line, f"{label(f.name)}: {exc}; dropped")
                continue
            if best is None:
                best = d
                if not latest:
                    break
            elif d.sort_key > best.sort_key:
                best = d
        return best

    def handle(self, check: Check) -> str:
        """The template's Handle through ``check``; raises when missing, bad,
        too long, or given twice with different values."""
        found = [f for f in self._named.get("handle", ()) if f.value.strip()]
        if not found:
            raise self.fail(self.t.line, "missing required field Handle")
        first = found[0]
        raw = first.value.strip()
        for other in found[1:]:
            if other.value.strip().lower() != raw.lower():
                again = other.value.strip()
                raise self.fail(other.line, f"Handle: conflicting {raw!r} and {again!r}")
        if len(raw) > MAX_HANDLE:
            raise self.fail(first.line, f"Handle: longer than {MAX_HANDLE} characters")
        try:
            return check(raw)
        except ValueError as exc:
            raise self.fail(first.line, f"Handle: {exc}") from None

    def people(self, prefix: str, before: int = 0) -> list[AuthorRecord]:
        """The Person clusters ``author`` or ``editor``; one without a name is
        skipped with a warning.  Raises when they and the ``before`` people
        (authors, ahead of editors) add up to more than MAX_ENTRIES."""
        out: list[AuthorRecord] = []
        lab = label(prefix)
        for inst in self.clusters(prefix):
            name_f = inst.get("name")
            name = clean(name_f.value) if name_f else ""
            if not name or name_f is None:
                if any(f.value.strip() for f in inst.values()):
                    self.warn(inst.line, f"{lab} without {lab}-Name; ignored")
                continue
            self.at_most(before + len(out), name_f.line, "authors and editors", "an item")
            out.append(
                AuthorRecord(
                    name=self.fit(name, "name", name_f.line, f"{lab}-Name"),
                    email=self.sub(inst, "email", check_email, "email", f"{prefix}-email"),
                    workplace=self.subtext(inst, "workplace-name", "workplace", f"{lab}-Workplace-Name"),
                    homepage=self.sub(inst, "homepage", check_url, "url", f"{prefix}-homepage"),
                    person=self.sub(inst, "person", person_handle, "handle", f"{prefix}-person"),
                    orcid=self.sub(inst, "orcid", normalise_orcid, "orcid", f"{prefix}-orcid"),
                )
            )
        return out

    def at_most(self, count: int, line: int, what: str, holder: str) -> None:
        """Raises at ``line`` when ``count`` entries are there already (MAX_ENTRIES)."""
        if count >= MAX_ENTRIES:
            raise self.fail(line, f"more than {MAX_ENTRIES:,} {what}, the most {holder} may have; template skipped")

    def organisation(self, *prefixes: str) -> Cluster | None:
        """The first Organization cluster with a name among ``prefixes``."""
        for p in prefixes:
            for inst in self.clusters(p):
                if inst.value("name"):
                    return inst
        return None
