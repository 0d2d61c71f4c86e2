"""One path for what follows a write: `items_changed` brings the search index, the kept counts
and claims in step, and every writer reaches them through it."""

import ast
from pathlib import Path

import pytest

from catalogue.browse.counts import refresh_counts
from catalogue.changes import items_changed
from catalogue.models import Authorship, Claim, Item, ItemKeyword, JelCode, SearchEntry, Series
from catalogue.search.backends import text_backend
from catalogue.search.engine import run
from catalogue.search.query import parse

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue"


def found(words: str) -> set[int]:
    return set(run(SearchEntry.objects.all(), parse(words), "relevance", 1).ids)


def test_items_changed_rewrites_the_entries_of_items_written_in_bulk(item_factory):
    item = item_factory(title="Regional innovation policy")
    Item.objects.filter(pk=item.pk).update(title="Thematic platforms for modernisation")  # no signal
    assert found("modernisation") == set()
    items_changed([item.pk])
    assert found("modernisation") == {item.pk}
    assert found("innovation") == set()


def test_items_changed_recounts_the_lists_it_is_told_of(item_factory, series_factory, keyword_factory):
    series, keyword = series_factory(), keyword_factory(name="cohesion")
    refresh_counts()
    item = item_factory.build(series=series, slug="b1", number="b1")
    item.handle_key = item.handle.lower()
    Item.objects.bulk_create([item])
    ItemKeyword.objects.bulk_create([ItemKeyword(item=item, keyword=keyword, position=0)])
    Item.jel_codes.through.objects.bulk_create([Item.jel_codes.through(item_id=item.pk, jelcode_id="O31")])
    assert Series.objects.get(pk=series.pk).item_count == 0
    items_changed([item.pk], series=[series.pk, None], keywords=[keyword.pk], jel=["O31"])
    assert Series.objects.get(pk=series.pk).item_count == 1
    assert type(keyword).objects.get(pk=keyword.pk).item_count == 1
    assert [c.item_count for c in JelCode.objects.filter(code__in=["O", "O3", "O31"]).order_by("code")] == [1, 1, 1]


def test_items_changed_links_claimed_authorships_only_when_told(item_factory, person_factory):
    item = item_factory()
    authorship = Authorship.objects.create(item=item, position=0, name="Jens Sörvik")
    person = person_factory(name_first="Jens", name_last="Sörvik")
    Claim.objects.create(person=person, handle_key=item.handle_key)
    items_changed([item.pk])
    assert Authorship.objects.get(pk=authorship.pk).person_id is None
    items_changed([item.pk], claimed=True)
    assert Authorship.objects.get(pk=authorship.pk).person_id == person.pk


def test_citations_only_copies_the_counts_into_the_entries(item_factory):
    item = item_factory()
    items_changed([item.pk])
    Item.objects.filter(pk=item.pk).update(citation_count=7, title="Something else entirely")
    items_changed([item.pk], citations_only=True)
    entry = SearchEntry.objects.get(item_id=item.pk)
    assert entry.citations == 7
    assert found("entirely") == set()  # the text was not rewritten


def test_a_jel_code_added_in_a_shell_reaches_the_index_and_the_counts_on_commit(
    item_factory, django_capture_on_commit_callbacks
):
    item = item_factory()
    refresh_counts()
    code = JelCode.objects.get(code="R58")
    with django_capture_on_commit_callbacks(execute=True):
        item.jel_codes.add(code)
    assert JelCode.objects.get(code="R58").item_count == 1
    assert SearchEntry.objects.filter(item_id=item.pk, pk__in=_with_jel("R5")).exists()


def _with_jel(prefix: str):
    return text_backend().with_jel(SearchEntry.objects.all(), prefix).values("pk")


# -- the guard: writers reach derived data only through catalogue.changes --------------------

DERIVED = {
    "catalogue.search.indexing": {"index_items", "update_citations", "rebuild", "cluster"},
    "catalogue.browse.counts": {"refresh_counts"},
    "catalogue.browse.institutions": {"refresh_items", "refresh_persons", "recount", "rebuild"},
    "catalogue.changes.claims": {"link_claims"},
}
# who may still call them directly: the entry point itself, and the commands that rebuild
# derived data on purpose
ALLOWED = {
    "changes/__init__.py",
    "management/commands/refresh_counts.py",
    "management/commands/rebuild_search_index.py",
    "stats/rollups.py",  # the statistics rollup rebuilds the institutions' lists of works with their totals
}


def _imported_names(path: Path) -> set[tuple[str, str]]:
    package = ["catalogue", *path.relative_to(CATALOGUE).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.update((module, alias.name) for alias in node.names)
            names.update((f"{module}.{alias.name}", "*") for alias in node.names)  # `from ..search import indexing`
    return names


def test_no_writer_brings_derived_data_in_step_but_through_items_changed():
    offenders = []
    for path in sorted(CATALOGUE.rglob("*.py")):
        where = str(path.relative_to(CATALOGUE))
        if where in ALLOWED or where.startswith(("migrations/", "search/", "browse/")):
            continue
        for module, name in _imported_names(path):
            if module in DERIVED and (name in DERIVED[module] or name == "*"):
                offenders.append(f"{where}: {module}.{name}")
    assert offenders == []
