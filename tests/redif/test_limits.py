"""How much one template may hold, and hostile sizes (issue 14, defects 3 and 11).

A template has at most 50,000 fields (the parser refuses more, by file:line, and skips the
template); an item has at most 32,767 authors and editors, files or keywords, a person at
most 32,767 workplaces (their positions are small integers in the database): more is refused
in validation, by file:line, before anything is written. That reading stays linear in the
size of the input is measured by bench/parse_worst.py, not timed here.
"""

import pytest

from catalogue.redif.parser import ReDIFError, Template, parse_text
from catalogue.redif.records import to_record

PAPER = "Template-Type: ReDIF-Paper 1.0\nTitle: T\nAuthor-Name: A. B\nHandle: RePEc:aaa:wpaper:1\n"
PERSON = "Template-Type: ReDIF-Person 1.0\nName-Full: Ana Autora\nShort-Id: pau1\nHandle: RePEc:per:2020-01-01:ana\n"


def parsed(text: str) -> list:
    return list(parse_text(text, "big.rdf"))


def record(text: str):
    [template] = [t for t in parsed(text) if isinstance(t, Template)]
    return to_record(template)


def test_a_template_of_more_than_50000_fields_is_skipped_by_file_and_line():
    notes = "".join(f"Note: {i}\n" for i in range(50_000 - 3))  # with Title, Author-Name and Handle: 50,000
    at_limit = parsed(PAPER + notes)
    assert [type(t) for t in at_limit] == [Template]
    assert len(at_limit[0].fields) == 50_000
    # one field more, then a template that is fine: the first is refused, the second read
    text = "\n" + PAPER + notes + "Note: one too many\n  and its continuation\nNote: again\n\n" + PAPER
    error, template = parsed(text)
    assert isinstance(error, ReDIFError)
    assert isinstance(template, Template)
    over = 1 + 4 + 49_997 + 1  # the line of the 50,001st field
    assert str(error) == f"big.rdf:2: more than 50,000 fields in one template (field 50,001 at line {over}); skipped"
    assert template.line == over + 4
    assert template.value("handle") == "RePEc:aaa:wpaper:1"


def test_x_fields_and_comments_do_not_count():
    text = PAPER + "".join(f"X-Note: {i}\n# a comment\n" for i in range(60_000))
    assert [type(t) for t in parsed(text)] == [Template]


def authors(n):
    return "".join(f"Author-Name: A{i}\n" for i in range(n))


def editors(n):
    return "".join(f"Editor-Name: E{i}\n" for i in range(n))


def files(n):
    return "".join(f"File-URL: https://example.org/{i}\n" for i in range(n))


def keywords(n):
    return "Keywords: " + "; ".join(f"k{i}" for i in range(n)) + "\n"


@pytest.mark.parametrize(
    ("what", "lines", "over", "line"),
    [  # the paper has one author already; the line is that of the 32,768th
        ("authors and editors", authors, 32_767, 5 + 32_766),
        ("authors and editors", editors, 32_767, 5 + 32_766),
        ("files", files, 32_768, 5 + 32_767),
        ("keywords", keywords, 32_768, 5),  # all on one line
    ],
)
def test_an_item_with_more_than_32767_of_a_kind_is_refused_by_file_and_line(what, lines, over, line):
    with pytest.raises(ReDIFError) as info:
        record(PAPER + lines(over))
    assert str(info.value) == f"big.rdf:{line}: more than 32,767 {what}, the most an item may have; template skipped"
    assert record(PAPER + lines(over - 1))[0].handle == "RePEc:aaa:wpaper:1"  # exactly the limit is fine


def test_a_person_with_more_than_32767_workplaces_is_refused():
    text = PERSON + "".join(f"Workplace-Name: W{i}\n" for i in range(32_768))
    with pytest.raises(ReDIFError, match="more than 32,767 workplaces") as info:
        record(text)
    assert info.value.line == 5 + 32_767


def test_many_name_variants_and_jel_codes_are_deduplicated_in_order():
    names = "".join(f"Name-ASCII: Autora {i % 7}\nName-ASCII: Ana Autora\n" for i in range(1000))
    person, _ = record(PERSON + names)
    assert person.name_variants == [f"Autora {i}" for i in range(7)]  # not the full name itself
    jel = "Classification-JEL: " + " ".join(["D82", "c", "D820", "E1", "xx"] * 1000) + "\nClassification-JEL: A1 E1\n"
    item, warnings = record(PAPER + jel)
    assert item.jel == ["D82", "C", "E1", "A1"]
    assert [str(w) for w in warnings] == ["big.rdf:5: Classification-JEL: invalid JEL code 'xx'; dropped"]  # once
