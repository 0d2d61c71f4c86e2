"""A new author, in a real browser on the demo catalogue: signs up, confirms the address by
the link in the e-mail, creates a profile, claims the seed item, confirms a citation the
matcher was unsure about, and sees it on the item page."""

import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "/p/ipt/iptwpa/jrc108028.html"
SEED_TITLE = "Implementing smart specialisation - thematic platform on industrial modernisation"
CITING = "RePEc:are:journl:v:9:y:2023:i:1:n:5"


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)
    return live_server


def test_new_author_claims_the_seed_item_and_confirms_a_citation(page, demo, mailoutbox):
    from catalogue.models import Item

    citing_title = Item.objects.get(handle=CITING).title
    page.goto(f"{demo.url}{SEED}")
    assert citing_title not in page.locator("#cited-by").inner_text()

    page.get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label("Email").fill("fatime.hegyi@example.org")
    page.get_by_label("Password:", exact=True).fill("a long pass phrase 7")
    page.get_by_label("Password (again)").fill("a long pass phrase 7")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/me/$"))

    page.get_by_role("link", name="Create my author profile").click()
    page.get_by_label("First name").fill("Fatime")
    page.get_by_label("Middle name").fill("Barbara")
    page.get_by_label("Family name").fill("Hegyi")
    page.locator("#id_affiliations-0-name").fill("Joint Research Centre")
    page.locator("#id_affiliations-0-share").fill("100")
    page.get_by_role("button", name="Create my profile").click()
    page.wait_for_url(re.compile(r"/me/works/$"))
    assert "Your profile ph" in page.locator("ul.messages").inner_text()

    suggestion = page.locator("#suggestions li", has_text=SEED_TITLE)
    suggestion.get_by_role("button", name="I am Fatime Barbara Hegyi").click()
    page.wait_for_url(re.compile(r"/me/works/$"))
    assert SEED_TITLE in page.locator("#claimed").inner_text()

    page.get_by_role("link", name="1 citation to check").click()
    row = page.locator("table.pending tr", has_text=citing_title)
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Confirm selected").click()
    assert "Confirmed 1 citation." in page.locator("ul.messages").inner_text()
    assert page.get_by_role("link", name="1 citation to check").count() == 0

    page.goto(f"{demo.url}{SEED}")
    assert citing_title in page.locator("#cited-by").inner_text()
    author = page.locator(".authors a", has_text="Fatime Barbara Hegyi")
    assert author.count() >= 1
