"""Logging in with ORCID in Chromium: the site's real log-in and profile pages, the stand-in of
ORCID's authorize page over real HTTP on loopback (catalogue/readers/orcid/standin.py, the one
`make run` serves), its "Authorize access" and "Deny access" buttons, and back. The exchange
behind it (token, record) is the same as in tests/readers/test_orcid.py."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.management import call_command
from playwright.sync_api import expect

from catalogue.models import Person
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOSIAH = "0000-0002-1825-0097"  # ORCID's example iD; the demo gives it to pra123


def log_in_with_orcid(page, site: str, stand_in) -> None:
    """From the log-in page to the stand-in's authorize page."""
    page.goto(f"{site}/accounts/login/")
    page.get_by_role("link", name="ORCID").click()
    page.get_by_role("button", name="Continue").click()  # allauth asks before leaving for ORCID
    expect(page).to_have_url(re.compile(rf"^{re.escape(stand_in.url)}/oauth/authorize\?"))
    expect(page.get_by_text("This is not ORCID.")).to_be_visible()


def confirm_the_address(page, mailoutbox) -> None:
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()


def test_a_new_reader_signs_up_with_orcid_and_their_profile_gets_the_verified_id(
    page, live_server, orcid_standin, mailoutbox
):
    stand_in = orcid_standin(live_server.url, records=[], fresh=True)
    log_in_with_orcid(page, live_server.url, stand_in)
    page.get_by_label("Given names").fill("Ada")
    page.get_by_label("Family name").fill("Newcomer")
    page.get_by_role("button", name="Authorize access").click()

    # back on the site: ORCID's public record shows no e-mail address, so allauth asks for one
    expect(page).to_have_url(re.compile(r"/accounts/3rdparty/signup/$"))
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_role("button", name="Sign Up").click()
    confirm_the_address(page, mailoutbox)
    orcid = SocialAccount.objects.get(provider="orcid").uid
    assert orcid.startswith("0000-0000-")

    page.goto(f"{live_server.url}/me/profile/")
    expect(page.get_by_role("heading", name="Create my author profile")).to_be_visible()
    expect(page.get_by_label("ORCID iD")).to_have_value(orcid)  # the iD ORCID verified, filled in
    expect(page.get_by_label("First name")).to_have_value("Ada")
    page.get_by_role("button", name="Create my profile").click()
    expect(page.get_by_text(re.compile(r"Your profile \w+ is created"))).to_be_visible()
    person = Person.objects.get(user__email="ada@example.org")
    assert person.orcid == orcid
    page.goto(f"{live_server.url}{person.get_absolute_url()}")
    expect(page.get_by_role("link", name=f"https://orcid.org/{orcid}")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # still signed in


def test_on_the_demo_josiah_carberry_takes_over_the_profile_with_his_id(page, live_server, orcid_standin, mailoutbox):
    """What `make run` shows: the demo author pra123 was imported with ORCID's example iD; who
    logs in with that iD at ORCID is offered the profile."""
    call_command("load_demo", verbosity=0)
    stand_in = orcid_standin(live_server.url)
    log_in_with_orcid(page, live_server.url, stand_in)
    expect(page.get_by_label(re.compile(f"Josiah Carberry, {JOSIAH}"))).to_be_checked()
    page.get_by_role("button", name="Authorize access").click()
    page.get_by_label("Email").fill("josiah@example.org")
    page.get_by_role("button", name="Sign Up").click()
    confirm_the_address(page, mailoutbox)

    page.goto(f"{live_server.url}/me/profile/")
    page.get_by_role("button", name="This is me: take over pra123").click()
    expect(page.get_by_text("The profile pra123 is yours")).to_be_visible()
    page.get_by_role("navigation", name="Author service").get_by_role("link", name="Profile").click()
    expect(page.get_by_label("ORCID iD")).to_have_value(JOSIAH)
    assert Person.objects.get(short_id="pra123").user.email == "josiah@example.org"


def test_an_author_connects_orcid_from_their_profile(page, live_server, orcid_standin, author):
    EmailAddress.objects.create(user=author, email=author.email, verified=True, primary=True)
    stand_in = orcid_standin(live_server.url)
    page.goto(f"{live_server.url}/accounts/login/?next=/me/profile/")
    page.fill("input[name=login]", author.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="My author profile")).to_be_visible()
    expect(page.get_by_label("ORCID iD")).to_have_value("")

    page.get_by_role("button", name="Connect my ORCID record").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(stand_in.url)}/oauth/authorize\?"))
    expect(page.get_by_text("This is not ORCID.")).to_be_visible()
    page.get_by_role("button", name="Authorize access").click()

    expect(page).to_have_url(re.compile(r"/me/profile/$"))
    told = f"Your ORCID iD {JOSIAH}, verified by ORCID, is now on your author profile."
    expect(page.get_by_text(told)).to_be_visible()
    expect(page.get_by_label("ORCID iD")).to_have_value(JOSIAH)
    assert Person.objects.get(user=author).orcid == JOSIAH
    assert SocialAccount.objects.get(provider="orcid").user == author


def test_a_refused_authorization_shows_a_clear_message(page, live_server, orcid_standin):
    stand_in = orcid_standin(live_server.url)
    log_in_with_orcid(page, live_server.url, stand_in)
    page.get_by_role("button", name="Deny access").click()

    expect(page).to_have_url(re.compile(r"/accounts/3rdparty/login/cancelled/$"))
    expect(page.get_by_role("heading", name="ORCID not used")).to_be_visible()
    expect(page.get_by_text("You did not let ORCID tell us your ORCID iD")).to_be_visible()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    assert ("POST", "/oauth/token") not in stand_in.calls
    assert not SocialAccount.objects.exists()
