"""The issue's test of done: on the demo catalogue, a reader finds the seed item by a word of its
title, an author's surname, its JEL code, a keyword, and through its series and NEP report,
both with the search form's filters and on the browse pages."""

import pytest
from django.core.management import call_command

from catalogue.models import Item, JelCode, Keyword, NepIssue, Series

pytestmark = pytest.mark.django_db

SEED = "/p/ipt/iptwpa/jrc108028.html"


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)  # through the importers: their batches index as they write


def links(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    return [part.split('"', 1)[0] for part in body.split('href="')[1:]]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "modernisation"},  # a word of the title
        {"q": "thematic platform"},
        {"q": "Rakhmatullin"},  # an author's surname
        {"q": "hegyi", "sort": "newest"},
        {"q": '"smart specialisation"', "jel": "O25"},
        {"jel": "O25"},  # its JEL code, as a filter without words
        {"jel": "R5"},  # a JEL prefix
        {"keyword": "industrial policy"},  # a keyword
        {"q": "industrial policy"},  # keywords are searched too
        {"series": "ipt:iptwpa"},  # its series
        {"nep": "nep-ino"},  # its NEP report
        {"nep": "nep-tid", "type": "p", "year_from": 2017, "year_to": 2017},
    ],
)
def test_the_seed_item_is_found(client, demo, params):
    found = links(client, "/search/?" + "&".join(f"{k}={v}" for k, v in params.items()))
    assert SEED in found, params


def test_a_filter_that_does_not_fit_leaves_it_out(client, demo):
    assert SEED not in links(client, "/search/?q=Rakhmatullin&year_to=2016")
    assert SEED not in links(client, "/search/?q=Rakhmatullin&type=a")


def test_the_browse_pages_lead_to_it(client, demo):
    series = Series.objects.get(archive__code="ipt", code="iptwpa")
    assert SEED in links(client, series.get_absolute_url())
    assert SEED in links(client, JelCode.objects.get(code="O25").get_absolute_url())
    keyword = Keyword.objects.get(key=Keyword.make_key("smart specialisation"))
    assert SEED in links(client, keyword.get_absolute_url())
    issue = NepIssue.objects.get(report__code="nep-ino", date="2017-11-20")
    assert issue.get_absolute_url() in links(client, issue.report.get_absolute_url())
    assert SEED in links(client, issue.get_absolute_url())
    author = Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028").authorships.get(name="Ruslan Rakhmatullin")
    assert SEED in links(client, author.person.get_absolute_url())
