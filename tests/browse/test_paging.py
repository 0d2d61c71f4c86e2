"""Pager text and links, canonical page spellings, the 404 for pages that do not exist."""

import pytest
from django.http import Http404

from catalogue.browse.paging import CountedPaginator, canonical_page_query, page_or_404, pager


@pytest.mark.parametrize(
    ("raw", "query"),
    [(None, ""), ("1", ""), ("0", ""), ("2", "page=2"), ("02", "page=2"), ("abc", None), ("-1", None), ("²", None)],
)
def test_canonical_page_query(raw, query):
    assert canonical_page_query(raw) == query


def test_pager_text_and_links():
    paginator = CountedPaginator(list(range(10)), 2, count=1234)  # the kept count wins over len()
    assert paginator.num_pages == 617
    first = pager(paginator.page(1), "/k/x.html", "item", "items")
    assert first.summary == "1,234 items, page 1 of 617"
    assert (first.first, first.previous) == (None, None)
    assert (first.next, first.last) == ("/k/x.html?page=2", "/k/x.html?page=617")
    middle = pager(paginator.page(3), "/k/x.html", "item", "items")
    assert (middle.first, middle.previous, middle.next) == ("/k/x.html", "/k/x.html?page=2", "/k/x.html?page=4")
    one = pager(CountedPaginator([7], 50).page(1), "/s/", "archive", "archives")
    assert one.summary == "1 archive"
    assert (one.first, one.previous, one.next, one.last) == (None, None, None, None)


def test_pages_that_do_not_exist_say_which_do():
    paginator = CountedPaginator(list(range(120)), 50)
    assert page_or_404(paginator, "3").number == 3
    with pytest.raises(Http404, match=r"There is no page 4: this list has 3 pages\."):
        page_or_404(paginator, "4")
    with pytest.raises(Http404, match="pages are numbered from 1 to 3"):
        page_or_404(paginator, "x")
