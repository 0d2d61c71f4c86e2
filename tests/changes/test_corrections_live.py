"""Corrections are live at once: a withdrawn or replaced item, the date of the last correction,
and the browse pages' kept counts, all right on the very next request."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from catalogue.browse.counts import refresh_counts
from catalogue.models import Archive, Item, ItemKeyword, JelCode, Keyword, Series

pytestmark = pytest.mark.django_db


def test_a_withdrawn_item_says_so_and_a_replaced_one_redirects(client, item_factory):
    old = item_factory(title="A first version")
    new = item_factory(title="The corrected version")
    old.withdrawn_at = timezone.now()
    old.withdrawal_note = "an error in table 3 <b>"
    old.save()
    page = client.get(old.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "This item was withdrawn on" in text
    assert "an error in table 3 &lt;b&gt;" in text
    old.replaced_by = new
    old.save()
    response = client.get(old.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == new.get_absolute_url()
    # a replacement is only followed for a withdrawn item
    new.replaced_by = old
    new.save()
    assert client.get(new.get_absolute_url()).status_code == 200


def test_the_item_page_gives_the_date_of_the_last_correction(client, item_factory, django_assert_max_num_queries):
    item = item_factory()
    assert "Last corrected" not in client.get(item.get_absolute_url()).content.decode()
    Item.objects.filter(pk=item.pk).update(corrected_at=datetime(2026, 11, 3, tzinfo=UTC))
    with django_assert_max_num_queries(11):
        page = client.get(item.get_absolute_url()).content.decode()
    assert 'Last corrected on <time datetime="2026-11-03T00:00:00+00:00">3 November 2026</time>.' in page


def counts(*rows):
    return [type(r).objects.get(pk=r.pk).item_count for r in rows]


def test_kept_counts_follow_corrections_on_commit(
    client, item_factory, series_factory, keyword_factory, django_capture_on_commit_callbacks
):
    first, second = series_factory(), series_factory()
    items = [item_factory(series=first) for _ in range(3)]
    keyword = keyword_factory(name="smart specialisation")
    code = JelCode.objects.get(code="O31")
    refresh_counts()
    assert counts(first, second) == [3, 0]
    with django_capture_on_commit_callbacks(execute=True):
        moved = items[0]
        moved.series = second
        moved.save()
    assert counts(first, second) == [2, 1]
    assert Archive.objects.get(pk=second.archive_id).item_count == 1
    assert "2 items" in client.get(first.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ItemKeyword.objects.create(item=items[1], keyword=keyword, position=0)
        items[1].jel_codes.add(code)
    assert Keyword.objects.get(pk=keyword.pk).item_count == 1
    assert [JelCode.objects.get(code=c).item_count for c in ("O31",)] == [1]
    with django_capture_on_commit_callbacks(execute=True):
        items[1].delete()
    assert counts(first, second) == [1, 1]
    assert Keyword.objects.get(pk=keyword.pk).item_count == 0
    assert Series.objects.get(pk=first.pk).item_count == 1
