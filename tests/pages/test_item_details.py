"""Every bibliographic field a ReDIF record carries shows on the item's page (issue 18, item 8),
each from a record that has it, imported through the importer."""

import re

import pytest

from catalogue.ingest.importer import Importer
from catalogue.models import Item

pytestmark = pytest.mark.django_db

ARCHIVE = """Template-Type: ReDIF-Archive 1.0
Handle: RePEc:zdt
Name: Details archive
URL: https://example.org/zdt/
Maintainer-Email: repec@example.org

Template-Type: ReDIF-Series 1.0
Handle: RePEc:zdt:wpaper
Name: Working papers
Type: ReDIF-Paper
Maintainer-Email: repec@example.org

Template-Type: ReDIF-Series 1.0
Handle: RePEc:zdt:journl
Name: The Journal of Details
Type: ReDIF-Article
Maintainer-Email: repec@example.org

Template-Type: ReDIF-Series 1.0
Handle: RePEc:zdt:bkchap
Name: Book chapters
Type: ReDIF-Chapter
Maintainer-Email: repec@example.org

Template-Type: ReDIF-Series 1.0
Handle: RePEc:zdt:zcodes
Name: Software
Type: ReDIF-Software
Maintainer-Email: repec@example.org
"""

RECORDS = """
Template-Type: ReDIF-Paper 1.0
Title: A paper with every field
Author-Name: Ana Autora
Creation-Date: 2019-03
Revision-Date: 2020-11-02
Publication-Status: Published in Journal of Details, 2021, 3(2), 1-20
Note: Also in the conference volume
Number: 19-07
Length: 34 pages
Language: en
Handle: RePEc:zdt:wpaper:19-07

Template-Type: ReDIF-Article 1.0
Title: An article with every field
Author-Name: Ben Autor
Journal: The Journal of Details
Volume: 54
Issue: 10
Pages: 1341-1353
Month: October
Year: 2020
ISSN: 1234-5678
Publication-Date: 2020-10-05
Handle: RePEc:zdt:journl:v:54:y:2020:i:10:p:1341-1353

Template-Type: ReDIF-Chapter 1.0
Title: A chapter with every field
Author-Name: Cleo Autorin
Book-Title: The Book of Details
Edition: 2
ISBN: 978-3-16-148410-0
Provider-Name: Details Press
Pages: 11-40
Year: 2018
Handle: RePEc:zdt:bkchap:2-11

Template-Type: ReDIF-Software 1.0
Title: A program with every field
Author-Name: Dan Coder
Programming-Language: Stata
Creation-Date: 2016-05-12
Handle: RePEc:zdt:zcodes:s458000
"""


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "zdt.rdf"
    path.write_text(ARCHIVE + RECORDS)
    report = Importer(parallel_min_bytes=None).import_paths([path])
    assert not report.errors, report.errors
    return {item.title.split(" with ")[0]: item for item in Item.objects.all()}


def details(client, item) -> dict[str, str]:
    page = client.get(item.get_absolute_url()).content.decode()
    block = page.split('<dl class="facts details">', 1)[1].split("</dl>", 1)[0]
    return dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]*)</dd>", block))


def test_a_paper_shows_its_number_length_status_note_dates_and_language(client, records):
    shown = details(client, records["A paper"])
    assert shown["Number"] == "19-07"
    assert shown["Length"] == "34 pages"
    assert shown["Publication status"] == "Published in Journal of Details, 2021, 3(2), 1-20"
    assert shown["Note"] == "Also in the conference volume"
    assert shown["Created"] == "2019-03"
    assert shown["Revised"] == "2020-11-02"
    assert shown["Language"] == "en"


def test_an_article_shows_its_journal_volume_issue_pages_month_and_issn(client, records):
    shown = details(client, records["An article"])
    assert shown["Journal"] == "The Journal of Details"
    assert (shown["Volume"], shown["Issue"], shown["Pages"], shown["Month"]) == ("54", "10", "1341-1353", "October")
    assert shown["ISSN"] == "1234-5678"
    assert shown["Published"] == "2020-10-05"


def test_a_chapter_shows_its_book_edition_isbn_publisher_and_pages(client, records):
    shown = details(client, records["A chapter"])
    assert shown["In book"] == "The Book of Details"
    assert shown["Edition"] == "2"
    assert shown["ISBN"] == "978-3-16-148410-0"
    assert shown["Publisher"] == "Details Press"
    assert shown["Pages"] == "11-40"


def test_software_shows_its_programming_language(client, records):
    shown = details(client, records["A program"])
    assert shown["Programming language"] == "Stata"
    assert shown["Type"] == "Software component"
