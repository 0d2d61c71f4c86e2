"""The sitemaps' sections: every public page once, at the address its page has, withdrawn items
left out, files cut by id range with at most PER_FILE addresses each."""

import datetime

import pytest
from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from catalogue.browse import sitemaps
from catalogue.browse.sitemaps import SECTIONS, ItemSection, page_path
from catalogue.models import Institution, Item, JelCode, Kind

pytestmark = pytest.mark.django_db


def paths(section) -> list[str]:
    return [path for path, _ in section.entries()]


def test_each_section_is_a_django_sitemap():
    assert set(SECTIONS) == {"items", "series", "archives", "authors", "institutions", "jel", "nep"}
    assert all(issubclass(section, Sitemap) for section in SECTIONS.values())
    assert ItemSection.limit == 50_000


def test_item_addresses_are_the_pages_addresses_for_every_kind(item_factory, series_factory):
    made = [
        item_factory(series=series_factory(kind=kind, code=f"s{kind[:4]}"), slug=slug)
        for kind, slug in zip(Kind.values, ["plain", "with space", "ümlaut", "a&b", "x.y"], strict=True)
    ]
    assert paths(ItemSection(0)) == [item.get_absolute_url() for item in made]


def test_other_sections_give_their_pages_addresses(series_factory, person_factory, jel_code_factory, nep_issue_factory):
    series = series_factory(code="iptwpa", archive__code="ipt")
    person = person_factory(short_id="pau1")
    jel = jel_code_factory(code="O31")
    issue = nep_issue_factory(report__code="nep-ino", date=datetime.date(2017, 5, 14))
    assert paths(SECTIONS["series"](0)) == [series.get_absolute_url()]
    assert paths(SECTIONS["archives"](0)) == [series.archive.get_absolute_url()]
    assert paths(SECTIONS["authors"](0)) == [person.get_absolute_url()]
    jel_paths = paths(SECTIONS["jel"](0))  # the JEL tree comes with the migrations
    assert jel.get_absolute_url() in jel_paths
    assert len(jel_paths) == JelCode.objects.count()
    assert list(SECTIONS["nep"](0).entries()) == [(issue.get_absolute_url(), "2017-05-14")]
    edirc = Institution.objects.create(handle="RePEc:edi:yciasus", handle_key="repec:edi:yciasus", code="yciasus")
    assert paths(SECTIONS["institutions"](0)) == [edirc.get_absolute_url()] == ["/i/yciasus.html"]


def test_withdrawn_items_are_left_out(item_factory):
    kept = item_factory()
    item_factory(withdrawn_at=timezone.now(), withdrawal_note="Duplicate")
    assert paths(ItemSection(0)) == [kept.get_absolute_url()]


def test_lastmod_is_the_day_of_the_last_import_or_correction_in_utc(item_factory):
    item = item_factory()
    Item.objects.filter(pk=item.pk).update(updated_at=datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC))
    assert list(ItemSection(0).entries()) == [(item.get_absolute_url(), "2026-03-04")]


def test_files_are_cut_by_id_range_and_empty_ranges_are_not_listed(monkeypatch, item_factory, series_factory):
    monkeypatch.setattr(sitemaps, "PER_FILE", 10)
    series = series_factory()
    for pk in [3, 4, 12, 35, 47, 48, 49]:
        item_factory(pk=pk, series=series, slug=f"i{pk}")
    item_factory(pk=25, series=series, slug="gone", withdrawn_at=timezone.now())  # range 20-29: withdrawn only
    assert ItemSection.file_numbers() == [0, 1, 3, 4]
    assert paths(ItemSection(4)) == [f"/p/{series.archive.code}/{series.code}/i{pk}.html" for pk in [47, 48, 49]]
    assert paths(ItemSection(2)) == []
    assert not ItemSection(2).has_rows()


def test_no_rows_no_files():
    assert all(section.file_numbers() == [] for name, section in SECTIONS.items() if name != "jel")


def test_a_file_reads_its_range_in_one_query(item_factory, series_factory, django_assert_num_queries):
    series = series_factory()
    item_factory.create_batch(30, series=series)
    with django_assert_num_queries(1):
        assert len(paths(ItemSection(0))) == 30


def test_page_path_quotes_as_reverse_does():
    assert page_path("p", "ipt", "iptwpa", "a b<c>.html") == "/p/ipt/iptwpa/a%20b%3Cc%3E.html"
    assert page_path("e", "pau1.html") == "/e/pau1.html"
