"""Everything the item page shows, gathered in a fixed number of queries.

Queries, whatever the number of authors, references or citations:
  1 the item with its series and archive      6 NEP announcements with issue and report
  2 its authorships with registered persons   7 references with their matched targets
  3 keywords                                  8 citing items (CITED_BY_LIMIT)
  4 JEL codes                                 9 most related items
  5 file links                                10 other versions
                                              11 authorships of every item listed in 7-10
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.db.models import prefetch_related_objects
from django.urls import reverse

from ..citations.reports import can_be_linked
from ..formatting.citation import Citation, Listed, listed, suggested_citation
from ..models import Item, NepAnnouncement, Reference, RelatedItem, ordered_authorships

CITED_BY_LIMIT = 50
RELATED_LIMIT = 20
VERSIONS_LIMIT = 20


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
    nep: list[NepAnnouncement] = field(default_factory=list)
    #: ids of the references a reader may link to an item ("Link it")
    linkable: set[int] = field(default_factory=set)

    @property
    def cited_by_more(self) -> bool:
        return self.cited_by_total > len(self.cited_by)

    @property
    def keywords_search_url(self) -> str:
        """The search for the items that have all of this item's keywords ("All these keywords")."""
        keys = [("keyword", link.keyword.key) for link in self.item.item_keywords.all()]
        return f"{reverse('search')}?{urlencode(keys, safe='/', quote_via=quote)}"


def build_item_page(item: Item) -> ItemPage:
    """Gather the lists of other items (queries 7-11); `item` comes from Item.objects.for_item_page()."""
    references = list(
        Reference.objects.filter(citing=item).select_related("target__series__archive").order_by("position")
    )
    # the most recently catalogued citing items, found by index; shown newest year first
    newest = Reference.objects.citing_item_ids(item)[:CITED_BY_LIMIT]
    cited_by = sorted(
        Item.objects.filter(pk__in=newest)
        .annotate(self_citation=Reference.objects.self_citation_of(item))
        .select_related("series__archive"),
        key=lambda i: (-(i.year or 0), i.title, i.pk),
    )
    related_links = list(
        RelatedItem.objects.filter(item=item)
        .select_related("related__series__archive")
        .order_by("rank")[:RELATED_LIMIT]
    )
    versions = list(
        Item.objects.filter(version_key=item.version_key)
        .exclude(pk=item.pk)
        .select_related("series__archive")
        .order_by("-year", "pk")[:VERSIONS_LIMIT]
        if item.version_key
        else []
    )
    matched_targets = [r.target for r in references if r.is_citation]
    related = [link.related for link in related_links]
    listed_items = matched_targets + cited_by + related + versions
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
        nep=list(item.nep_announcements.all()),
        linkable={r.pk for r in references if can_be_linked(r)},
    )
