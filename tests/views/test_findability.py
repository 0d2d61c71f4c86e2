"""Finding one's way (issue 18, item 7): a browse menu on every page, the full citing-items page
linked from the item, visible feed links, About / Help / Contact, a favicon, series under year
headings (tests/browse), and an A to Z directory of registered authors."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SEED = "/p/ipt/iptwpa/jrc108028.html"
PAGES = [
    "/",
    SEED,
    "/search/?q=growth",
    "/s/",
    "/s/ipt/iptwpa.html",
    "/e/pra123.html",
    "/j/",
    "/n/",
    "/about/",
    "/i/ea.html",
]


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def hrefs(html: str, label: str) -> list[str]:
    block = html.split(f'aria-label="{label}"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', block)


def test_every_page_has_the_browse_menu_the_footer_links_and_a_favicon(demo, client):
    for address in PAGES:
        html = client.get(address).content.decode()
        assert hrefs(html, "Browse") == ["/s/", "/j/", "/n/", "/e/", "/stats/top/items.html", "/search/"], address
        assert hrefs(html, "About this site") == [
            "/about/",
            "/help/",
            "/contact/",
            "/data/",
            "/api/v1/docs",
            "/oai?verb=Identify",
        ], address
        assert re.search(r'<link rel="icon" href="/static/favicon[^"]*\.svg"', html), address
    assert (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text().startswith("<svg")
    for address in ("/s/", "/j/", "/n/", "/e/", "/stats/top/items.html", "/about/", "/help/", "/contact/"):
        assert client.get(address, follow=True).status_code == 200, address


def test_the_item_page_links_its_citing_items_page_and_its_feeds(demo, client):
    html = client.get(SEED).content.decode()
    assert '<a href="/citations/p/ipt/iptwpa/jrc108028.html">All 3 citing items</a>' in html
    visible = html.split('<p class="subscribe">', 1)[1].split("</p>", 1)[0]
    assert 'href="/feeds/citations/RePEc:ipt:iptwpa:jrc108028.xml"' in visible
    assert 'href="/feeds/citations/RePEc:ipt:iptwpa:jrc108028.atom"' in visible
    corrections = html.split('id="corrections"', 1)[1]
    assert '<a href="/accounts/signup/">registering</a>' in corrections
    assert 'href="/help/#corrections"' in corrections


@pytest.mark.parametrize("address", ["/s/ipt/iptwpa.html", "/e/pra123.html"])
def test_series_and_author_pages_show_their_feeds(demo, client, address):
    html = client.get(address).content.decode()
    assert html.count('<p class="subscribe">') == 1
    assert ".atom" in html.split('<p class="subscribe">', 1)[1].split("</p>", 1)[0]


def test_the_contact_page_gives_the_sites_address(client, settings):
    settings.CONTACT_EMAIL = "editors@econcat.example.org"
    html = client.get("/contact/").content.decode()
    assert '<a href="mailto:editors@econcat.example.org">editors@econcat.example.org</a>' in html


@pytest.mark.parametrize("n", [1, 40])
def test_the_authors_directory_by_letter_in_constant_queries(client, person_factory, django_assert_max_num_queries, n):
    for i in range(n):
        person_factory(name_first=f"Ann{i:03d}", name_last=f"Baker{i:03d}", name_full=f"Ann{i:03d} Baker{i:03d}")
    person_factory(name_first="Zoe", name_last="zeller", name_full="Zoe zeller")  # any case
    person_factory(name_first="Åsa", name_last="Öberg", name_full="Åsa Öberg")
    assert client.get("/e/")["Location"] == "/i/ea.html"
    with django_assert_max_num_queries(3):
        html = client.get("/i/eb.html").content.decode()
    names = re.findall(r">(Ann\d+ Baker\d+)</a>", html)
    assert names == [f"Ann{i:03d} Baker{i:03d}" for i in range(n)]
    assert "Zoe zeller" in client.get("/i/ez.html").content.decode()
    assert "Åsa Öberg" in client.get("/i/e_.html").content.decode()
    assert "Åsa Öberg" not in client.get("/i/ea.html").content.decode()
    assert client.get("/i/e1.html").status_code == 404
    assert client.get("/i/eb.html?page=99").status_code == 404
