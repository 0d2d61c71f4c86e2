"""What each record shows in the API, in one place. Built from rows the pages' QuerySet verbs
loaded (no query here). E-mail addresses are never read: neither an author's as written on a
record (Author-Email) nor a registered person's, an archive's or a series' maintainer's."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import quote

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse

from ..formatting.citation import author_names
from ..models import (
    Archive,
    Institution,
    Item,
    ItemStatTotals,
    JelCode,
    NepIssue,
    NepReport,
    Person,
    Series,
    version_handles,
)
from ..pages.item import ItemPage
from . import schemas

M = TypeVar("M", bound=Model)


def one(queryset: QuerySet[M], what: str) -> M:
    """The first row of `queryset`; a 404 naming what is missing when there is none."""
    found = queryset.first()
    if found is None:
        raise Http404(f"No {what} has this code.")
    return found


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def api_path(name: str, **kwargs: str) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


# what reverse() leaves unquoted in a path (django.urls.resolvers: RFC 3986 sub-delimiters, / ~ : @)
PATH_SAFE = "!$&'()*+,;=/~:@"


def item_api_url(request: HttpRequest, handle: str) -> str:
    """reverse("api:api_item", handle) without reverse() for each of the hundred items an answer
    may list: the prefix once per request, the handle quoted as reverse() quotes it."""
    prefix = getattr(request, "_api_item_prefix", None)
    if prefix is None:
        prefix = absolute(request, api_path("api_item", handle="-"))[:-1]
        request._api_item_prefix = prefix  # type: ignore[attr-defined]
    return prefix + quote(handle, safe=PATH_SAFE)


def item_summaries(request: HttpRequest, items: list[Item]) -> list[schemas.ItemSummary]:
    """Items loaded with for_listing(), with their other versions' handles (one query when one
    of them has versions, none otherwise)."""
    handles = version_handles(items)
    return [item_summary(request, item, handles) for item in items]


def item_summary(request: HttpRequest, item: Item, handles: dict[int, list[str]]) -> schemas.ItemSummary:
    """An item loaded with for_listing() (series, archive, ordered authorships); `handles`: its
    other versions' (models.version_handles over the list it is in)."""
    return schemas.ItemSummary(
        handle=item.handle,
        kind=item.kind,
        title=item.title,
        year=item.year,
        authors=author_names(item),
        series=item.series.handle,
        series_name=item.series.name,
        citations=item.citation_count,
        citations_across_versions=item.group_citation_count,
        version_handles=handles.get(item.pk, []),
        withdrawn=item.withdrawn_at is not None,
        url=absolute(request, item.get_absolute_url()),
        api_url=item_api_url(request, item.handle),
    )


def item_detail(request: HttpRequest, page: ItemPage, totals: ItemStatTotals | None) -> schemas.ItemDetail:
    """The item page's data (pages.item.build_item_page on Item.objects.for_item_page()), and
    the other versions' handles of it and of every item it lists (one query when one of them
    has versions)."""
    item = page.item
    listed = [r.target for r in page.references if r.is_citation and r.target]
    listed += [entry.item for entries in (page.cited_by, page.related, page.versions) for entry in entries]
    handles = version_handles([item, *listed])
    return schemas.ItemDetail(
        **{name: getattr(item, name) for name in DETAIL_FIELDS},
        citation=str(page.citation),
        citations=item.citation_count,
        citations_across_versions=item.group_citation_count,
        version_handles=handles.get(item.pk, []),
        url=absolute(request, item.get_absolute_url()),
        series=series_ref(request, item.series),
        authors=[
            schemas.Author(
                name=a.name,
                role=a.role,
                workplace=a.workplace,
                person=a.person.short_id if a.person else None,
                person_api_url=absolute(request, api_path("api_author", short_id=a.person.short_id))
                if a.person
                else None,
                orcid=a.orcid_id,
            )
            for a in item.authorships.all()
        ],
        keywords=[link.keyword.name for link in item.item_keywords.all()],
        jel=[schemas.JelRef(code=c.code, name=c.name) for c in item.jel_codes.all()],
        files=[
            schemas.FileLink(url=f.url, format=f.format, function=f.function, restriction=f.restriction, size=f.size)
            for f in item.files.all()
        ],
        nep=[schemas.NepRef(report=a.issue.report.code, date=a.issue.date) for a in page.nep],
        references=[
            schemas.ReferenceOut(
                position=r.position,
                text=r.raw_text,
                status=r.status,
                target=item_summary(request, r.target, handles) if r.is_citation and r.target else None,
            )
            for r in page.references
        ],
        cited_by_total=page.cited_by_total,
        cited_by=[item_summary(request, entry.item, handles) for entry in page.cited_by],
        related=[
            schemas.RelatedOut(score=entry.score, item=item_summary(request, entry.item, handles))
            for entry in page.related
        ],
        versions=[item_summary(request, entry.item, handles) for entry in page.versions],
        statistics=statistics(totals),
        withdrawn=schemas.Withdrawal(
            at=item.withdrawn_at,
            note=item.withdrawal_note,
            replaced_by=item.replaced_by.handle if item.replaced_by else None,
        )
        if item.withdrawn_at
        else None,
    )


