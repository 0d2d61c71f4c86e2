"""Alerts in Chromium (issue 19, item 1): a visitor on a NEP report's page is sent to sign in and
back, subscribes, sees the report at /me/alerts/, changes how often and removes it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from playwright.sync_api import expect

from catalogue.models import Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscribe_to_a_nep_report_from_its_page(page, live_server, user_factory):
    call_command("load_demo", verbosity=0)
    user = user_factory(username="reader", email="reader@example.org")
    user.set_password("a long enough password 42")
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto(f"{live_server.url}/n/nep-ino.html")
    page.get_by_role("link", name="Sign in to subscribe").click()
    page.fill("input[name=login]", "reader@example.org")
    page.fill("input[name=password]", "a long enough password 42")
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/n/nep-ino\.html$"))

    page.get_by_role("button", name="Subscribe").click()
    expect(page).to_have_url(re.compile(r"/n/nep-ino\.html$"))
    expect(page.get_by_text("Added to your alerts: NEP-INO: Innovation.")).to_be_visible()

    page.get_by_role("navigation", name="Your account").get_by_role("link", name="My alerts").click()
    expect(page.get_by_role("heading", name="NEP reports (1)")).to_be_visible()
    expect(page.get_by_role("link", name="NEP-INO: Innovation")).to_have_attribute("href", "/n/nep-ino.html")
    page.get_by_label("How often: NEP-INO: Innovation").select_option("monthly")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_text("Monthly: NEP-INO: Innovation.")).to_be_visible()
    assert list(Subscription.objects.values_list("user__username", "nep_report__code", "frequency")) == [
        ("reader", "nep-ino", "monthly")
    ]
    page.get_by_role("button", name="Remove: NEP-INO: Innovation").click()
    expect(page.get_by_text("You have no alerts yet")).to_be_visible()
    assert not Subscription.objects.exists()
