"""A registered author's page: affiliations, works by type with citations, h-index, co-authors."""

import html

import pytest

from catalogue.pages.author import Coauthor, coauthors, h_index

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("citations", "h"),
    [([], 0), ([0, 0], 0), ([1], 1), ([10], 1), ([3, 3, 3], 3), ([5, 4, 3, 2, 1], 3), ([25, 8, 5, 3, 3], 3)],
)
def test_h_index(citations, h):
    assert h_index(citations) == h


def test_coauthors_group_registered_people_and_spellings():
    rows = [
        (1, "Hegyi, Fatime", "phe1", "Fatime Barbara Hegyi"),
        (2, "F. B. Hegyi", "phe1", "Fatime Barbara Hegyi"),
        (1, "John Smith", None, None),
        (3, "john  SMITH", None, None),
        (3, "Ann Other", None, None),
    ]
    found, total = coauthors(rows, lambda short_id: f"/e/{short_id}.html")
    assert total == 3
    assert found == [
        Coauthor("Fatime Barbara Hegyi", "/e/phe1.html", 2),
        Coauthor("John Smith", None, 2),
        Coauthor("Ann Other", None, 1),
    ]
    assert coauthors(rows, str, limit=1)[0] == [Coauthor("Fatime Barbara Hegyi", "phe1", 2)]


def test_a_coauthor_who_claimed_some_joint_works_is_listed_once():
    """Issue 18: a registered co-author was listed twice, linked for the works they claimed and
    plain for the others."""
    rows = [
        (1, "Hegyi, Fatime Barbara", "phe1", "Fatime Barbara Hegyi"),  # claimed
        (2, "Fatime Barbara Hegyi", None, None),  # not claimed, written as registered
        (3, "Hegyi, Fatime Barbara", None, None),  # not claimed, written as on the claimed one
        (3, "Smith, John", None, None),
        (4, "John Smith", None, None),
    ]
    found, total = coauthors(rows, lambda short_id: f"/e/{short_id}.html")
    assert total == 2
    assert found == [Coauthor("Fatime Barbara Hegyi", "/e/phe1.html", 3), Coauthor("Smith, John", None, 2)]


@pytest.fixture
def author(person_factory):
    person = person_factory(short_id="pra123", name_full="Ruslan Rakhmatullin", homepage="https://ruslan.example.org")
    person.affiliations.create(position=0, name="Joint Research Centre", share=100)
    return person


@pytest.mark.parametrize("n", [1, 60])
def test_author_page_in_constant_queries(
    client,
    author,
    person_factory,
    series_factory,
    item_factory,
    authorship_factory,
    django_assert_max_num_queries,
    n,
):
    papers, journal = series_factory(), series_factory(kind="article")
    coauthor = person_factory(short_id="phe456", name_full="Fatime Barbara Hegyi")
    for i in range(n):
        item = item_factory(series=papers, title=f"Working paper {i:03d}", year=2000 + i % 10, citation_count=i)
        authorship_factory(item=item, position=0, person=author, name="Ruslan Rakhmatullin")
        authorship_factory(item=item, position=1, person=coauthor, name="Hegyi, F.")
        authorship_factory(item=item, position=2, name=f"Unregistered Person {i % 3}")
    article = item_factory(series=journal, title="A journal article", citation_count=7)
    authorship_factory(item=article, position=0, person=author, name="R. Rakhmatullin")
    item_factory(series=papers, title="Someone else's paper")
    # person + affiliations + works summary + a page of items + their authorships + co-authors = 6
    with django_assert_max_num_queries(6):
        page = page_of(client.get("/e/pra123.html"))
    assert "<h1>Ruslan Rakhmatullin</h1>" in page
    assert "Joint Research Centre (100%)" in page
    assert "Someone else's paper" not in page
    assert f"<h3>Working papers ({n})</h3>" in page
    assert f"<dd>Working papers: {n}; Journal articles: 1</dd>" in page
    assert ("<h3>Journal articles (1)</h3>" in page) == (n <= 50)
    citations = [*range(n), 7]
    assert f'<dd class="h-index">{h_index(citations)}</dd>' in page
    assert f'<dd class="citations">{sum(citations)}</dd>' in page
    assert f'<a href="/e/phe456.html" class="registered">Fatime Barbara Hegyi</a> ({n} work' in page
    assert "Unregistered Person 0 (" in page
    assert f"{n + 1} works" in page
    if n > 50:
        assert "page 1 of 2" in page
        assert "A journal article" not in page
        second = page_of(client.get("/e/pra123.html?page=2"))
        assert "A journal article" in second
        assert "<h3>Journal articles (1)</h3>" in second
        assert '<link rel="canonical" href="http://testserver/e/pra123.html?page=2">' in second


def test_author_addresses(client, author):
    assert client.get("/e/PRA123.html").status_code == 301
    page = page_of(client.get("/e/pra123.html"))
    assert "No works yet." in page
    assert "No co-authors." in page
    assert '<dd class="h-index">0</dd>' in page
    assert "Home › " in page.replace('<a href="/">Home</a>', "Home")
    assert client.get("/e/nobody.html").status_code == 404
