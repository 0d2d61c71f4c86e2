"""Every page a reader reaches says where it is: a canonical link (absolute), breadcrumbs, a title."""

import datetime
import re

import pytest

from catalogue.browse.counts import refresh_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(
    series_factory, item_factory, person_factory, authorship_factory, keyword_factory, item_keyword_factory,
    nep_announcement_factory,
):  # fmt: skip
    series = series_factory(archive__code="ipt", archive__name="JRC", code="iptwpa", name="JRC Reports")
    item = item_factory(series=series, slug="jrc1", title="Smart specialisation")
    authorship_factory(item=item, position=0, person=person_factory(short_id="pra1"))
    item_keyword_factory(item=item, keyword=keyword_factory(name="innovation"))
    item.jel_codes.add("O31")
    nep_announcement_factory(item=item, issue__report__code="nep-ino", issue__date=datetime.date(2017, 5, 14))
    refresh_counts()
    return item


PAGES = {
    "/": None,
    "/s/": "Home › Archives",
    "/s/ipt.html": "Home › Archives › JRC",
    "/s/ipt/iptwpa.html": "Home › Archives › JRC › JRC Reports",
    "/e/pra1.html": "Home › ",
    "/j/": "Home › JEL classification",
    "/j/O31.html": "Home › JEL classification › O › O3 › JEL O31: Innovation and Invention",
    "/k/innovation.html": "Home › Keyword: innovation",
    "/n/": "Home › NEP reports",
    "/n/nep-ino.html": "Home › NEP reports › NEP-INO: Innovation",
    "/n/nep-ino/2017-05-14.html": "Home › NEP reports › NEP-INO › NEP-INO 2017-05-14: Innovation",
    "/p/ipt/iptwpa/jrc1.html": "Home › Archives › JRC › JRC Reports",
    "/citations/p/ipt/iptwpa/jrc1.html": "Home › Archives › JRC › JRC Reports › Smart specialisation › Cited by",
    "/stats/p/ipt/iptwpa/jrc1.html": "Home › Archives › JRC › JRC Reports › Smart specialisation › Statistics",
}


@pytest.mark.parametrize("url", list(PAGES))
def test_every_page_has_a_canonical_link_and_breadcrumbs(client, catalogue, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', page) == [f"http://testserver{url}"]
    assert re.search(r"<title>[^<]+</title>", page)
    nav = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', page, re.S)
    if PAGES[url] is None:
        assert nav is None
    else:
        assert " ".join(re.sub(r"<[^>]+>", "", nav.group(1)).split()).startswith(PAGES[url])
