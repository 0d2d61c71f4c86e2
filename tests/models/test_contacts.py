"""Whom a page names as maintainer and provider: the fallbacks are the models' (Series.contact,
Series.provider), printed by the one partial _contact.html."""

import re

import pytest

from catalogue.models.archives import Contact

pytestmark = pytest.mark.django_db


def corrections(client, item) -> str:
    page = client.get(item.get_absolute_url()).content.decode()
    text = re.search(r'<section id="corrections">(.*?)</section>', page, re.S).group(1)
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("series_maintainer", "archive_maintainer", "expected"),
    [
        (("Ana", "ana@example.org"), ("Bo", "bo@example.org"), Contact("Ana", "ana@example.org")),
        (("", "ana@example.org"), ("Bo", "bo@example.org"), Contact("the series maintainer", "ana@example.org")),
        (("", ""), ("Bo", "bo@example.org"), Contact("Bo", "bo@example.org")),
        (("", ""), ("", "bo@example.org"), Contact("the archive maintainer", "bo@example.org")),
        (("", ""), ("", ""), Contact("the archive maintainer")),
    ],
)
def test_the_series_maintainer_falls_back_to_the_archives(
    client, item_factory, series_maintainer, archive_maintainer, expected
):
    item = item_factory(
        series__maintainer_name=series_maintainer[0],
        series__maintainer_email=series_maintainer[1],
        series__archive__maintainer_name=archive_maintainer[0],
        series__archive__maintainer_email=archive_maintainer[1],
    )
    assert item.series.contact == expected
    email = f' (<a href="mailto:{expected.email}">{expected.email}</a>)' if expected.email else ""
    assert f"bibliographic or download information, contact: {expected.name}{email}." in corrections(client, item)


@pytest.mark.parametrize(
    ("name", "homepage", "expected"),
    [
        ("Sörvik & Co", "https://example.org/", '<a href="https://example.org/" rel="nofollow">Sörvik &amp; Co</a>'),
        ("Sörvik & Co", "", "Sörvik &amp; Co"),
        ("", "https://example.org/", '<a href="https://example.org/" rel="nofollow">https://example.org/</a>'),
        ("", "", "The Archive"),
    ],
)
def test_the_provider_falls_back_to_its_homepage_then_the_archive(client, item_factory, name, homepage, expected):
    item = item_factory(
        series__provider_name=name, series__provider_homepage=homepage, series__archive__name="The Archive"
    )
    assert f"General contact details of provider: {expected}." in corrections(client, item)
    series_page = client.get(item.series.get_absolute_url()).content.decode()
    assert ("<dt>Provider</dt><dd>" + expected + "</dd>" in series_page) == bool(name)
