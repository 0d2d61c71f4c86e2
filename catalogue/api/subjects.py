"""JEL codes and NEP reports: their lists and their items, as on /j/ and /n/ (browse.queries)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Router

from ..browse.queries import items_in_order, jel_family, jel_item_ids, nep_issue_item_ids
from ..models import JelCode, ListAnchor, NepIssue, NepReport
from . import cursors, records
from .cursors import DEFAULT_LIMIT, Cursor, Limit
from .schemas import (
    JelDetail,
    JelOut,
    JelPage,
    NepIssueDetail,
    NepIssueOut,
    NepIssuePage,
    NepReportDetail,
    NepReportOut,
    NepReportPage,
    answers,
)

router = Router(tags=["JEL and NEP"])


@router.get("/jel", response=answers(JelPage), url_name="api_jel", operation_id="jel")
def jel_codes(request: HttpRequest, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """Every JEL code in code order (the tree: each names its parent), with its items. Queries: 1."""
    page, following = cursors.by_column(JelCode.objects.all(), "code", cursor, "jel", limit)
    return JelPage(
        items=[JelOut(**records.jel(request, c)) for c in page],
        next_cursor=following,
        next=cursors.next_address(request, following),
    )


@router.get("/jel/{code}", response=answers(JelDetail), url_name="api_jel_code", operation_id="jel_code")
def jel_code(request: HttpRequest, code: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """A JEL code, its sub-codes, and the items under it or under its sub-codes, most recently
    catalogued first, paged. Queries: 4 (the code's family, a page of ids, items, authors)."""
    code = code.upper()
    family = jel_family(code) if code.isascii() and code.isalnum() and len(code) <= 3 else []
    subtree = [c for c in family if c.code.startswith(code)]
    if not subtree or subtree[0].code != code:
        raise Http404(f"There is no JEL code {code}.")
    subject = subtree[0]
    scope = f"jel:{subject.code}"
    key = cursors.read(cursor, scope)
    anchor = ListAnchor(item_id=key[0]) if key else None
    ids = cursors.after_anchor(jel_item_ids(subject, [c.code for c in subtree]), key, anchor, limit)
    items = items_in_order(ids[:limit])
    return JelDetail(
        **records.jel(request, subject),
        children=[JelOut(**records.jel(request, c)) for c in subtree if c.parent_id == subject.code],
        items=cursors.item_page(request, items, len(ids) > limit, scope, lambda i: [i.pk], subject.item_count),
    )


@router.get("/nep", response=answers(NepReportPage), url_name="api_nep", operation_id="nep")
def nep_reports(request: HttpRequest, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """Every NEP report (New Economics Papers) by code. Queries: 1."""
    page, following = cursors.by_column(NepReport.objects.all(), "code", cursor, "nep", limit)
    return NepReportPage(
        items=[NepReportOut(**records.nep_report(request, r)) for r in page],
        next_cursor=following,
        next=cursors.next_address(request, following),
    )


@router.get("/nep/{code}", response=answers(NepReportDetail), url_name="api_nep_report", operation_id="nep_report")
def nep_report(request: HttpRequest, code: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """A NEP report and its issues, newest first, paged. Queries: 2."""
    report = records.one(NepReport.objects.filter(code=code.lower()), "NEP report")
    scope = f"nep:{report.pk}"
    key = cursors.read(cursor, scope)
    rows = report.issues.order_by("-date", "-pk")
    if key:
        date, pk = datetime.date.fromisoformat(key[0]), key[1]
        rows = rows.filter(Q(date__lt=date) | Q(date=date, pk__lt=pk))
    page, following = cursors.paged(list(rows[: limit + 1]), limit, scope, lambda i: [i.date.isoformat(), i.pk])
    return NepReportDetail(
        **records.nep_report(request, report),
        issues=NepIssuePage(
            items=[NepIssueOut(**records.nep_issue(request, i, report.code)) for i in page],
            next_cursor=following,
            next=cursors.next_address(request, following),
        ),
    )


@router.get("/nep/{code}/{date}", response=answers(NepIssueDetail), url_name="api_nep_issue", operation_id="nep_issue")
def nep_issue(request: HttpRequest, code: str, date: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """The items an issue (`yyyy-mm-dd`) of a report announced, in the editor's order, paged.
    Queries: 4 (the issue with its report, a page of ids, items, authors)."""
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        raise cursors.Invalid({"date": ["A NEP issue is named by its date, yyyy-mm-dd."]}) from None
    issues = NepIssue.objects.select_related("report").filter(report__code=code.lower(), date=day)
    issue = records.one(issues, "NEP issue")
    scope = f"nep-issue:{issue.pk}"
    key = cursors.read(cursor, scope)
    rows = nep_issue_item_ids(issue).values_list("position", "item_id")
    rows = rows.filter(position__gt=key[0]) if key else rows
    found = list(rows[: limit + 1])
    positions = {item_id: position for position, item_id in found}
    items = items_in_order([item_id for _, item_id in found[:limit]])
    return NepIssueDetail(
        **records.nep_issue(request, issue, issue.report.code),
        report_name=issue.report.name,
        items=cursors.item_page(request, items, len(found) > limit, scope, lambda i: [positions[i.pk]]),
    )
