"""A publisher signs in to the admin in a real browser, corrects a title of their own archive's
item, and the public page shows it on the very next request, with the date of the correction."""

import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "/p/ipt/iptwpa/jrc108028.html"
CORRECTED = "Implementing smart specialisation: the thematic platform on industrial modernisation"


@pytest.fixture
def demo(live_server, settings):
    settings.DEBUG = True  # the demo's accounts are made in DEBUG only
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False
    return live_server


def test_publisher_corrects_a_title_and_the_public_page_shows_it(page, demo):
    from catalogue.models import Item

    page.goto(f"{demo.url}/admin/")
    page.get_by_label("Username").fill("publisher")
    page.get_by_label("Password").fill("demo-publisher-pass")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    seed = Item.objects.get(handle="RePEc:ipt:iptwpa:jrc108028")
    page.goto(f"{demo.url}/admin/catalogue/item/{seed.pk}/change/")
    page.locator("#id_title").fill(CORRECTED)
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/catalogue/item/"))
    assert page.locator(".messagelist").inner_text().count("was changed successfully") == 1

    page.goto(f"{demo.url}{SEED}")
    assert page.locator("h1#title").inner_text() == CORRECTED
    assert "Last corrected on" in page.locator("#corrections").inner_text()
    # the change is on record, with who made it
    history = page.request.get(f"{demo.url}/admin/catalogue/item/{seed.pk}/history/")
    assert history.ok
    assert "publisher" in history.text()

    # another archive's item is out of reach
    other = Item.objects.exclude(series__archive__code="ipt").first()
    response = page.request.get(f"{demo.url}/admin/catalogue/item/{other.pk}/change/")
    assert other.title not in response.text()
