"""Suggested citations for each kind, as IDEAS writes them."""

import pytest

from catalogue.formatting.citation import month_name, revised_text, suggested_citation
from catalogue.models import Authorship, Kind

pytestmark = pytest.mark.django_db


def cite(item):
    return str(suggested_citation(item))


def test_paper_with_revision(item_factory, authorship_factory):
    item = item_factory(
        series__name="Papers in Evolutionary Economic Geography (PEEG)",
        series__provider_name="Utrecht University",
        number="1525",
        year=2015,
        title="Smart Specialization Strategies",
        revision_date="2015-08",
    )
    authorship_factory(item=item, position=0, name="Sandro Montresor")
    authorship_factory(item=item, position=1, name="Francesco Quatraro")
    assert cite(item) == (
        'Sandro Montresor & Francesco Quatraro, 2015. "Smart Specialization Strategies," '
        "Papers in Evolutionary Economic Geography (PEEG) 1525, Utrecht University, revised Aug 2015."
    )


def test_chapter_with_editors(item_factory, authorship_factory):
    item = item_factory(
        kind=Kind.CHAPTER,
        series__name="Chapters",
        book_title="Handbook of Regional Growth",
        number="3",
        pages="45-67",
        publisher="Edward Elgar",
        year=2010,
        title="Clusters",
    )
    authorship_factory(item=item, position=0, name="Ann Author")
    authorship_factory(item=item, position=1, name="Ed Itor", role=Authorship.Role.EDITOR)
    assert cite(item) == (
        'Ann Author, 2010. "Clusters," in: Ed Itor (ed.), Handbook of Regional Growth, chapter 3, '
        "pages 45-67, Edward Elgar."
    )


def test_book_and_software(item_factory, authorship_factory):
    book = item_factory(
        kind=Kind.BOOK, series__name="Books", publisher="Springer", edition="2", year=2001, number="", title="Growth"
    )
    authorship_factory(item=book, position=0, name="A. Writer")
    assert cite(book) == 'A. Writer, 2001. "Growth," Books, Springer, edition 2.'
    software = item_factory(
        kind=Kind.SOFTWARE,
        series__name="Statistical Software Components",
        series__provider_name="Boston College Department of Economics",
        number="S458",
        year=2019,
        title="ESTOUT",
    )
    assert cite(software) == (
        'Anonymous, 2019. "ESTOUT," Statistical Software Components S458, Boston College Department of Economics.'
    )


def test_months_and_revisions():
    assert month_name("10") == "October"
    assert month_name("oct.") == "October"
    assert month_name("Spring") == "Spring"
    assert revised_text("2021-02-03") == "revised Feb 2021"
    assert revised_text("2021") == "revised 2021"
    assert revised_text("") == ""
