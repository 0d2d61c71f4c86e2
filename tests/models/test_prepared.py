"""Querysets compiled once per process (catalogue.models.prepared): each call runs with its own
values, builds the rows as the ORM does, and a queryset that cannot be prepared is refused."""

import threading

import pytest
from django.db import connections

from catalogue.models import Item, Reference
from catalogue.models.prepared import Int, Prepared, Str
from catalogue.pages.item import CITED_BY, item_at_path

pytestmark = pytest.mark.django_db(transaction=True)  # the threads' connections see the rows


def by_series_and_year() -> Prepared:
    return Prepared(
        lambda series, year: (
            Item.objects.filter(series_id=series, year__gte=year).select_related("series__archive").order_by("pk")
        ),
        series=Int,
        year=Int,
    )


def test_each_call_runs_with_its_own_values(item_factory, series_factory, django_assert_num_queries):
    first, second = series_factory(), series_factory()
    old = item_factory(series=first, year=1990)
    new = item_factory(series=first, year=2010)
    other = item_factory(series=second, year=2010)
    prepared = by_series_and_year()
    assert prepared(series=first.pk, year=2000) == [new]
    assert prepared(series=first.pk, year=1980) == [old, new]
    with django_assert_num_queries(1):  # select_related as the queryset says: no query for the series
        rows = prepared(series=second.pk, year=2000)
        assert rows == [other]
        assert rows[0].series.archive.code == second.archive.code
    assert prepared(series=second.pk, year=2020) == []


def test_the_sql_is_compiled_once(item_factory, monkeypatch):
    item = item_factory(year=2000)
    prepared = by_series_and_year()
    assert prepared(series=item.series_id, year=1999) == [item]
    compiled = []
    original = Prepared.prepare
    monkeypatch.setattr(Prepared, "prepare", lambda self: compiled.append(1) or original(self))
    for year in (1990, 2000, 2001):
        prepared(series=item.series_id, year=year)
    assert compiled == []


def test_annotations_subqueries_and_prefetches_as_the_orm_gives_them(item_factory, reference_factory):
    cited, citing = item_factory(), item_factory()
    reference_factory(citing=citing, target=cited, status=Reference.Status.MATCHED, self_citation=True)
    rows = CITED_BY(item=cited.pk)
    assert rows == [citing]
    assert rows[0].self_citation is True
    assert CITED_BY(item=citing.pk) == []


def test_the_item_pages_own_lists_are_kept_as_prefetched(
    item_factory, authorship_factory, item_keyword_factory, jel_code_factory, file_factory, django_assert_num_queries
):
    item = item_factory()
    authorship = authorship_factory(item=item, position=1)
    keyword = item_keyword_factory(item=item, position=1)
    code = jel_code_factory(code="E31")
    item.jel_codes.add(code)
    file = file_factory(item=item, position=1)
    series = item.series
    with django_assert_num_queries(6):  # the item, then each of its five lists
        found = item_at_path(series.archive.code.upper(), series.code, item.slug.upper())
    assert found == item
    with django_assert_num_queries(0):
        assert list(found.authorships.all()) == [authorship]
        assert found.authorships.all()[0].item is found
        assert list(found.item_keywords.all()) == [keyword]
        assert list(found.jel_codes.all()) == [code]
        assert list(found.files.all()) == [file]
        assert list(found.nep_announcements.all()) == []
    assert list(found.authorships.filter(position=2)) == []  # a new query, as after prefetch_related
    assert item_at_path(series.archive.code, series.code, "no-such-item") is None


def test_threads_use_their_own_connections(item_factory):
    item = item_factory(year=2000)
    prepared = by_series_and_year()
    prepared(series=item.series_id, year=1999)  # compiled on this thread's connection
    found, used = [], []

    def read():
        found.append(prepared(series=item.series_id, year=1999))
        used.append(connections["default"])
        connections["default"].close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert found == [[item]]
    assert used[0] is not connections["default"]


def test_a_value_the_lookup_rewrites_is_refused():
    prepared = Prepared(lambda title: Item.objects.filter(title__icontains=title), title=Str)  # '%a%'
    with pytest.raises(ValueError, match="title"):
        prepared(title="a")


def test_the_values_named_are_required(item_factory):
    with pytest.raises(TypeError, match="year"):
        by_series_and_year()(series=1)
