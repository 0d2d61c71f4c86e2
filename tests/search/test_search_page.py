"""Search at /search/ through the test client, on whichever backend the suite runs on
(SQLite FTS5 locally, PostgreSQL full-text in CI: both must behave the same)."""

import html
import re

import pytest

from catalogue.models import MonthlyStat
from catalogue.search import engine
from catalogue.search.indexing import rebuild

pytestmark = pytest.mark.django_db


def results(response) -> list[str]:
    """The titles listed, in order."""
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    listed = re.search(r'<ol class="items"[^>]*>(.*?)</ol>', body, re.S)
    return (
        [html.unescape(t) for t in re.findall(r'<a href="/[pa]/[^"]+">([^<]+)</a>', listed.group(1))] if listed else []
    )


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def catalogue(
    series_factory,
    item_factory,
    authorship_factory,
    keyword_factory,
    item_keyword_factory,
    jel_code_factory,
    nep_announcement_factory,
    file_factory,
    person_factory,
):
    """Four items; `innovation` is in A's and C's titles, D's keywords and B's abstract only."""
    papers = series_factory(archive__code="ipt", code="iptwpa", name="JRC Research Reports")
    journal = series_factory(archive__code="eee", code="respol", name="Research Policy", kind="article")
    a = item_factory(
        series=papers,
        title="Smart specialisation and regional innovation",
        abstract="Regions choose priorities.",
        year=2017,
        citation_count=3,
    )
    b = item_factory(
        series=journal,
        kind="article",
        title="Trade policy in Europe",
        abstract="We discuss innovation in passing.",
        year=2010,
        citation_count=10,
    )
    c = item_factory(series=papers, title="Innovations in banking", abstract="Banks and money.", year=1995)
    d = item_factory(series=papers, title="Labour markets", abstract="Wages and jobs.", year=2020, citation_count=1)
    person = person_factory(short_id="pra123", name_full="Ruslan Rakhmatullin")
    authorship_factory(item=a, name="Ruslan Rakhmatullin", person=person)
    authorship_factory(item=a, name="Fatime Barbara Hegyi")
    authorship_factory(item=c, name="Jens Sörvik")
    authorship_factory(item=b, name="Anna Smith")
    item_keyword_factory(item=a, keyword=keyword_factory(name="Smart specialisation"))
    item_keyword_factory(item=d, keyword=keyword_factory(name="Innovation policy"))
    a.jel_codes.add(jel_code_factory(code="O31"), jel_code_factory(code="R11", name="Regional Economic Activity"))
    c.jel_codes.add(jel_code_factory(code="G21", name="Banks"))
    nep_announcement_factory(item=a, issue__report__code="nep-ino", position=1)
    file_factory(item=a, restriction="")
    file_factory(item=b, restriction="Subscription required")
    MonthlyStat.objects.create(item=d, month="2026-01-01", downloads=50)
    MonthlyStat.objects.create(item=c, month="2026-01-01", downloads=20)
    rebuild()
    return {"A": a.title, "B": b.title, "C": c.title, "D": d.title}


