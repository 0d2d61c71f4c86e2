"""Everything the item page shows, gathered in a fixed number of queries.

Queries, whatever the number of authors, references or citations:
  1 the item with its series and archive      6 NEP announcements with issue and report
  2 its authorships with registered persons   7 references with their matched targets
  3 keywords                                  8 citing items (CITED_BY_LIMIT)
  4 JEL codes                                 9 most related items
  5 file links                                10 other versions (linked, or of the same title)
                                              11 authorships of every item listed in 7-10 (and 12)
A book's page and a chapter's read one more: 12, the book's chapters or the chapter's book
(stated part links, either way), before 11.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.db.models import Q, prefetch_related_objects
from django.urls import reverse

from ..citations.reports import can_be_linked
from ..formatting.citation import Citation, Listed, listed, suggested_citation
from ..models import (
    Authorship,
    File,
    Item,
    ItemKeyword,
    JelCode,
    Kind,
    NepAnnouncement,
    Reference,
    RelatedItem,
    ordered_authorships,
    parts_of,
)
from ..models.prepared import Int, Prepared, Str, keep_as_prefetched

CITED_BY_LIMIT = 50
RELATED_LIMIT = 20
VERSIONS_LIMIT = 20
CHAPTERS_LIMIT = 50  # a book's chapters on its page; all of them on its chapters page


@dataclass
class ItemPage:
    item: Item
    citation: Citation
    references: list[Reference]
    references_listed: list[Listed]
    cited_by: list[Listed]
    cited_by_total: int
    related: list[Listed]
    versions: list[Listed]
    #: a book's chapters (CHAPTERS_LIMIT at most) in the book's order, else by title
    chapters: list[Listed] = field(default_factory=list)
    #: more chapters than listed: the page links the book's chapters page
    chapters_more: bool = False
    #: a chapter's book (or books, if records disagree)
    books: list[Listed] = field(default_factory=list)
    #: citations of the work, its versions counted once; None when it has no other version
    work_citations: int | None = None
    nep: list[NepAnnouncement] = field(default_factory=list)
    #: ids of the references a reader may link to an item ("Link it")
    linkable: set[int] = field(default_factory=set)

    @property
    def cited_across_versions(self) -> int | None:
        """The work's citations when they differ from the record's own ("cited N times across its versions")."""
        if self.work_citations is None or self.work_citations == self.item.citation_count:
            return None
        return self.work_citations

    @property
    def cited_by_more(self) -> bool:
        return self.cited_by_total > len(self.cited_by)

    @property
    def keywords_search_url(self) -> str:
        """The search for the items that have all of this item's keywords ("All these keywords")."""
        keys = [("keyword", link.keyword.key) for link in self.item.item_keywords.all()]
        return f"{reverse('search')}?{urlencode(keys, safe='/', quote_via=quote)}"


# The page's fixed-shape queries, compiled once per process (catalogue.models.prepared):
# compiling them was a third of a cold render's Python time.
ITEM_AT_PATH = Prepared(
    # unordered: (archive code, series code, slug) names one item at most
    lambda archive, series, code: (
        Item.objects.select_related("series__archive", "replaced_by__series__archive")
        .at_path(archive, series, code)
        .order_by()
    ),
    archive=Str,
    series=Str,
    code=Str,
)
# what Item.objects.for_item_page() prefetches: the item's own lists, by relation
OWN_LISTS: dict[str, Prepared[Any]] = {
    "authorships": Prepared(
        lambda item: Authorship.objects.filter(item_id=item).select_related("person").order_by("position"), item=Int
    ),
    "item_keywords": Prepared(
        lambda item: ItemKeyword.objects.filter(item_id=item).select_related("keyword").order_by("position"), item=Int
    ),
    "jel_codes": Prepared(lambda item: JelCode.objects.filter(items=item).order_by("code"), item=Int),
    "files": Prepared(lambda item: File.objects.filter(item_id=item).order_by("position"), item=Int),
    "nep_announcements": Prepared(
        lambda item: (
            NepAnnouncement.objects.filter(item_id=item)
            .select_related("issue__report")
            .order_by("issue__date", "issue__report__code")
        ),
        item=Int,
    ),
}
REFERENCES = Prepared(
    lambda item: (
        Reference.objects.filter(citing_id=item).select_related("target__series__archive").order_by("position")
    ),
    item=Int,
)
# the most recently catalogued citing items, found by index (sorted for the page in Python)
CITED_BY = Prepared(
    lambda item: (
        Item.objects.filter(pk__in=Reference.objects.citing_item_ids(Item(pk=item))[:CITED_BY_LIMIT])
        .annotate(self_citation=Reference.objects.self_citation_of(Item(pk=item)))
        .select_related("series__archive")
        .order_by()
    ),
    item=Int,
)
RELATED = Prepared(
    lambda item: (
        RelatedItem.objects.filter(item_id=item)
        .select_related("related__series__archive")
        .order_by("rank")[:RELATED_LIMIT]
    ),
    item=Int,
)
VERSIONS = Prepared(
    lambda key, item: (
        Item.objects.filter(version_key=key)
        .exclude(pk=item)
        .select_related("series__archive")
        .order_by("-year", "pk")[:VERSIONS_LIMIT]
    ),
    key=Str,
    item=Int,
)
# an item with linked versions (VersionLink): its group, and the records of the same title
GROUP_VERSIONS = Prepared(
    lambda key, group, item: (
        Item.objects.filter(Q(version_group=group) | Q(version_key=key))
        .exclude(pk=item)
        .select_related("series__archive")
        .order_by("-year", "pk")[:VERSIONS_LIMIT]
    ),
    key=Str,
    group=Int,
    item=Int,
)


