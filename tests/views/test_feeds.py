"""Feeds: new citations of an item and of an author's works, new items in a series; RSS 2.0 and Atom.

Every feed is read back with feedparser, as a feed reader would: no errors (`bozo`), each entry
with a title, a link and a date, the right items in the right order, untrusted text escaped.
"""

import calendar
import html
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import HandleAlias, Item, Reference
from catalogue.views.feeds import FEED_LIMIT

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
NASTY = 'Prices <script>alert("x")</script> & "wages" <b>bold</b>'


@pytest.fixture
def seed(item_factory, series_factory, archive_factory, authorship_factory, person_factory):
    """The cited item, by a registered author (pra123) and an unregistered one."""
    archive = archive_factory(code="ipt", name="Joint Research Centre (Seville site)")
    series = series_factory(archive=archive, code="iptwpa", handle="RePEc:ipt:iptwpa", name="JRC Research Reports")
    item = item_factory(
        series=series,
        slug="jrc108028",
        handle="RePEc:ipt:iptwpa:jrc108028",
        title="Implementing smart specialisation - thematic platform on industrial modernisation",
    )
    authorship_factory(item=item, position=0, name="Fatime Barbara Hegyi")
    person = person_factory(short_id="pra123", name_full="Ruslan Rakhmatullin")
    authorship_factory(item=item, position=1, name="Ruslan Rakhmatullin", person=person)
    return item


def cite(citing, target, status=Reference.Status.MATCHED, position=0):
    return Reference.objects.create(
        citing=citing, position=position, raw_text=f"cites {target.pk}", target=target, status=status
    )


