"""ReDIF out: templates as text, the inverse of the parser (catalogue.redif.parser).

A template is its type and a list of (field name, value) pairs in order; a value is written
so that the parser reads it back as it was: white space collapsed as the importer collapses it,
an empty value left out, and every continuation line indented, so that no line of a value can
start a field, a comment or a template (the parser reads an indented line as a continuation,
whatever it holds). A value with paragraphs (an abstract's blank lines) keeps them: a blank line,
then the paragraph on an indented line. Pure standard library.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["field_lines", "one_line", "template"]

Fields = Iterable[tuple[str, str]]


def one_line(value: str) -> str:
    """Every run of white space (line breaks, tabs, U+2028 and the like) as one space."""
    return " ".join(value.split())


def field_lines(name: str, value: str) -> list[str]:
    """`Name: value` and its continuation lines; none for an empty value. Paragraphs are the
    parts between blank lines (`\\n\\n`), each on one line."""
    paragraphs = [one_line(p) for p in value.split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return []
    lines = [f"{name}: {paragraphs[0]}"]
    for paragraph in paragraphs[1:]:
        lines += ["", f" {paragraph}"]
    return lines


def template(kind: str, fields: Fields) -> str:
    """One template, `Template-Type: ReDIF-<kind> 1.0` first, ending with a line break."""
    lines = [f"Template-Type: ReDIF-{kind} 1.0"]
    for name, value in fields:
        lines += field_lines(name, value)
    return "\n".join(lines) + "\n"