# query 12, on a book's or chapter's page only: its chapters or its book (models.parts_of)
PARTS = Prepared(lambda item: parts_of(item).select_related("series__archive")[: CHAPTERS_LIMIT + 1], item=Int)


def parts(item: Item) -> list[Item]:
    """Query 12: a book's chapters (one more than CHAPTERS_LIMIT, to know there are more) or a
    chapter's book; no query for other kinds."""
    if item.kind not in (Kind.BOOK, Kind.CHAPTER):
        return []
    return PARTS(item=item.pk)


def other_versions(item: Item) -> list[Item]:
    """Query 10: the item's linked versions first, then the records of the same title (an item
    without a title key asks for "-", which no key is)."""
    if item.version_group is None:
        return VERSIONS(key=item.version_key, item=item.pk) if item.version_key else []
    found: list[Item] = GROUP_VERSIONS(key=item.version_key or "-", group=item.version_group, item=item.pk)
    return sorted(found, key=lambda other: other.version_group != item.version_group)


def item_at_path(archive: str, series: str, code: str) -> Item | None:
    """The item at `/p/<archive>/<series>/<code>.html` (any case) with everything of its own that
    its page prints (what Item.objects.for_item_page() gives: queries 1-6), or None."""
    rows: list[Item] = ITEM_AT_PATH(archive=archive.lower(), series=series.lower(), code=code.lower())
    if not rows:
        return None
    item = rows[0]
    for relation, prepared in OWN_LISTS.items():
        keep_as_prefetched(item, relation, prepared(item=item.pk))
    return item


def build_item_page(item: Item) -> ItemPage:
    """Gather the lists of other items (queries 7-11); `item` comes from item_at_path() (or
    Item.objects.for_item_page(), which loads the same with the ORM's prefetches)."""
    references: list[Reference] = REFERENCES(item=item.pk)
    cited_by = sorted(CITED_BY(item=item.pk), key=lambda i: (-(i.year or 0), i.title, i.pk))
    related_links: list[RelatedItem] = RELATED(item=item.pk)
    versions = other_versions(item)
    found_parts = parts(item)
    chapters = found_parts[:CHAPTERS_LIMIT] if item.kind == Kind.BOOK else []
    books = found_parts if item.kind == Kind.CHAPTER else []
    matched_targets = [r.target for r in references if r.is_citation and r.target is not None]
    related = [link.related for link in related_links]
    listed_items = matched_targets + cited_by + related + versions + chapters + books
    prefetch_related_objects(listed_items, ordered_authorships())
    return ItemPage(
        item=item,
        citation=suggested_citation(item),
        references=references,
        references_listed=listed(matched_targets),
        cited_by=listed(cited_by),
        cited_by_total=max(item.citation_count, len(cited_by)),
        related=listed(related, [link.score for link in related_links]),
        versions=listed(versions),
        chapters=listed(chapters),
        chapters_more=len(found_parts) > CHAPTERS_LIMIT and item.kind == Kind.BOOK,
        books=listed(books),
        work_citations=item.group_citation_count,
        nep=list(item.nep_announcements.all()),
        linkable={r.pk for r in references if can_be_linked(r)},
    )
