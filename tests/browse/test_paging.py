"""Pager text and links, canonical page spellings, the 404 for pages that do not exist."""

import pytest
from django.http import Http404

from catalogue.browse.paging import CountedPaginator, canonical_page_query, page_links, page_or_404, pager


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


def test_page_links_name_first_and_last_only_when_they_are_not_the_neighbours():
    def link(number):
        return f"?by=downloads&page={number}"

    assert (page_links(1, 1, link, "").previous, page_links(1, 1, link, "").next) == (None, None)
    second = page_links(2, 3, link, "Page 2 of 3")
    assert (second.first, second.previous, second.next, second.last) == (None, link(1), link(3), None)
    deep = page_links(5, 9, link, "")
    assert (deep.first, deep.previous, deep.next, deep.last) == (link(1), link(4), link(6), link(9))


@pytest.mark.django_db
def test_private_lists_use_the_same_pager(client, item_factory, django_user_model, monkeypatch):
    """The bibliography's pager links are real addresses (the old partial wrote `??page=2`)."""
    from catalogue.readers.bibliography import save_item
    from catalogue.views.bibliography import BibliographyView

    monkeypatch.setattr(BibliographyView, "paginate_by", 1)
    reader = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    for item in item_factory.create_batch(4):
        save_item(reader, item)
    client.force_login(reader)
    page = client.get("/me/bibliography/?page=2").content.decode()
    assert '<p class="total">4 items, page 2 of 4</p>' in page
    assert '<a rel="prev" href="/me/bibliography/">Previous</a>' in page
    assert '<a rel="next" href="/me/bibliography/?page=3">Next</a>' in page
    assert '<a href="/me/bibliography/?page=4">Last</a>' in page
    assert "??" not in page


def test_pages_that_do_not_exist_say_which_do():
    paginator = CountedPaginator(list(range(120)), 50)
    assert page_or_404(paginator, "3").number == 3
    with pytest.raises(Http404, match=r"There is no page 4: this list has 3 pages\."):
        page_or_404(paginator, "4")
    with pytest.raises(Http404, match="pages are numbered from 1 to 3"):
        page_or_404(paginator, "x")


@pytest.mark.django_db
def test_a_ranking_pager_keeps_its_parameters(client, item_factory, monkeypatch):
    from catalogue.stats import rankings

    monkeypatch.setattr(rankings, "PAGE_SIZE", 2)
    for n in range(5):
        item_factory(citation_count=n + 1)
    page = client.get("/stats/top/items.html?by=citations&period=all&page=2").content.decode()
    assert '<p class="total">Ranks 3 to 4 of 5, page 2 of 3</p>' in page
    path = "/stats/top/items.html?by=citations&amp;period=all"
    assert f'<a rel="prev" href="{path}">Previous</a>' in page
    assert f'<a rel="next" href="{path}&amp;page=3">Next</a>' in page
    monkeypatch.setattr(rankings, "PAGE_SIZE", 50)
    assert 'class="pagination"' not in client.get("/stats/top/items.html?by=citations").content.decode()  # one page
