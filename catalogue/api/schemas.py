"""What the API answers, as pydantic models: the OpenAPI document and every response are
checked against these. No schema has an e-mail field."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, Field


class Schema(BaseModel):
    """Plain pydantic, not ninja's `Schema`: answers are built as these models from rows already
    loaded (records.py), so ninja accepts them as they are; its `Schema` would read each one
    again through a getter of ORM attributes (a third of an item's time, measured)."""


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


ACROSS_VERSIONS = (
    "Distinct items citing any version of this work (an item citing two versions counts once); "
    "null when the record has no other version"
)
VERSION_HANDLES = (
    "Handles of the other versions of this work (a working paper and the article it became: linked by their "
    "records or confirmed by an author), whose citations are counted together; empty when there is none"
)


class ItemSummary(Schema):
    """An item in a list: enough for a citation line and a link."""

    handle: str
    kind: str
    title: str
    year: int | None
    authors: list[str]
    series: str  # the series' handle, RePEc:ipt:iptwpa
    series_name: str
    citations: int = Field(description="Items citing this record (its own count)")
    citations_across_versions: int | None = Field(description=ACROSS_VERSIONS)
    version_handles: list[str] = Field(description=VERSION_HANDLES)
    withdrawn: bool
    url: str  # the item's page
    api_url: str


class Page(Schema):
    """A page of a list: the next page's cursor and address, None on the last page."""

    next_cursor: str | None
    next: str | None


class ItemPage(Page):
    total: int | None = None
    items: list[ItemSummary]


class Author(Schema):
    name: str
    role: str  # author or editor
    workplace: str
    person: str | None  # the registered author's short-id
    person_api_url: str | None
    orcid: str  # ORCID iD: the registered author's, else the one the record gave, or ""


class FileLink(Schema):
    url: str
    format: str
    function: str
    restriction: str
    size: str


class JelRef(Schema):
    code: str
    name: str


class SeriesRef(Schema):
    handle: str
    name: str
    archive: str
    api_url: str


class ReferenceOut(Schema):
    position: int
    text: str
    status: str
    target: ItemSummary | None  # the cited item, when matched or confirmed


class RelatedOut(Schema):
    score: float | None
    item: ItemSummary


class NepRef(Schema):
    report: str
    date: datetime.date


class Statistics(Schema):
    """Abstract views and file downloads: the last complete month, the 12 months to it, all time."""

    last_month: datetime.date | None
    views_month: int
    downloads_month: int
    views_year: int
    downloads_year: int
    views_all: int
    downloads_all: int


class Withdrawal(Schema):
    at: datetime.datetime
    note: str
    replaced_by: str | None


class ItemDetail(Schema):
    handle: str
    kind: str
    title: str
    abstract: str
    year: int | None
    creation_date: str
    revision_date: str
    publication_date: str
    number: str
    pages: str
    volume: str
    issue: str
    journal: str
    book_title: str
    publisher: str
    edition: str
    isbn: str
    issn: str
    doi: str
    language: str
    publication_status: str
    note: str
    citation: str  # the suggested citation
    citations: int = Field(description="Items citing this record (its own count)")
    citations_across_versions: int | None = Field(description=ACROSS_VERSIONS)
    version_handles: list[str] = Field(description=VERSION_HANDLES)
    url: str
    series: SeriesRef
    authors: list[Author]
    keywords: list[str]
    jel: list[JelRef]
    files: list[FileLink]
    nep: list[NepRef]
    references: list[ReferenceOut]
    cited_by_total: int
    cited_by: list[ItemSummary]  # the most recently catalogued citing items, up to 50
    related: list[RelatedOut]
    versions: list[ItemSummary] = Field(
        description="Other versions: the linked ones (version_handles) first, then records of the same title"
    )
    statistics: Statistics
    withdrawn: Withdrawal | None


class FacetOut(Schema):
    label: str
    count: int
    params: dict[str, str]  # the query parameters that select this value


class SearchFacets(Schema):
    type: list[FacetOut]
    decade: list[FacetOut]
    jel: list[FacetOut]


class SearchOut(Page):
    total: int
    exact: bool  # False: the total and facets are estimated from a sample
    capped: bool  # more matches than can be paged through (refine the search)
    sort: str
    items: list[ItemSummary]
    facets: SearchFacets


class ArchiveOut(Schema):
    code: str
    handle: str
    name: str
    homepage: str
    description: str
    series_count: int
    item_count: int
    citation_count: int
    url: str
    api_url: str


class ArchivePage(Page):
    total: int
    items: list[ArchiveOut]


class SeriesOut(Schema):
    code: str
    archive: str
    handle: str
    name: str
    kind: str
    description: str
    homepage: str
    issn: str
    provider: str
    item_count: int
    citation_count: int
    url: str
    api_url: str


class SeriesPage(Page):
    total: int
    items: list[SeriesOut]


class ArchiveDetail(ArchiveOut):
    maintainer: str
    series: SeriesPage


class SeriesDetail(SeriesOut):
    maintainer: str
    items: ItemPage


class PersonOut(Schema):
    short_id: str
    handle: str
    name: str
    homepage: str
    orcid: str  # ORCID iD (0000-0002-1825-0097), or ""
    url: str
    api_url: str


class PersonPage(Page):
    items: list[PersonOut]


class InstitutionRef(Schema):
    """An institution (EDIRC) where another record names it."""

    handle: str  # RePEc:edi:yaleeus
    code: str  # its last seven letters: the page's address
    name: str
    country: str  # ISO 3166-1 alpha-2 (GB, US), or "" when not known
    location: str
    homepage: str
    url: str  # its page
    api_url: str


class AffiliationOut(Schema):
    name: str  # as the author wrote it
    institution: str  # the EDIRC handle as given, or ""
    share: int | None  # percent
    institution_record: InstitutionRef | None  # the institution the handle names, when known here


class InstitutionLevel(Schema):
    name: str
    en: str  # the English name, where it differs


class InstitutionOut(InstitutionRef):
    parent: str | None  # the code of the institution it is part of


class InstitutionPage(Page):
    items: list[InstitutionOut]


class InstitutionTotals(Schema):
    """Its registered authors' figures, each author's split over their affiliations by share
    (RePEc's rule), hence fractional: the last complete month, the 12 months to it, all time."""

    last_month: datetime.date
    citations: float  # self-citations left out
    views_month: float
    downloads_month: float
    views_year: float
    downloads_year: float
    views_all: float
    downloads_all: float


class InstitutionDetail(InstitutionOut):
    levels: list[InstitutionLevel]  # from the outermost in (the university, then its department)
    parent_institution: InstitutionRef | None
    children: list[InstitutionRef]  # its sub-institutions, by name
    authors: int  # registered authors affiliated with it
    totals: InstitutionTotals | None  # none before the rankings are first computed


class CountryOut(Schema):
    code: str  # ISO 3166-1 alpha-2, lower case; "xx": not known
    name: str
    institutions: int
    api_url: str  # its institutions


class CountryList(Schema):
    items: list[CountryOut]


class PersonDetail(PersonOut):
    name_variants: list[str]
    affiliations: list[AffiliationOut]
    works_total: int
    citations: int
    citations_by_others: int
    h_index: int
    h_index_by_others: int
    works: ItemPage


class JelOut(Schema):
    code: str
    name: str
    parent: str | None
    item_count: int
    api_url: str


class JelPage(Page):
    items: list[JelOut]


class JelDetail(JelOut):
    children: list[JelOut]
    items: ItemPage


class NepReportOut(Schema):
    code: str
    name: str
    url: str
    api_url: str


class NepReportPage(Page):
    items: list[NepReportOut]


class NepIssueOut(Schema):
    report: str
    date: datetime.date
    url: str
    api_url: str


class NepIssuePage(Page):
    items: list[NepIssueOut]


class NepReportDetail(NepReportOut):
    issues: NepIssuePage


class NepIssueDetail(NepIssueOut):
    report_name: str
    items: ItemPage


def answers(ok: type[Schema], *, redirect: bool = False) -> dict[int, type[Schema] | None]:
    """An operation's documented responses: its own, and the errors every operation may give."""
    found: dict[int, type[Schema] | None] = {200: ok, 400: Error, 404: Error, 429: Error}
    if redirect:
        found[301] = None
    return found
