"""Every page type at 390 pixels wide, as on a phone (issue 18, item 5): the document is no wider
than the window (no sideways scrolling), and the statistics chart's labels are readable."""

import pytest
from django.core.management import call_command

from tests.demo_pages import PUBLIC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = PUBLIC_PAGES


# what sticks out, for the failure's message
WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391 && e.getClientRects().length)
  .slice(0, 5)
  .map(e => e.tagName + '.' + (e.className.baseVal ?? e.className) + ':'
       + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)
    return live_server


def test_no_page_is_wider_than_a_phone(page, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = {}
    for address in PAGES:
        page.goto(f"{demo.url}{address}")
        width = page.evaluate("document.documentElement.scrollWidth")
        sticking_out = page.evaluate(WIDEST)  # a box wider than the window inside one that hides it
        if width > 390 or sticking_out:
            too_wide[address] = (width, sticking_out)
    assert too_wide == {}


def test_the_chart_labels_are_readable_on_a_phone(page, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{demo.url}/stats/p/ipt/iptwpa/jrc108028.html")
    sizes = page.evaluate(
        """[...document.querySelectorAll('svg.stats-chart .month-ticks text')]
             .filter(t => getComputedStyle(t).display !== 'none')
             .map(t => t.getBoundingClientRect().height)"""
    )
    assert sizes
    assert min(sizes) >= 9  # pixels on the screen (the chart was drawn with 6-pixel labels)


def test_the_item_page_reads_well_on_a_phone(page, demo):
    """Issue 18: the File URL was squeezed into a column 14 lines tall and the abstract was
    justified into gaps."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{demo.url}/p/ipt/iptwpa/jrc108028.html")
    assert page.evaluate("getComputedStyle(document.querySelector('.abstract')).textAlign") != "justify"
    heights = page.evaluate(
        """[...document.querySelectorAll('dl.file dd')]
             .map(d => d.getBoundingClientRect().height / parseFloat(getComputedStyle(d).lineHeight || 20))"""
    )
    assert heights
    assert max(heights) <= 4  # lines, for the longest value (a file's address)