def parse(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    for entry in feed.entries:
        assert entry.title
        assert entry.link.startswith(HOST)
        assert entry.published_parsed
        if feed.version == "atom10":
            assert "updated" in entry
    return feed


FORMATS = [(".xml", "application/rss+xml", "rss20"), (".atom", "application/atom+xml", "atom10")]


@pytest.fixture(params=FORMATS, ids=["rss", "atom"])
def fmt(request):
    return request.param


def test_citations_feed_lists_citing_items_newest_first(client, seed, item_factory, authorship_factory, fmt):
    suffix, content_type, version = fmt
    older = item_factory(title="An older citing paper")
    authorship_factory(item=older, position=0, name="Ann Older")
    newer = item_factory(title="A newer citing paper")
    authorship_factory(item=newer, position=0, name="Bob Newer")
    cite(older, seed)
    cite(newer, seed)
    cite(newer, seed, position=1)  # cites it twice: listed once
    cite(item_factory(title="Only uncertain"), seed, Reference.Status.UNCERTAIN)
    cite(item_factory(title="Rejected"), seed, Reference.Status.REJECTED)
    cite(seed, older)  # the other direction is not a citation of the seed
    feed = parse(client, f"/feeds/citations/RePEc:ipt:iptwpa:jrc108028{suffix}", content_type)
    assert feed.version == version
    assert "new citations of Implementing smart specialisation" in feed.feed.title
    assert feed.feed.link == HOST + seed.get_cited_by_url()
    assert [e.title for e in feed.entries] == ["A newer citing paper", "An older citing paper"]
    assert [e.link for e in feed.entries] == [HOST + newer.get_absolute_url(), HOST + older.get_absolute_url()]
    assert feed.entries[0].author == "Bob Newer"
    assert '"A newer citing paper,"' in html.unescape(feed.entries[0].summary)


def test_citations_are_dated_by_when_they_began_to_count(client, seed, item_factory, fmt):
    suffix, content_type, _ = fmt
    long_catalogued = item_factory(title="Catalogued long ago, linked today")
    recent = item_factory(title="Catalogued recently, linked last year")
    today, last_year = timezone.now(), timezone.now() - timedelta(days=365)
    cite(long_catalogued, seed)
    cite(recent, seed)
    Reference.objects.filter(citing=long_catalogued).update(linked_at=today)
    Reference.objects.filter(citing=recent).update(linked_at=last_year)
    feed = parse(client, f"/feeds/citations/{seed.handle}{suffix}", content_type)
    assert [e.title for e in feed.entries] == [long_catalogued.title, recent.title]
    dates = [calendar.timegm(e.published_parsed if suffix == ".xml" else e.updated_parsed) for e in feed.entries]
    assert dates == [int(today.timestamp()), int(last_year.timestamp())]


def test_citations_feed_of_an_item_never_cited_is_empty_but_valid(client, seed, fmt):
    suffix, content_type, _ = fmt
    feed = parse(client, f"/feeds/citations/{seed.handle}{suffix}", content_type)
    assert feed.entries == []


def test_handles_are_case_insensitive_and_old_handles_resolve(client, seed, item_factory):
    cite(item_factory(title="The citer"), seed)
    HandleAlias.objects.create(item=seed, handle="RePEc:ipt:iptwpa:old108028")
    for handle in ["repec:IPT:iptwpa:JRC108028", "RePEc:ipt:iptwpa:old108028"]:
        feed = parse(client, f"/feeds/citations/{handle}.xml", "application/rss+xml")
        assert [e.title for e in feed.entries] == ["The citer"]


def test_untrusted_metadata_is_escaped_and_reads_back_exactly(client, seed, item_factory, authorship_factory, fmt):
    suffix, _, _ = fmt
    citer = item_factory(title=NASTY)
    authorship_factory(item=citer, position=0, name="Eve <img src=x> & Co")
    cite(citer, seed)
    response = client.get(f"/feeds/citations/{seed.handle}{suffix}")
    body = response.content.decode()
    assert "<script>" not in body
    assert "<b>" not in body
    assert "<img" not in body
    assert re.search(r"&lt;script&gt;.*&amp;", body)
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    entry = feed.entries[0]
    assert entry.title == NASTY
    assert entry.author == "Eve <img src=x> & Co"
    # the description is HTML: the citation line comes out as text, never as markup
    assert "<script" not in entry.summary
    assert "<b>" not in entry.summary
    assert NASTY in html.unescape(entry.summary)


def test_author_feed_lists_items_citing_any_of_the_authors_works(
    client, seed, item_factory, authorship_factory, person_factory, fmt
):
    suffix, content_type, version = fmt
    person = seed.authorships.get(position=1).person
    other_work = item_factory(title="Another work of hers")
    authorship_factory(item=other_work, position=0, name="Ruslan Rakhmatullin", person=person)
    someone_else = item_factory(title="Someone else's work")
    authorship_factory(item=someone_else, position=0, name="Fatime Barbara Hegyi")
    first = item_factory(title="Cites the seed")
    second = item_factory(title="Cites both works")
    third = item_factory(title="Cites someone else")
    cite(first, seed)
    cite(second, seed)
    cite(second, other_work, position=1)
    cite(third, someone_else)
    cite(item_factory(title="Uncertain"), other_work, Reference.Status.UNCERTAIN)
    feed = parse(client, f"/feeds/author/pra123{suffix}", content_type)
    assert feed.version == version
    assert feed.feed.title.endswith("new citations of works by Ruslan Rakhmatullin")
    assert feed.feed.link == HOST + "/e/pra123.html"
    assert [e.title for e in feed.entries] == ["Cites both works", "Cites the seed"]
    cited = html.unescape(feed.entries[0].summary)
    assert f"“{seed.title}”" in cited
    assert "“Another work of hers”" in cited
    assert "Another work" not in html.unescape(feed.entries[1].summary)
    assert parse(client, f"/feeds/author/PRA123{suffix}", content_type).entries == feed.entries


def test_series_feed_lists_its_items_most_recently_catalogued_first(
    client, seed, item_factory, authorship_factory, fmt
):
    suffix, content_type, version = fmt
    old = item_factory(series=seed.series, title="Old paper", year=2020)
    new = item_factory(series=seed.series, title=NASTY, year=1999)
    authorship_factory(item=new, position=0, name="Someone")
    item_factory(title="In another series")
    feed = parse(client, f"/feeds/series/ipt/iptwpa{suffix}", content_type)
    assert feed.version == version
    assert feed.feed.title.endswith("new items in JRC Research Reports")
    assert feed.feed.link == HOST + "/s/ipt/iptwpa.html"
    assert [e.title for e in feed.entries] == [NASTY, "Old paper", seed.title]
    assert [e.link for e in feed.entries][:2] == [HOST + new.get_absolute_url(), HOST + old.get_absolute_url()]
    assert parse(client, f"/feeds/series/IPT/IPTWPA{suffix}", content_type).entries == feed.entries


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/citations/RePEc:ipt:iptwpa:nosuch.xml",
        "/feeds/citations/RePEc:ipt:iptwpa:nosuch.atom",
        "/feeds/citations/RePEc:ipt:iptwpa.xml",  # a series' handle is not an item's
        "/feeds/author/nobody.xml",
        "/feeds/author/nobody.atom",
        "/feeds/series/ipt/nosuch.xml",
        "/feeds/series/xyz/iptwpa.atom",
        "/feeds/citations/RePEc:ipt:iptwpa:jrc108028.json",
    ],
)
def test_unknown_handle_author_or_series_is_404(client, seed, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("n", [1, FEED_LIMIT + 10])
def test_feeds_take_a_constant_number_of_queries(
    client, seed, item_factory, authorship_factory, django_assert_max_num_queries, n
):
    person = seed.authorships.get(position=1).person
    other_work = item_factory(series=seed.series, title="Another work")
    authorship_factory(item=other_work, position=0, name="R. R.", person=person)
    for i in range(n):
        citer = item_factory(series=seed.series, title=f"Citer {i}")
        authorship_factory(item=citer, position=0, name=f"Author {i}")
        authorship_factory(item=citer, position=1, name=f"Second author {i}")
        cite(citer, seed)
        cite(citer, other_work, position=1)
    expected = min(n, FEED_LIMIT)
    # item by handle + the newest citations + citing items with series and archive + their authorships = 4
    for suffix in [".xml", ".atom"]:
        with django_assert_max_num_queries(4):
            response = client.get(f"/feeds/citations/{seed.handle}{suffix}")
        assert len(feedparser.parse(response.content).entries) == expected
    # person + the newest citations + citing items + their authorships + the works each cites = 5
    for suffix in [".xml", ".atom"]:
        with django_assert_max_num_queries(5):
            response = client.get(f"/feeds/author/pra123{suffix}")
        assert len(feedparser.parse(response.content).entries) == expected
    # series with archive + its newest items + their authorships = 3
    for suffix in [".xml", ".atom"]:
        with django_assert_max_num_queries(3):
            response = client.get(f"/feeds/series/ipt/iptwpa{suffix}")
        assert len(feedparser.parse(response.content).entries) == min(n + 2, FEED_LIMIT)


def alternate_links(response) -> list[tuple[str, str]]:
    """(type, href) of the page's <link rel="alternate"> feeds, from its <head>."""
    head = response.content.decode().split("</head>")[0]
    links = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">', head)
    return [(kind, html.unescape(href)) for kind, href in links]


def test_pages_link_their_feeds(client, seed, django_assert_max_num_queries):
    # the item page's query budget (tests/pages/test_item_page.py) holds with its links
    with django_assert_max_num_queries(11):
        item_page = client.get(seed.get_absolute_url())
    assert alternate_links(item_page) == [
        ("application/rss+xml", "/feeds/citations/RePEc:ipt:iptwpa:jrc108028.xml"),
        ("application/atom+xml", "/feeds/citations/RePEc:ipt:iptwpa:jrc108028.atom"),
    ]
    assert 'title="New citations of Implementing smart specialisation' in item_page.content.decode()
    assert alternate_links(client.get("/e/pra123.html")) == [
        ("application/rss+xml", "/feeds/author/pra123.xml"),
        ("application/atom+xml", "/feeds/author/pra123.atom"),
    ]
    assert alternate_links(client.get("/s/ipt/iptwpa.html")) == [
        ("application/rss+xml", "/feeds/series/ipt/iptwpa.xml"),
        ("application/atom+xml", "/feeds/series/ipt/iptwpa.atom"),
    ]
    for _, href in alternate_links(item_page):
        assert client.get(href).status_code == 200


def test_alternate_link_titles_are_escaped(client, seed):
    Item.objects.filter(pk=seed.pk).update(title=NASTY)
    body = client.get(seed.get_absolute_url()).content.decode()
    head = body.split("</head>")[0]
    assert "<script>" not in head
    assert 'title="New citations of Prices &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;' in head


def test_demo_item_feed_lists_its_citing_items(client):
    call_command("load_demo", verbosity=0)
    seed = Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028")
    citing = Item.objects.filter(pk__in=Reference.objects.citing(seed).values("citing_id"))
    assert citing.count() > 2
    feed = parse(client, "/feeds/citations/RePEc:ipt:iptwpa:jrc108028.xml", "application/rss+xml")
    assert sorted(e.link for e in feed.entries) == sorted(HOST + i.get_absolute_url() for i in citing)
    assert HOST + "/p/ipt/iptwpa/jrc120392.html" in [e.link for e in feed.entries]
    # every citation was linked by the demo's load: dated then, newest first
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert not Reference.objects.citing(seed).filter(linked_at__isnull=True).exists()
