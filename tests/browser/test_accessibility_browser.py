"""axe-core in Chromium over every page type (issue 18, item 12): nothing at all on the public
pages (it found 15 "landmark-unique": the page list's navigation twice with one name, two unnamed
search boxes), nothing serious or critical on a reader's /me/ pages and the publishers' admin
(the profile's affiliation fields had no labels, the admin's item page 43 unlabelled inline
fields)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client

from catalogue.models import Archive, Item
from tests.demo_pages import PUBLIC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = PUBLIC_PAGES
READER = ["/me/", "/me/profile/", "/me/works/", "/me/citations/", "/me/bibliography/", "/me/reports/", "/me/alerts/"]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)
    return live_server


def violations(page, address: str, impacts: set[str] | None = None) -> list[str]:
    page.goto(address)
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in found
        if impacts is None or v["impact"] in impacts
    ]


def signed_in(page, live_server, user) -> None:
    """The browser carries the session Django's test client made for `user`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_no_public_page_has_a_violation(page, demo):
    found = {address: violations(page, f"{demo.url}{address}") for address in PUBLIC}
    assert {address: v for address, v in found.items() if v} == {}, "\n".join(
        f"{a}: {v}" for a, v in found.items() if v
    )


def test_nothing_serious_on_a_readers_pages(page, demo, user_factory):
    signed_in(page, demo, user_factory(username="reader"))
    found = {address: violations(page, f"{demo.url}{address}", {"serious", "critical"}) for address in READER}
    assert {address: v for address, v in found.items() if v} == {}, "\n".join(
        f"{a}: {v}" for a, v in found.items() if v
    )


def test_nothing_serious_in_the_publishers_admin(page, demo, user_factory):
    signed_in(page, demo, user_factory(username="staffer", is_staff=True, is_superuser=True))
    seed = Item.objects.get(handle="RePEc:ipt:iptwpa:jrc108028")
    archive = Archive.objects.get(code="ipt")
    addresses = [
        "/admin/",
        "/admin/catalogue/item/",
        f"/admin/catalogue/item/{seed.pk}/change/",
        f"/admin/catalogue/item/{seed.pk}/history/",
        f"/admin/catalogue/archive/{archive.pk}/change/",
        "/admin/catalogue/upload-redif/",
    ]
    found = {address: violations(page, f"{demo.url}{address}", {"serious", "critical"}) for address in addresses}
    assert {address: v for address, v in found.items() if v} == {}, "\n".join(
        f"{a}: {v}" for a, v in found.items() if v
    )
