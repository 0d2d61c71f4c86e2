"""Citation counts on items, series, archives and authors; self-citations flagged and shown.

The counts come from the matcher's outcome (a self-citation shares an author with the cited
item); a recount moves the series' and archive's totals, and `refresh_counts` recomputes the
same totals from the items.
"""

from types import SimpleNamespace

import pytest

from catalogue.browse.counts import refresh_counts
from catalogue.citations.counts import refresh_citation_counts
from catalogue.citations.matching import match_references
from catalogue.models import Archive, Authorship, Item, Reference, Series

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(item_factory, series_factory, archive_factory, person_factory):
    """Two works of a registered author in one series; cited by her own later paper and by two strangers."""
    archive = archive_factory(code="ipt")
    series = series_factory(archive=archive, code="iptwpa")
    person = person_factory(short_id="pso12", name_full="Jens Sörvik")
    own = item_factory(series=series, title="Regional innovation systems in Andalusia", year=2015)
    other = item_factory(series=series, title="Smart specialisation in Andalusia", year=2016)
    for work in (own, other):
        Authorship.objects.create(item=work, position=0, name="Jens Sörvik", person=person)
    later = item_factory(title="Her later paper", year=2019)
    Authorship.objects.create(item=later, position=0, name="J. Sorvik")
    strangers = [item_factory(title=f"A stranger's paper {n}", year=2020) for n in range(2)]
    for n, citing in enumerate(strangers):
        Authorship.objects.create(item=citing, position=0, name=f"Jane Doe{n}")
    for citing in [later, *strangers]:
        Reference.objects.create(citing=citing, position=0, raw_text="own", cited_handle=own.handle)
    Reference.objects.create(citing=later, position=1, raw_text="other", cited_handle=other.handle)
    match_references()
    return SimpleNamespace(own=own, other=other, later=later, series=series, archive=archive)


def totals(series, archive):
    return Series.objects.get(pk=series.pk).citation_count, Archive.objects.get(pk=archive.pk).citation_count


def test_counts_and_self_citation_counts_follow_the_matcher(graph):
    own, other, series, archive = graph.own, graph.other, graph.series, graph.archive
    counts = dict(Item.objects.filter(pk__in=[own.pk, other.pk]).values_list("title", "self_citation_count"))
    assert Item.objects.get(pk=own.pk).citation_count == 3
    assert Item.objects.get(pk=other.pk).citation_count == 1
    assert counts == {own.title: 1, other.title: 1}
    assert totals(series, archive) == (4, 4)


def test_totals_move_with_a_recount_and_agree_with_a_full_refresh(graph):
    own, other, later, series, archive = graph.own, graph.other, graph.later, graph.series, graph.archive
    Reference.objects.filter(citing=later, target=own).update(status=Reference.Status.REJECTED)
    refresh_citation_counts([own.pk])
    assert totals(series, archive) == (3, 3)
    refresh_citation_counts([own.pk, other.pk])  # nothing changed: nothing moves
    assert totals(series, archive) == (3, 3)
    Series.objects.update(citation_count=0)
    Archive.objects.update(citation_count=0)
    refresh_counts()
    assert totals(series, archive) == (3, 3)


def test_item_page_marks_self_citations(client, graph, django_assert_max_num_queries):
    own = graph.own
    with django_assert_max_num_queries(11):
        page = client.get(own.get_absolute_url()).content.decode()
    assert "Cited by 3 items, 1 of them self-citation " in page
    cited_by = page[page.index('id="cited-by"') :]
    cited_by = cited_by[: cited_by.index("</section>")]
    lines = cited_by.split("<li>")[1:]
    marked = [line for line in lines if "(self-citation)" in line]
    assert len(lines) == 3
    assert len(marked) == 1
    assert "Her later paper" in marked[0]
    full_list = client.get(own.get_cited_by_url()).content.decode()
    assert "1 of the 3 citing items share an author" in full_list
    assert full_list.count("(self-citation)") == 1


def test_author_series_and_archive_pages_show_citations(client, graph):
    series, archive = graph.series, graph.archive
    person_page = client.get("/e/pso12.html").content.decode()
    assert '<dd class="citations">4; 2 without self-citations</dd>' in person_page
    assert '<dd class="h-index">1</dd>' in person_page
    assert "Cited by 3 (1 self-citation)." in person_page
    assert '<dd class="citations">4</dd>' in client.get(series.get_absolute_url()).content.decode()
    assert '<dd class="citations">4</dd>' in client.get(archive.get_absolute_url()).content.decode()
