"""'Cite this item': links on the item page, every style on /cite/<handle>.html, and each style as
plain text at /cite/<handle>.txt?style=."""

import html

import pytest
from django.core.management import call_command

from catalogue.formatting.styles import STYLES
from catalogue.models import HandleAlias, Item

pytestmark = pytest.mark.django_db

SEED = "RePEc:ipt:iptwpa:jrc108028"
PAGE = "/p/ipt/iptwpa/jrc108028.html"
APA = (
    "Hegyi, F. B., & Rakhmatullin, R. (2017). Implementing smart specialisation - thematic platform on industrial "
    "modernisation (Working Paper No. JRC108028; JRC Research Reports). Joint Research Centre (Seville site). "
    f"http://testserver{PAGE}"
)


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return Item.objects.get(handle=SEED)


CITE = f"/cite/{SEED}.html"


def section(response) -> str:
    content = response.content.decode()
    start = content.index('<section id="cite">')
    return content[start : content.index("</section>", start)]


def styles_list(response) -> str:
    content = response.content.decode()
    start = content.index('<dl class="cite-styles">')
    return content[start : content.index("</dl>", start)]


def test_the_item_page_links_every_style_and_renders_none(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):  # the page's 11 queries (tests/pages/test_item_page.py)
        response = client.get(PAGE)
    cite = section(response)
    assert "<h2>Cite this item</h2>" in cite
    for style in STYLES.values():
        assert f'<a href="{CITE}#{style.key}">{style.label}</a>' in cite
    assert "Hegyi, F. B." not in cite  # rendered on its own page only: citeproc is slow (D30)


def test_the_cite_page_shows_every_style_with_its_plain_text(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as cold:  # the item, authorships, keywords, JEL codes, files, session
        response = client.get(CITE)
    assert response.status_code == 200
    cite = styles_list(response)
    for style in STYLES.values():
        assert f'<dt id="{style.key}">{style.label} · <a' in cite
        assert f'href="/cite/{SEED}.txt?style={style.key}" download' in cite
    assert (
        "Hegyi, F. B., &amp; Rakhmatullin, R. (2017). <i>Implementing smart specialisation - thematic platform on "
        "industrial modernisation</i> (Working Paper No. JRC108028" in cite
    )
    with django_assert_max_num_queries(len(cold.captured_queries)):  # again, the references from the cache
        assert styles_list(client.get(CITE)) == cite


def test_an_old_handle_of_the_cite_page_redirects(client, demo):
    HandleAlias.objects.create(item=demo, handle="RePEc:ipt:iptwpa:old-2")
    response = client.get("/cite/RePEc:ipt:iptwpa:old-2.html")
    assert response.status_code == 301
    assert response["Location"] == CITE
    assert client.get("/cite/RePEc:ipt:iptwpa:nothing.html").status_code == 404


def test_a_hostile_title_is_escaped_on_the_page(client, demo):
    Item.objects.filter(pk=demo.pk).update(title='<script>alert("x")</script> & more')
    content = client.get(CITE).content.decode()
    assert "<script>alert" not in content
    assert html.unescape(styles_list(client.get(CITE))).count('<script>alert("x")</script>') == len(STYLES)


def test_each_style_as_plain_text(client, demo):
    response = client.get(f"/cite/{SEED}.txt?style=apa")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="RePEc_ipt_iptwpa_jrc108028.apa.txt"'
    assert response.content.decode() == APA + "\n"
    ideas = client.get(f"/cite/{SEED}.txt?style=ideas").content.decode()
    assert ideas.startswith('Fatime Barbara Hegyi & Ruslan Rakhmatullin, 2017. "Implementing smart')
    assert ideas.count("\n") == 1  # the reference alone; without a style, the export adds handle and address
    assert client.get(f"/cite/{SEED}.txt").content.decode().count("\n") == 3


@pytest.mark.parametrize(
    "address",
    [
        f"/cite/{SEED}.txt?style=mla",
        f"/cite/{SEED}.txt?style=",
        f"/cite/{SEED}.bib?style=apa",
        f"/cite/{SEED}.txt?style=<script>alert(1)</script>",
    ],
)
def test_a_style_that_is_not_there_is_a_404_that_says_so(client, demo, address):
    response = client.get(address)
    assert response.status_code == 404
    assert "There is no citation style" in html.unescape(response.content.decode())
    assert "ideas, apa, chicago, harvard, qje" in response.content.decode()
    assert "<script>alert" not in response.content.decode()


def test_an_old_handle_redirects_with_its_style(client, demo):
    HandleAlias.objects.create(item=demo, handle="RePEc:ipt:iptwpa:old-1")
    response = client.get("/cite/RePEc:ipt:iptwpa:old-1.txt?style=harvard")
    assert response.status_code == 301
    assert response["Location"] == f"/cite/{SEED}.txt?style=harvard"
