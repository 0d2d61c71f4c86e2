"""A book's page lists its chapters and a chapter's page links its book (issue 20): the part links
a template states (a book's HasChapter, a chapter's In-Book), whichever record says so; the
book's order first, then by title; the first 50 on the page, all on the book's chapters page."""

from __future__ import annotations

import re

import pytest

from catalogue.ingest.importer import Importer
from catalogue.models import HandleAlias, Item
from catalogue.redif.parser import parse_text
from tests.views.test_html_valid import NEEDS_VNU, vnu_errors

pytestmark = pytest.mark.django_db

SERIES = "".join(
    f"Template-Type: ReDIF-Series 1.0\nName: {name}\nType: ReDIF-{kind} 1.0\nMaintainer-Email: m@example.org\n"
    f"Handle: RePEc:abc:{code}\n\n"
    for name, kind, code in (("Working papers", "Paper", "wpaper"), ("Books", "Book", "bookss"),
                             ("Chapters", "Chapter", "chapts"))
)  # fmt: skip
HOSTILE = '<script>alert("chapter")</script> & "Trade"'


def template(kind: str, code: str, title: str, *extra: str, author: str = "Ana Autora") -> str:
    lines = "".join(f"{line}\n" for line in extra)
    return (
        f"Template-Type: ReDIF-{kind} 1.0\nTitle: {title}\nAuthor-Name: {author}\n{lines}Handle: RePEc:abc:{code}\n\n"
    )


def import_text(text: str) -> None:
    importer = Importer()
    importer.import_templates(parse_text(SERIES + text, "book.rdf"))
    report = importer.finish()
    assert not report.errors, report.errors


def item(code: str) -> Item:
    return Item.objects.get(handle_key=f"repec:abc:{code}")


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def section(page: str, id_: str) -> str:
    found = re.search(rf'<section id="{id_}".*?</section>', page)
    assert found, id_
    return found.group(0)


@pytest.fixture
def book():
    """A book naming chapters 2 then 1 (chapter 1 names it back), chapter "was" by its old handle;
    chapters 3 and 4 name the book only themselves; chapter 9 names another book."""
    import_text(
        template("Book", "bookss:1", "Essays on trade", "HasChapter: RePEc:abc:chapts:2",
                 "HasChapter: RePEc:abc:chapts:1", "HasChapter: RePEc:abc:chapts:was", author="Ed Editor")
        + template("Chapter", "chapts:1", "Zeta, the first chapter", "In-Book: RePEc:abc:bookss:1")
        + template("Chapter", "chapts:2", HOSTILE)
        + template("Chapter", "chapts:3", "Omega, a chapter the book does not list", "In-Book: RePEc:abc:bookss:1")
        + template("Chapter", "chapts:4", "Alpha, another one", "In-Book: RePEc:abc:bookss:1")
        + template("Chapter", "chapts:5", "Renamed chapter")
        + template("Chapter", "chapts:9", "Elsewhere", "In-Book: RePEc:abc:bookss:2")
        + template("Paper", "wpaper:1", "A paper")
    )  # fmt: skip
    HandleAlias.objects.create(item=item("chapts:5"), handle="RePEc:abc:chapts:was")
    return item("bookss:1")


def test_a_books_page_lists_its_chapters_in_its_order_then_by_title(client, book, django_assert_max_num_queries):
    url = book.get_absolute_url()
    # the item page's 11 and its chapters (pages/item.py)
    with django_assert_max_num_queries(12):
        page = text_of(client.get(url))
    chapters = section(page, "chapters")
    assert "<h2>Chapters in this book</h2>" in chapters
    titles = re.findall(r'<a href="/h/[^"]*">([^<]*)</a>', chapters)
    assert titles == [
        "&lt;script&gt;alert(&quot;chapter&quot;)&lt;/script&gt; &amp; &quot;Trade&quot;",  # escaped
        "Zeta, the first chapter",
        "Renamed chapter",  # named by its old handle
        "Alpha, another one",  # named only by their In-Book: by title
        "Omega, a chapter the book does not list",
    ]
    assert "<script>alert" not in page
    assert "Elsewhere" not in page
    assert "A paper" not in page
    assert "all the chapters" not in page
    assert 'id="in-book"' not in page


