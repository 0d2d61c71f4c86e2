"""Guard rails for templates/: short lines, and partials printed inside sentences end with their last tag."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from catalogue.models.archives import Contact

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MAX_LINE = 160


def test_templates_are_found():
    assert (TEMPLATES / "base.html").exists()
    assert len(list(TEMPLATES.rglob("*.html"))) > 40


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_line_is_over_160_characters(path):
    """Long lines hide logic; a line break between words or attributes renders as the space it replaces."""
    long = [
        f"{number}: {len(line)} characters"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > MAX_LINE
    ]
    assert not long, f"{path.relative_to(TEMPLATES)} has lines over {MAX_LINE} characters: {long}"


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (Contact("Ana & Bo", "ab@example.org"), 'Ana &amp; Bo (<a href="mailto:ab@example.org">ab@example.org</a>)'),
        (Contact("JRC", homepage="https://example.org/"), '<a href="https://example.org/" rel="nofollow">JRC</a>'),
        (Contact("the archive maintainer"), "the archive maintainer"),
    ],
)
def test_the_contact_partial_adds_no_space_before_the_sentences_full_stop(contact, expected):
    """_contact.html is printed before a full stop: no final newline in the file (an editor may add one)."""
    assert re.sub(r"\s+", " ", render_to_string("_contact.html", {"contact": contact})) == expected
