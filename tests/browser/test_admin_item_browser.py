"""The publishers' item change page fits a 1,280-pixel window (issue 18, item 14): it was 2,604
pixels wide (the inline rows), and the title box cut the title off."""

import pytest
from django.core.management import call_command

from catalogue.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings):
    settings.DEBUG = True  # load_demo makes the demo's staff accounts only with DEBUG on
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False
    return live_server


def test_the_item_change_page_fits_the_window_and_shows_the_whole_title(page, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo.url}/admin/")
    page.get_by_label("Username").fill("publisher")
    page.get_by_label("Password").fill("demo-publisher-pass")
    page.get_by_role("button", name="Log in").click()
    seed = Item.objects.get(handle="RePEc:ipt:iptwpa:jrc108028")
    page.goto(f"{demo.url}/admin/catalogue/item/{seed.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    title = page.locator("#id_title")
    assert title.input_value() == seed.title
    # the whole title is in view: the box is not scrolled sideways and holds it without clipping
    assert page.evaluate(
        "(() => { const t = document.getElementById('id_title'); return t.scrollWidth <= t.clientWidth "
        "&& t.scrollHeight <= t.clientHeight + 2; })()"
    )