DETAIL_FIELDS = (
    "handle", "kind", "title", "abstract", "year", "creation_date", "revision_date", "publication_date", "number",
    "pages", "volume", "issue", "journal", "book_title", "publisher", "edition", "isbn", "issn", "doi", "language",
    "publication_status", "note",
)  # fmt: skip
STAT_FIELDS = ("views_month", "downloads_month", "views_year", "downloads_year", "views_all", "downloads_all")


def statistics(totals: ItemStatTotals | None) -> schemas.Statistics:
    """The totals refresh_stats keeps (ItemStatTotals); zeros before its first run."""
    if totals is None:
        return schemas.Statistics(last_month=None, **dict.fromkeys(STAT_FIELDS, 0))
    return schemas.Statistics(last_month=totals.last_month, **{name: getattr(totals, name) for name in STAT_FIELDS})


def series_ref(request: HttpRequest, series: Series) -> schemas.SeriesRef:
    return schemas.SeriesRef(
        handle=series.handle,
        name=series.name,
        archive=series.archive.code,
        api_url=absolute(request, api_path("api_series", archive=series.archive.code, series=series.code)),
    )


def archive(request: HttpRequest, archive: Archive) -> dict:
    return {
        "code": archive.code,
        "handle": archive.handle,
        "name": archive.name,
        "homepage": archive.homepage,
        "description": archive.description,
        "series_count": archive.series_count,
        "item_count": archive.item_count,
        "citation_count": archive.citation_count,
        "url": absolute(request, archive.get_absolute_url()),
        "api_url": absolute(request, api_path("api_archive", archive=archive.code)),
    }


def series(request: HttpRequest, series: Series, archive_code: str) -> dict:
    return {
        "code": series.code,
        "archive": archive_code,
        "handle": series.handle,
        "name": series.name,
        "kind": series.kind,
        "description": series.description,
        "homepage": series.homepage,
        "issn": series.issn,
        "provider": series.provider_name,
        "item_count": series.item_count,
        "citation_count": series.citation_count,
        "url": absolute(request, reverse("series", kwargs={"archive": archive_code, "series": series.code})),
        "api_url": absolute(request, api_path("api_series", archive=archive_code, series=series.code)),
    }


def person(request: HttpRequest, person: Person) -> dict:
    return {
        "short_id": person.short_id,
        "handle": person.handle,
        "name": person.name_full,
        "homepage": person.homepage,
        "orcid": person.orcid,
        "url": absolute(request, person.get_absolute_url()),
        "api_url": absolute(request, api_path("api_author", short_id=person.short_id)),
    }


def jel(request: HttpRequest, code: JelCode) -> dict:
    return {
        "code": code.code,
        "name": code.name,
        "parent": code.parent_id,
        "item_count": code.item_count,
        "api_url": absolute(request, api_path("api_jel_code", code=code.code)),
    }


def nep_report(request: HttpRequest, report: NepReport) -> dict:
    return {
        "code": report.code,
        "name": report.name,
        "url": absolute(request, report.get_absolute_url()),
        "api_url": absolute(request, api_path("api_nep_report", code=report.code)),
    }


def nep_issue(request: HttpRequest, issue: NepIssue, report_code: str) -> dict:
    date = issue.date.isoformat()
    return {
        "report": report_code,
        "date": issue.date,
        "url": absolute(request, reverse("nep_issue", kwargs={"code": report_code, "date": date})),
        "api_url": absolute(request, api_path("api_nep_issue", code=report_code, date=date)),
    }


def institution_ref(request: HttpRequest, institution: Institution) -> dict:
    """An institution where another record names it (no e-mail address, as everywhere here)."""
    return {
        "handle": institution.handle,
        "code": institution.code,
        "name": institution.name,
        "country": institution.country,
        "location": institution.location,
        "homepage": institution.homepage,
        "url": absolute(request, institution.get_absolute_url()),
        "api_url": absolute(request, api_path("api_institution", code=institution.code)),
    }


def institution(request: HttpRequest, institution: Institution, parent_code: str | None) -> dict:
    """In a list: the reference, and the code of its parent."""
    return {**institution_ref(request, institution), "parent": parent_code}