def test_title_weighs_most_then_keywords_then_abstract(client, catalogue):
    found = results(client.get("/search/", {"q": "innovation"}))
    assert set(found[:2]) == {catalogue["A"], catalogue["C"]}  # title ("innovations" is stemmed)
    assert found[2:] == [catalogue["D"], catalogue["B"]]  # keyword, then abstract


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Rakhmatullin", ["A"]),  # an author's surname
        ("sorvik", ["C"]),  # diacritics folded: Sörvik
        ('"regional innovation"', ["A"]),  # a phrase
        ('"innovation regional"', []),  # words in another order are not the phrase
        ("banking OR trade", ["B", "C"]),
        ("innovation -banking -trade", ["A", "D"]),
        ("innovation -passing", ["A", "C", "D"]),
        ("SMART Specialisation", ["A"]),
        ("zzyzx", []),
    ],
)
def test_query_syntax(client, catalogue, q, expected):
    found = results(client.get("/search/", {"q": q}))
    assert sorted(found) == sorted(catalogue[k] for k in expected)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "a"}, ["B"]),
        ({"year_from": "2015", "year_to": "2018"}, ["A"]),
        ({"year_to": "2000"}, ["C"]),
        ({"jel": "O3"}, ["A"]),  # a prefix: O3 finds O31
        ({"jel": "o"}, ["A"]),
        ({"jel": "G21"}, ["C"]),
        ({"archive": "EEE"}, ["B"]),
        ({"series": "ipt:iptwpa"}, ["A", "C", "D"]),
        ({"keyword": "smart  SPECIALISATION"}, ["A"]),
        ({"nep": "nep-ino"}, ["A"]),
        ({"author": "pra123"}, ["A"]),
        ({"free": "on"}, ["A"]),
    ],
)
def test_filters_with_and_without_words(client, catalogue, params, expected):
    assert sorted(results(client.get("/search/", params))) == sorted(catalogue[k] for k in expected)
    with_words = results(client.get("/search/", {"q": "innovation", **params}))
    assert sorted(with_words) == sorted(catalogue[k] for k in expected if k in "ABCD")


def test_keywords_combine(client, catalogue):
    both = {"keyword": ["Smart specialisation", "Innovation policy"]}
    assert results(client.get("/search/", both)) == []
    assert "No results" in page(client.get("/search/", both))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["D", "A", "B", "C"]),
        ("cited", ["B", "A", "D", "C"]),
        ("downloads", ["D", "C"]),  # then the two without downloads, newest id first
    ],
)
def test_sorting(client, catalogue, sort, expected):
    found = results(client.get("/search/", {"q": "innovation", "sort": sort}))
    assert found[: len(expected)] == [catalogue[k] for k in expected]


def test_facets_count_and_link(client, catalogue):
    response = client.get("/search/", {"q": "innovation"})
    text = page(response)
    assert "Results 1–4 of 4 for innovation" in text
    assert "Working paper 3" in text
    assert "Journal article 1" in text
    assert "2010s 2" in text
    assert "2020s 1" in text
    assert "1990s 1" in text
    assert "O: Economic Development, Innovation, Technological Change, and Growth 1" in text
    assert "R: Urban, Rural, Regional, Real Estate, and Transportation Economics 1" in text
    assert "G: Financial Economics 1" in text
    body = response.content.decode()
    assert 'href="?q=innovation&amp;type=a"' in body
    assert 'href="?q=innovation&amp;year_from=2010&amp;year_to=2019"' in body
    assert results(client.get("/search/?q=innovation&type=a")) == [catalogue["B"]]


def test_active_filters_can_be_removed(client, catalogue):
    response = client.get("/search/", {"q": "innovation", "type": "p", "keyword": ["Innovation policy"]})
    assert results(response) == [catalogue["D"]]
    body = response.content.decode()
    assert 'href="?q=innovation&amp;keyword=Innovation+policy"' in body  # remove the type
    assert 'href="?q=innovation&amp;type=p"' in body  # remove the keyword


@pytest.fixture
def many(series_factory, item_factory, authorship_factory):
    series = series_factory(archive__code="abc", code="growth")
    for i in range(45):
        item = item_factory(series=series, title=f"Growth paper {i}", year=1980 + i % 40, citation_count=i)
        for position in range(3):
            authorship_factory(item=item, position=position)
    rebuild()


