"""Alerts in Chromium (issue 19): a visitor on a NEP report's page is sent to sign in and back,
subscribes, sees the report at /me/alerts/, changes how often and removes it; the next issue
comes by mail to a real SMTP server, and the message's unsubscribe link works in the browser."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from playwright.sync_api import expect

from catalogue.models import Item, Subscription
from catalogue.tasks import send_alerts

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


def test_the_next_nep_issue_arrives_by_mail_and_its_link_unsubscribes(
    page, live_server, user_factory, sink, settings, tmp_path
):
    """Issue 19's browser test: a reader subscribes to the seed's NEP report in Chromium; the next
    issue is imported; the send-alerts job mails it to a real SMTP server; its items are linked,
    and the message's unsubscribe link, opened in the browser without signing in, stops it."""
    call_command("load_demo", verbosity=0)
    user = user_factory(username="reader", email="reader@example.org")
    user.set_password("a long enough password 42")
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto(f"{live_server.url}/accounts/login/?next=/n/nep-ino.html")
    page.fill("input[name=login]", "reader@example.org")
    page.fill("input[name=password]", "a long enough password 42")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("Added to your alerts: NEP-INO: Innovation.")).to_be_visible()

    issue = tmp_path / "nep.jsonl"
    handles = ["RePEc:ipt:iptwpa:jrc108571", "RePEc:ipt:iptwpa:jrc108028"]
    issue.write_text(json.dumps({"report": "nep-ino", "name": "Innovation", "date": "2026-12-07", "items": handles}))
    settings.ALERTS_SETTLE_SECONDS = 0  # tests/alerts/test_digests.py waits the settle out
    call_command("import_nep", str(issue), verbosity=0)
    send_alerts.apply().get()  # the scheduled job, run as the worker runs it

    [message] = sink.to("reader@example.org")
    assert message["Subject"] == "[EconCat] NEP-INO: Innovation, issue of 2026-12-07: 2 new items"
    text = message.get_body(("plain",)).get_content()
    items = [Item.objects.get(handle=h) for h in handles]
    assert text.index(items[0].title) < text.index(items[1].title)  # the editor's order
    site = live_server.url
    page.goto(site + items[0].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(items[0].title)

    context = page.context.browser.new_context()  # a mail client: no session
    mail_page = context.new_page()
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>").replace("http://econcat.test", site)
    mail_page.goto(unsubscribe)
    expect(mail_page.get_by_text("NEP-INO: Innovation")).to_be_visible()
    mail_page.get_by_role("button", name="Unsubscribe").click()
    expect(mail_page.get_by_text("You will no longer get mail about:")).to_be_visible()
    assert not Subscription.objects.exists()
    context.close()
