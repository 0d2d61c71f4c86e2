"""Accounts: sign-up confirmed by e-mail, log-in, password reset; no response tells whether an
address is registered; repeated failures are rate-limited (allauth) and locked out (axes)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase 7"


def sign_up(client, email="new.author@example.org"):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/\S+/)", message.body).group(1)


def test_sign_up_is_confirmed_by_the_link_in_the_email(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("my_account")).status_code == 302  # not logged in before confirming
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.author@example.org"]
    confirm = link_in(mailoutbox[0])
    assert "Confirm" in client.get(confirm).content.decode()  # a GET changes nothing
    response = client.post(confirm)
    assert response.status_code == 302
    assert response["Location"] == reverse("my_account")
    assert "new.author@example.org" in client.get(reverse("my_account")).content.decode()
    client.post(reverse("account_logout"))
    assert client.get(reverse("my_account")).status_code == 302
    response = client.post(reverse("account_login"), {"login": "new.author@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("my_account")


def test_an_unconfirmed_address_cannot_log_in(client, mailoutbox):
    sign_up(client)
    other = Client()
    response = other.post(reverse("account_login"), {"login": "new.author@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert other.get(reverse("my_account")).status_code == 302


def test_sign_up_and_reset_do_not_reveal_registered_addresses(client, mailoutbox):
    sign_up(client, "taken@example.org")
    again = Client()
    first, second = sign_up(again, "taken@example.org"), sign_up(Client(), "fresh@example.org")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    known = Client().post(reverse("account_reset_password"), {"email": "taken@example.org"})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_password_reset_by_the_emailed_link(client, mailoutbox, django_user_model):
    sign_up(client)
    client.post(link_in(mailoutbox[0]))
    mailoutbox.clear()
    reader = Client()
    reader.post(reverse("account_reset_password"), {"email": "new.author@example.org"})
    assert len(mailoutbox) == 1
    page = reader.get(link_in(mailoutbox[0]), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link_in(mailoutbox[0])
    new = "another long pass phrase 9"
    response = reader.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert django_user_model.objects.get(email="new.author@example.org").check_password(new)


def test_failed_logins_are_rate_limited(client, mailoutbox):
    sign_up(client)
    client.post(link_in(mailoutbox[0]))
    attacker = Client()
    pages = [
        attacker.post(reverse("account_login"), {"login": "new.author@example.org", "password": f"wrong {n}"})
        for n in range(7)
    ]
    assert all(page.status_code in (200, 429) for page in pages)
    assert "Too many failed login attempts" in pages[-1].content.decode()
    # even the right password is refused while the limit holds
    blocked = attacker.post(reverse("account_login"), {"login": "new.author@example.org", "password": PASSWORD})
    assert blocked.status_code != 302


def test_admin_logins_are_locked_out_by_axes(staff):
    attacker = Client()
    for n in range(10):
        attacker.post(reverse("admin:login"), {"username": "staff", "password": f"wrong {n}"})
    locked = attacker.post(reverse("admin:login"), {"username": "staff", "password": factories.PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()


def test_admin_login_sprayed_across_usernames_is_locked_out_per_address(admin_user, django_user_model):
    """Password spraying: one address tries one password on many usernames, never twice on one.
    The admin's log-in counts failures per address too, so the address is locked out; the site's
    own log-in keeps its per-address rate limit (allauth) and is not locked by the admin's count."""
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    pages = [
        sprayer.post(reverse("admin:login"), {"username": f"editor{n}", "password": "Summer2026!"}) for n in range(40)
    ]
    statuses = [page.status_code for page in pages]
    # the form again ("enter a correct username and password"), until the tenth failure
    # (AXES_FAILURE_LIMIT) locks the address out
    assert statuses == [200] * 9 + [429] * 31
    locked = sprayer.post(reverse("admin:login"), {"username": "admin", "password": "password"})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    # the right password from another address still works
    staff = Client(REMOTE_ADDR="198.51.100.20")
    response = staff.post(reverse("admin:login"), {"username": "admin", "password": "password"})
    assert response.status_code == 302
    assert staff.get(reverse("admin:index")).status_code == 200
    # a reader behind the sprayer's address (a shared campus gateway) still logs in to the site
    reader = django_user_model.objects.create_user(username="reader", email="reader@example.org", password=PASSWORD)
    reader.emailaddress_set.create(email=reader.email, verified=True, primary=True)
    neighbour = Client(REMOTE_ADDR="203.0.113.9")
    response = neighbour.post(reverse("account_login"), {"login": "reader@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("my_account")


def test_login_first_sends_strangers_to_log_in_and_back(django_user_model):
    """The one rule behind "Sign in to save this paper", "Link it" and "Report a missing citation"."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.views import redirect_to_login

    from catalogue.readers.accounts import login_first

    url = "/citations/report/link/7/?from=a b&x=ä"
    assert login_first(url, AnonymousUser()) == redirect_to_login(url)["Location"]
    assert login_first(url, AnonymousUser()).startswith("/accounts/login/?next=/citations/report/link/7/%3F")
    assert login_first(url, django_user_model(username="reader")) == url
