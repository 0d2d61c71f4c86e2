"""Pasting a handle, an item's number, a DOI or a short-id into the search box goes to that
item, series, archive or author (issue 18, item 3)."""

import pytest
from django.core.management import call_command

from tests.factories import ItemFactory, SeriesFactory

pytestmark = pytest.mark.django_db

SEED = "/p/ipt/iptwpa/jrc108028.html"


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize(
    ("pasted", "address"),
    [
        ("RePEc:ipt:iptwpa:jrc108028", SEED),
        ("  repec:IPT:iptwpa:JRC108028 ", SEED),  # any case, spaces around
        ("jrc108028", SEED),  # the item's number
        ("JRC108028", SEED),
        ("RePEc:ipt:iptwpa", "/s/ipt/iptwpa.html"),  # a series
        ("RePEc:ipt", "/s/ipt.html"),  # an archive
        ("pra123", "/e/pra123.html"),  # a registered author's short-id
        ("RePEc:per:2013-06-11:ruslan_rakhmatullin", "/e/pra123.html"),  # and their handle
    ],
)
def test_an_identifier_goes_to_its_page(demo, client, django_assert_max_num_queries, pasted, address):
    with django_assert_max_num_queries(3):
        response = client.get("/search/", {"q": pasted})
    assert response.status_code == 302
    assert response["Location"] == address
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "pasted",
    [
        "10.1080/00343404.2020.1762854",
        "https://doi.org/10.1080/00343404.2020.1762854",
        "doi:10.1080/00343404.2020.1762854",
    ],
)
def test_a_doi_goes_to_its_item(client, pasted):
    item = ItemFactory(doi="10.1080/00343404.2020.1762854")
    response = client.get("/search/", {"q": pasted})
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()


@pytest.mark.parametrize(
    "text",
    [
        "RePEc:ipt:iptwpa:nosuchitem",  # a handle nobody has
        "RePEc:zzz",
        "10.9999/nothing-has-it",
        "pzz999",  # nobody's short-id
        "smart specialisation",  # words
        "2020",  # a number alone is a word to search for, not an item number
        "RePEc:::",  # malformed
    ],
)
def test_anything_else_is_searched_as_words(demo, client, text):
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200


def test_a_number_two_series_share_is_searched_not_guessed(client):
    for series in (SeriesFactory(), SeriesFactory()):
        ItemFactory(series=series, slug="wp2019a", handle=f"{series.handle}:wp2019a")
    response = client.get("/search/", {"q": "wp2019a"})
    assert response.status_code == 200


def test_with_filters_the_box_searches(demo, client):
    response = client.get("/search/", {"q": "jrc108028", "type": "p"})
    assert response.status_code == 200
