"""One name for each action, e-mails that greet with the site's name, and a "Sign in" link that
does not nest `?next=` into itself (issue 18, item 11)."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

SEED = "/p/ipt/iptwpa/jrc108028.html"


def header_links(body: str) -> dict[str, str]:
    nav = body.split('aria-label="Your account"', 1)[1].split("</nav>", 1)[0]
    return {
        text.strip(): href.replace("&amp;", "&") for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav)
    }


def test_the_header_says_sign_in_and_sign_up_and_comes_back_here(client):
    links = header_links(client.get("/search/?q=growth").content.decode())
    assert links == {"Sign in": "/accounts/login/?next=%2Fsearch%2F%3Fq%3Dgrowth", "Sign up": "/accounts/signup/"}


@pytest.mark.parametrize(
    ("address", "sign_in"),
    [
        (f"/accounts/login/?next={SEED}", "/accounts/login/?next=%2Fp%2Fipt%2Fiptwpa%2Fjrc108028.html"),
        ("/accounts/login/?next=/accounts/login/%3Fnext%3D/x", "/accounts/login/"),  # never nested
        ("/accounts/login/?next=https://elsewhere.example/", "/accounts/login/"),  # never off-site
        ("/accounts/signup/", "/accounts/login/"),
        ("/accounts/password/reset/", "/accounts/login/"),
    ],
)
def test_on_the_account_pages_sign_in_keeps_where_the_reader_was_going(client, address, sign_in):
    response = client.get(address)
    assert response.status_code == 200
    assert header_links(response.content.decode())["Sign in"] == sign_in


def test_the_sign_up_page_is_titled_as_its_link(client):
    body = client.get("/accounts/signup/").content.decode()
    assert "<title>Sign up · EconCat</title>" in body
    assert "Register" not in body.split("<main", 1)[0]


def test_the_confirmation_email_greets_with_the_site_name_not_the_host(client, settings):
    settings.SITE_NAME = "EconCat"
    response = client.post(
        "/accounts/signup/",
        {"email": "new.reader@example.org", "password1": "a long pass phrase 7", "password2": "a long pass phrase 7"},
        HTTP_HOST="127.0.0.1",
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("[EconCat] ")
    assert message.body.startswith("Hello from EconCat!")
    assert "Hello from 127.0.0.1" not in message.body
    assert "Thank you for using EconCat!" in message.body
