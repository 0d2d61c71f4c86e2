"""Breadcrumbs: built in catalogue.pages.breadcrumbs, printed by the one partial _breadcrumbs.html."""

import re

import pytest
from django.template.loader import render_to_string

from catalogue.pages import breadcrumbs

pytestmark = pytest.mark.django_db

LONG_TITLE = "Smart specialisation strategies and the entrepreneurial discovery process in Europe"


@pytest.fixture
def item(item_factory):
    return item_factory(
        series__archive__code="ipt",
        series__archive__name="JRC",
        series__code="iptwpa",
        series__name="JRC Reports",
        slug="jrc1",
        title=LONG_TITLE,
    )


def crumbs(page: str) -> str:
    nav = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumbs">(.*?)</nav>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", nav.group(1)).split()) if nav else ""


def test_an_items_sub_page_trail_links_every_step_and_cuts_the_title(item):
    trail = breadcrumbs.for_item(item, "Statistics")
    assert trail == [
        ("Home", "/"),
        ("Archives", "/s/"),
        ("JRC", "/s/ipt.html"),
        ("JRC Reports", "/s/ipt/iptwpa.html"),
        ("Smart specialisation strategies and the entrepreneurial dis…", "/p/ipt/iptwpa/jrc1.html"),
        ("Statistics", None),
    ]
    assert len(trail[-2][0]) == breadcrumbs.TITLE_LENGTH


def test_a_trail_without_here_ends_with_a_link(item):
    assert breadcrumbs.for_series(item.series)[-1] == ("JRC Reports", "/s/ipt/iptwpa.html")
    assert breadcrumbs.trail(here="Search") == [("Home", "/"), ("Search", None)]


def test_the_partial_links_each_step_and_marks_only_the_current_page():
    html = render_to_string("_breadcrumbs.html", {"breadcrumbs": [("Home", "/"), ("A & B", "/a/"), ("Here", None)]})
    html = " ".join(html.split())  # the current page's tag is written over two lines
    assert '<a href="/">Home</a> › <a href="/a/">A &amp; B</a> › <span aria-current="page">Here</span>' in html
    assert html.count("aria-current") == 1
    assert html.count("›") == 2
    assert render_to_string("_breadcrumbs.html", {"breadcrumbs": []}).strip() == ""


def test_the_item_page_trail_ends_at_its_series(client, item):
    page = client.get(item.get_absolute_url()).content.decode()
    assert crumbs(page) == "Home › Archives › JRC › JRC Reports"
    assert 'aria-current="page"' not in page


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/stats/s/ipt/iptwpa.html", "Home › Archives › JRC › JRC Reports › Statistics"),
        ("/stats/top/items.html", "Home › Top items"),
        ("/stats/top/authors.html", "Home › Top authors"),
        ("/search/?q=smart", "Home › Search"),
    ],
)
def test_pages_print_their_trail(client, item, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert crumbs(response.content.decode()) == expected


def test_person_statistics_and_report_forms(client, item, person_factory, django_user_model):
    person_factory(short_id="pra1", name_full="Ana Pérez")
    assert crumbs(client.get("/stats/e/pra1.html").content.decode()) == "Home › Ana Pérez › Statistics"
    client.force_login(django_user_model.objects.create_user("reader", "reader@example.org", "pw"))
    form = client.get(f"/citations/report/cites/{item.pk}/").content.decode()
    title = "Smart specialisation strategies and the entrepreneurial dis…"
    assert crumbs(form) == f"Home › Archives › JRC › JRC Reports › {title} › Report a missing citation"
    assert crumbs(client.get("/me/bibliography/").content.decode()) == "Home › My bibliography"
