"""The JEL tree with counts, and a code's page: its items and its sub-codes' items, parent, children."""

import html
import re

import pytest

from catalogue.browse.counts import refresh_counts
from catalogue.jel import JEL_NAMES, jel_name
from catalogue.models import JelCode

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_the_migration_loads_the_tree_with_names():
    assert JelCode.objects.get(code="O31").name == "Innovation and Invention: Processes and Incentives"
    assert JelCode.objects.get(code="O31").parent_id == "O3"
    assert JelCode.objects.get(code="O").parent_id is None
    assert not JelCode.objects.filter(name="").exists()
    assert JelCode.objects.get(code="G5").name == "Household Finance"
    assert set(JEL_NAMES) <= set(JelCode.objects.values_list("code", flat=True))
    categories = {code for code in JEL_NAMES if len(code) == 2}
    assert {code[:2] for code in JEL_NAMES if len(code) == 3} <= categories  # every fine code has its category


def test_the_whole_classification_is_loaded():
    """Issue 18: 299 codes, and the seed's O25 had no name."""
    assert JelCode.objects.get(code="O25").name == "Industrial Policy"
    assert JelCode.objects.filter(code__regex=r"^[A-Z][0-9]{2}$").count() >= 850
    for code, name in [
        ("A11", "Role of Economics; Role of Economists; Market for Economists"),
        ("C45", "Neural Networks and Related Topics"),
        ("D15", "Intertemporal Household Choice; Life Cycle Models and Saving"),
        ("E71", "Role and Effects of Psychological, Emotional, Social, and Cognitive Factors on the Macro Economy"),
        ("J83", "Workers' Rights"),
        ("N34", "Europe: 1913-"),
        ("Q55", "Technological Innovation"),
        ("Z32", "Tourism and Development"),
    ]:
        assert JelCode.objects.get(code=code).name == name, code
    assert JelCode.objects.get(code="B00").parent_id == "B0"


def test_jel_names_for_codes_outside_the_table():
    assert jel_name("o31") == "Innovation and Invention: Processes and Incentives"
    assert jel_name("O30") == "General"
    assert jel_name("O39") == "Other"
    assert jel_name("Q99") == "Other"
    assert jel_name("X12") == ""


@pytest.mark.parametrize("n", [1, 60])
def test_code_page_includes_sub_codes_in_constant_queries(
    client, series_factory, item_factory, authorship_factory, django_assert_max_num_queries, n
):
    series = series_factory()
    for i in range(n):
        item = item_factory(series=series, title=f"Innovation paper {i:03d}")
        item.jel_codes.add("O31", "O32")  # counted and listed once under O3
        authorship_factory(item=item, position=0)
    item_factory(series=series, title="Growth paper").jel_codes.add("O41")
    refresh_counts()
    # the code with its ancestors and sub-codes + a page of ids + items + authorships = 4
    with django_assert_max_num_queries(4):
        page = page_of(client.get("/j/O3.html"))
    assert "<h1>JEL O3: Innovation; Research and Development" in page
    assert page.count("Innovation paper") == min(n, 50)
    assert "Growth paper" not in page
    assert f"{n} item{'s' if n > 1 else ''}" in page
    assert "O31</a> Innovation and Invention: Processes and Incentives (" + str(n) + ")" in page
    assert 'Part of <a href="/j/O.html">O: Economic Development' in page
    nav = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", nav).startswith("Home › JEL classification › O › JEL O3")
    assert f"{n + 1} item" in page_of(client.get("/j/O.html"))
    with django_assert_max_num_queries(4):
        leaf = page_of(client.get("/j/O31.html"))
    assert leaf.count("Innovation paper") == min(n, 50)
    assert "Sub-codes" not in leaf
    assert 'Part of <a href="/j/O3.html">O3: Innovation' in leaf


def test_code_addresses(client):
    response = client.get("/j/o31.html")
    assert response.status_code == 301
    assert response.url == "/j/O31.html"
    for bad in ["/j/ZZZ.html", "/j/O3%3B.html", "/j/O3111.html"]:
        response = client.get(bad)
        assert response.status_code == 404, bad
        assert "see the classification at /j/" in html.unescape(response.content.decode())
    page = page_of(client.get("/j/O31.html"))
    assert '<link rel="canonical" href="http://testserver/j/O31.html">' in page
    assert "0 items" in page


def test_tree_lists_every_code_with_counts_in_constant_queries(client, item_factory, django_assert_max_num_queries):
    for _ in range(3):
        item_factory().jel_codes.add("E52")
    refresh_counts()
    # count + the codes = 2
    with django_assert_max_num_queries(2):
        page = page_of(client.get("/j/"))
    assert "<h1>JEL classification</h1>" in page
    assert "E52</a> Monetary Policy (3)" in page
    assert "E</a> Macroeconomics and Monetary Economics (3)" in page
    assert page.count('<li class="jel-level-') == JelCode.objects.count()
    assert f"{JelCode.objects.count():,} codes" in page
