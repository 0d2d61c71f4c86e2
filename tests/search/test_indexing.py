"""The search index stays in step with the catalogue: imports, re-imports, corrections through
the ORM (the admin), deletions, citation recounts, and a rebuild that gives the same index."""

import pytest
from django.db import DatabaseError, connection

from catalogue.citations.counts import refresh_citation_counts
from catalogue.ingest import importer as importer_module
from catalogue.ingest.importer import Importer
from catalogue.models import Authorship, Item, Keyword, Reference, SearchEntry
from catalogue.redif.parser import parse_text
from catalogue.search import indexing
from catalogue.search.engine import run
from catalogue.search.query import parse

pytestmark = pytest.mark.django_db

SEED = "repec:ipt:iptwpa:jrc108028"


def found(words: str, sort: str = "relevance") -> list[str]:
    """Handle keys of the items a search for `words` finds, in order."""
    ids = run(SearchEntry.objects.all(), parse(words), sort, 1).ids
    keys = dict(Item.objects.filter(pk__in=ids).values_list("pk", "handle_key"))
    return [keys[pk] for pk in ids]


def import_text(text: str):
    importer = Importer()
    importer.import_templates(parse_text(text, "upload.rdf"))
    return importer.finish()


def paper(title: str, author: str = "Ruslan Rakhmatullin", keywords: str = "smart specialisation") -> str:
    return (
        "Template-Type: ReDIF-Archive 1.0\nName: JRC\nURL: https://example.org/\nMaintainer-Email: a@example.org\n"
        "Handle: RePEc:ipt\n\n"
        "Template-Type: ReDIF-Series 1.0\nName: JRC Research Reports\nMaintainer-Email: a@example.org\n"
        "Type: ReDIF-Paper\nHandle: RePEc:ipt:iptwpa\n\n"
        f"Template-Type: ReDIF-Paper 1.0\nTitle: {title}\nAuthor-Name: {author}\n"
        "Abstract: An overview of regional policy.\nKeywords: " + keywords + "\nClassification-JEL: O31\n"
        "File-URL: https://example.org/a.pdf\nHandle: RePEc:ipt:iptwpa:jrc108028\n"
    )


def test_an_import_indexes_what_it_writes_and_a_reimport_what_it_changes():
    assert import_text(paper("Thematic platform on industrial modernisation")).ok
    assert found("modernisation") == [SEED]
    assert found("Rakhmatullin") == [SEED]
    assert found('"smart specialisation"') == [SEED]
    assert found("regional") == [SEED]  # the abstract

    assert import_text(paper("Thematic platform on mining", author="Jens Sörvik", keywords="mining")).ok
    assert found("modernisation") == found("Rakhmatullin") == found("specialisation") == []
    assert found("mining") == [SEED]
    assert found("Sorvik") == [SEED]  # accents folded
    entry = SearchEntry.objects.get(item__handle_key=SEED)
    assert (entry.kind, entry.free, entry.jel_tops) == ("paper", True, "O")


def test_corrections_through_the_orm_reach_the_index_on_commit(django_capture_on_commit_callbacks):
    import_text(paper("Thematic platform on industrial modernisation"))
    item = Item.objects.get(handle_key=SEED)
    with django_capture_on_commit_callbacks(execute=True):
        item.title = "Thematic platform on shipbuilding"
        item.save()
    assert found("shipbuilding") == [SEED]
    assert found("modernisation") == []

    with django_capture_on_commit_callbacks(execute=True):
        Authorship.objects.create(item=item, position=5, name="Anna Quist")
    assert found("Quist") == [SEED]

    with django_capture_on_commit_callbacks(execute=True):
        keyword = Keyword.objects.get(key=Keyword.make_key("smart specialisation"))
        keyword.name = "Clever specialisation"
        keyword.save()
    assert found("clever") == [SEED]

    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert found("shipbuilding") == []
    assert not SearchEntry.objects.exists()


def test_a_recount_of_citations_reaches_the_sort(item_factory, reference_factory):
    a = item_factory(title="Growth in Europe", citation_count=0)
    b = item_factory(title="Growth in Asia", citation_count=0)
    indexing.rebuild()
    for n in range(3):
        reference_factory(citing=item_factory(title=f"Citing paper {n}"), target=b, status=Reference.Status.MATCHED)
    refresh_citation_counts([a.pk, b.pk])
    assert found("growth", sort="cited") == [b.handle_key, a.handle_key]
    assert SearchEntry.objects.get(item=b).citations == 3


def test_a_rebuild_gives_the_index_the_imports_kept(data_dir):
    report = Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    assert report.created["paper"] == 2
    columns = ["item_id", "kind", "year", "series_id", "archive_id", "citations", "downloads", "free", "jel_tops"]
    kept = list(SearchEntry.objects.order_by("item_id").values_list(*columns))
    searches = {q: found(q) for q in ("smart", "Sorvik", "KETs", "industrial policy")}
    assert searches["smart"] == [SEED]
    indexing.rebuild()
    assert list(SearchEntry.objects.order_by("item_id").values_list(*columns)) == kept
    assert {q: found(q) for q in searches} == searches


# -- outside any transaction: on PostgreSQL the importer indexes on a second connection ------


@pytest.mark.django_db(transaction=True)
def test_an_import_outside_a_transaction_is_searchable_when_it_returns(data_dir, monkeypatch):
    threads = []

    class Spy(indexing.IndexingThread):
        def __init__(self):
            super().__init__()
            threads.append(self)

    monkeypatch.setattr(importer_module, "IndexingThread", Spy)
    report = Importer(batch_size=1).import_paths([data_dir / "import" / "jrc.rdf"])
    assert report.ok is False  # the file holds one bad template, reported
    assert report.created["paper"] == 2
    assert found("modernisation") == [SEED]
    assert found("Sorvik") == ["repec:ipt:iptwpa:jrc84659"]
    assert len(threads) == (1 if connection.vendor == "postgresql" else 0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the indexing thread is for PostgreSQL")
def test_a_failing_index_is_reported_and_the_items_still_land(data_dir, monkeypatch):
    def refuse(ids):
        raise DatabaseError("disk full")

    monkeypatch.setattr(indexing, "index_items", refuse)
    report = Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    assert report.created["paper"] == 2
    assert Item.objects.filter(handle_key=SEED).exists()
    told = [e for e in report.errors if "search index could not be updated (disk full)" in e]
    assert len(told) == 1
    assert "rebuild_search_index" in told[0]
