"""The ReDIF writer (catalogue.redif.writer) against the parser: whatever a value holds, it is
read back as the importer keeps it, and never starts a field, a comment or a template."""

from __future__ import annotations

import pytest

from catalogue.redif.parser import Template, parse_text
from catalogue.redif.values import clean, clean_abstract
from catalogue.redif.writer import field_lines, template

HARD = [
    "plain",
    "Title: looks like a field",
    "two\nlines: Handle: RePEc:xxx",
    "#hash at the start\n#and on the next line",
    "Template-Type: ReDIF-Paper 1.0",
    "line\u2028separator\x85next line\ttab\r\ncarriage return",
    "ünïcødé 中文 émigré — “quotes”",
    "  spaces around  ",
    "para one\n\npara two\n\n\n\nTitle: para three",
]


@pytest.mark.parametrize("value", HARD)
def test_a_value_reads_back_as_the_importer_keeps_it(value):
    text = template("Paper", [("Title", value), ("Abstract", value), ("Handle", "RePEc:xxx:yyy:1")])
    (parsed,) = list(parse_text(text))
    assert isinstance(parsed, Template)
    assert [f.name for f in parsed.fields] == ["title", "abstract", "handle"]
    assert clean(parsed.value("title") or "") == clean(value)
    # paragraphs are what blank lines part; a single line break is a space, as the importer reads one
    paragraphs = [clean(part) for part in value.split("\n\n")]
    assert clean_abstract(parsed.value("abstract") or "") == "\n\n".join(p for p in paragraphs if p)


def test_continuation_lines_are_indented_and_empty_values_left_out():
    assert field_lines("Abstract", "one\n\ntwo") == ["Abstract: one", "", " two"]
    assert field_lines("Note", " \n\n ") == []
    assert template("Series", [("Name", "S"), ("ISSN", "")]) == "Template-Type: ReDIF-Series 1.0\nName: S\n"