@pytest.mark.parametrize("code", ["chapts:1", "chapts:2", "chapts:3", "chapts:5"])
def test_a_chapters_page_links_its_book_whichever_record_names_the_other(client, book, code):
    page = text_of(client.get(item(code).get_absolute_url()))
    in_book = section(page, "in-book")
    assert "In the book: Ed Editor" in in_book
    assert f'<a href="{book.get_absolute_url()}">Essays on trade</a>' in in_book
    assert 'id="chapters"' not in page


def test_other_pages_read_no_parts(client, book, django_assert_max_num_queries):
    url = item("wpaper:1").get_absolute_url()
    with django_assert_max_num_queries(11):
        page = text_of(client.get(url))
    assert 'id="chapters"' not in page
    assert 'id="in-book"' not in page
    page = text_of(client.get(item("chapts:9").get_absolute_url()))  # its book is not imported
    assert 'id="in-book"' not in page


@pytest.mark.parametrize("n", [2, 20])
def test_the_books_page_takes_the_same_queries_whatever_its_chapters(client, n, django_assert_max_num_queries):
    names = [f"HasChapter: RePEc:abc:chapts:{k}" for k in range(n)]
    import_text(
        template("Book", "bookss:n", "Many chapters", *names)
        + "".join(template("Chapter", f"chapts:{k}", f"Chapter {k}", author=f"Author {k}") for k in range(n))
    )
    book_url, chapter_url = item("bookss:n").get_absolute_url(), item("chapts:0").get_absolute_url()
    with django_assert_max_num_queries(12):
        page = text_of(client.get(book_url))
    assert len(re.findall(r"<li>", section(page, "chapters"))) == n
    assert all(f"Author {k}" in page for k in range(n))  # their authors, read with query 11
    with django_assert_max_num_queries(12):
        page = text_of(client.get(chapter_url))
    assert "In the book:" in page


def test_a_book_with_many_chapters_lists_50_and_links_them_all(client, settings):
    names = [f"HasChapter: RePEc:abc:chapts:{k:02d}" for k in range(53)]
    import_text(
        template("Book", "bookss:big", "A handbook", *names)
        + "".join(template("Chapter", f"chapts:{k:02d}", f"Handbook chapter {k:02d}") for k in range(53))
    )
    handbook = item("bookss:big")
    page = text_of(client.get(handbook.get_absolute_url()))
    chapters = section(page, "chapters")
    assert chapters.count("<li>") == 50
    assert "Handbook chapter 49" in chapters
    assert "Handbook chapter 50" not in chapters
    url = handbook.get_chapters_url()
    assert url == "/chapters/b/abc/bookss/big.html"
    assert f'<a href="{url}">all the chapters</a>' in chapters
    page = text_of(client.get(url))
    assert "53 chapters, page 1 of 2" in page
    assert page.count("Handbook chapter") == 50
    page = text_of(client.get(f"{url}?page=2"))
    assert re.findall(r"Handbook chapter (\d+)", page) == ["50", "51", "52"]
    assert client.get("/chapters/b/ABC/bookss/big.html").status_code == 301  # another spelling
    response = client.get(item("chapts:01").get_chapters_url())
    assert response.status_code == 404
    assert "is not a book" in response.content.decode()
    assert client.get("/chapters/b/abc/bookss/nothing.html").status_code == 404


@NEEDS_VNU
def test_the_book_and_chapter_pages_are_valid_html(client, book, tmp_path):
    documents = {code: client.get(item(code).get_absolute_url()).content for code in ("bookss:1", "chapts:2")}
    documents["chapters"] = client.get(book.get_chapters_url()).content
    errors = vnu_errors(documents, tmp_path)
    assert errors == [], "\n".join(errors)
