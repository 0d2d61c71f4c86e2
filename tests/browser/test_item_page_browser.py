"""A reader opens the demo item page in a real browser and uses it."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)
    return live_server


def test_reader_opens_the_demo_item_and_follows_links(page, demo):
    page.goto(f"{demo.url}/p/ipt/iptwpa/jrc108028.html")
    assert page.title().startswith("Implementing smart specialisation")
    heading = page.locator("h1#title")
    assert heading.inner_text() == "Implementing smart specialisation - thematic platform on industrial modernisation"
    for section in [
        "Abstract",
        "Suggested Citation",
        "Download full text from publisher",
        "Citations",
        "Most related items",
        "More about this item",
        "Corrections",
    ]:
        assert page.get_by_role("heading", name=section).is_visible(), section
    # the full reference list is folded until asked for
    unmatched = page.locator("#full-references li").first
    assert not unmatched.is_visible()
    page.get_by_text("Full references (including those not matched").click()
    assert unmatched.is_visible()
    # the suggested citation is on screen as IDEAS writes it
    assert "Fatime Barbara Hegyi & Ruslan Rakhmatullin, 2017." in page.locator(".suggested").inner_text()
    # a citing item opens its own page, whose references lead back
    page.locator("#cited-by ol a").first.click()
    page.wait_for_load_state()
    assert not page.url.endswith("/p/ipt/iptwpa/jrc108028.html")
    page.locator("#references ol a", has_text="Implementing smart specialisation").first.click()
    assert page.url.endswith("/p/ipt/iptwpa/jrc108028.html")
    # a registered author's link opens the author's page
    page.get_by_role("link", name="Ruslan Rakhmatullin").first.click()
    assert page.url.endswith("/e/pra123.html")
    assert page.locator("h1").inner_text() == "Ruslan Rakhmatullin"