def test_pages_are_stable_and_shareable(client, many):
    first = client.get("/search/", {"q": "growth", "sort": "cited"})
    assert results(first)[:2] == ["Growth paper 44", "Growth paper 43"]
    assert len(results(first)) == 20
    assert 'href="?q=growth&amp;sort=cited&amp;page=2"' in first.content.decode()
    third = client.get("/search/", {"q": "growth", "sort": "cited", "page": "3"})
    assert results(third) == [f"Growth paper {i}" for i in range(4, -1, -1)]
    assert "Results 41–45 of 45" in page(third)
    assert "Page 3 of 3" in page(third)
    beyond = page(client.get("/search/", {"q": "growth", "page": "99"}))
    assert "There are only 3 pages of results" in beyond
    assert results(client.get("/search/", {"q": "growth", "page": "abc"})) == results(
        client.get("/search/", {"q": "growth"})
    )


def test_large_result_sets_are_estimated_and_say_so(client, many, monkeypatch, django_assert_num_queries):
    # the "samples" are everything, so that the estimates are exact here
    monkeypatch.setattr(engine, "SMALL_SAMPLE_BELOW", 100)
    monkeypatch.setattr(engine, "SAMPLE_BELOW", 100)
    monkeypatch.setattr(engine, "EXACT_UP_TO", 10)
    with django_assert_num_queries(
        7
    ):  # the small sample, then the large one (+ 2 candidate lists, rank, items, authors)
        text = page(client.get("/search/", {"q": "growth"}))
    assert "Results 1–20 of about 45 for growth" in text
    assert "estimated from a 100% sample" in text
    # predicting many matches, the small sample alone is the estimate
    monkeypatch.setattr(engine, "SMALL_SAMPLE_FROM", 40)
    with django_assert_num_queries(6):
        assert "Results 1–20 of about 45 for growth" in page(client.get("/search/", {"q": "growth"}))
    # predicting few, every match is counted
    monkeypatch.setattr(engine, "SMALL_SAMPLE_FROM", 1000)
    monkeypatch.setattr(engine, "EXACT_UP_TO", 50)
    text = page(client.get("/search/", {"q": "growth"}))
    assert "Results 1–20 of 45 for growth" in text
    assert "estimated" not in text


@pytest.mark.parametrize("sort", ["relevance", "cited"])
def test_constant_queries_whatever_the_number_of_results(client, many, django_assert_max_num_queries, sort):
    # count + facets + (relevance: 2 candidate lists + ranked page | other sorts: the page) + items + authors
    with django_assert_max_num_queries(7):
        assert len(results(client.get("/search/", {"q": "growth", "sort": sort}))) == 20
    with django_assert_max_num_queries(7):
        assert len(results(client.get("/search/", {"q": "paper 7", "sort": sort}))) == 1


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({}, "How to search"),
        ({"q": ""}, "How to search"),
        ({"q": "the of and"}, "Left out as too common: the, of, and."),
        ({"q": "-growth"}, "A query needs at least one word to look for"),
        ({"q": "!!! ??? ***"}, "How to search"),
        ({"q": "growth " * 2000}, "Only the first 500 characters"),
        ({"q": "x" * 30000}, "Only the first 500 characters"),
        ({"year_from": "abc"}, "Enter a number."),
        ({"year_from": "2020", "year_to": "2010"}, "The last year comes before the first."),
        ({"jel": "O3X"}, "A JEL code is a letter and up to two digits"),
        ({"series": "nothing"}, "No series has this code"),
        ({"archive": "zzz"}, "Select a valid choice"),
        ({"sort": "sideways", "q": "growth"}, "Select a valid choice"),
        ({"q": "qqqzzz growth"}, "No results for qqqzzz growth"),
    ],
)
def test_empty_absurd_and_enormous_queries_get_a_clear_page(client, many, params, says):
    assert says in page(client.get("/search/", params))


def test_nothing_found_suggests_wider_searches(client, many):
    response = client.get("/search/", {"q": "qqqzzz growth", "type": "a"})
    body = response.content.decode()
    assert 'href="?q=qqqzzz+growth"' in body  # without the filters
    assert 'href="?q=qqqzzz+OR+growth&amp;type=a"' in body  # any of the words


def test_the_query_is_escaped(client, many):
    body = client.get("/search/", {"q": '<script>alert("x")</script> growth'}).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
