"""Missing citations that readers report (`CitationReport`), and their moderation.

A reader reports that a reference of an item cites a catalogue item (LINK), or that an item
cites another though its reference list does not show it (CITES). The report waits, pending,
until a moderator approves it, which makes the citation (a *confirmed* reference, which the
matcher never reads again), or rejects it, which changes nothing else. Views, forms and admin
actions all go through these functions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from ..handles import looks_like_handle
from ..models import CitationReport, Item, Reference, item_by_handle
from ..models.roles import is_catalogue_staff, publisher_archives
from .counts import refresh_citation_counts
from .matching import flag_self_citations

Kind = CitationReport.Kind
Status = CitationReport.Status

# the pages whose address names an item (their URL names): its page and its sub-pages
ITEM_PAGES = {"item", "cited_by", "item_stats"}

UNKNOWN = "No item in the catalogue has this handle or address."
DUPLICATE = "You have already reported this; a moderator will review it."


logger = logging.getLogger(__name__)


def find_item(text: str) -> Item | None:
    """The item a reader names, with its series and archive: by its handle (any case, or an old
    handle), or by the address of its page or sub-pages. Only the path of an address is read,
    so an IDEAS address, which is ours with another host, works too."""
    text = text.strip()
    if not text:
        return None
    if "/" not in text or looks_like_handle(text):
        return item_by_handle(text)
    try:
        path = urlsplit(text if "//" in text or text.startswith("/") else f"//{text}").path
        match = resolve(unquote(path) or "/")
    except (ValueError, Resolver404):
        return None
    if match.url_name == "handle":
        return item_by_handle(match.kwargs["handle"])
    if match.url_name in ITEM_PAGES:
        kw = match.kwargs
        return Item.objects.select_related("series__archive").at_path(kw["archive"], kw["series"], kw["code"]).first()
    return None


def can_be_linked(reference: Reference) -> bool:
    """Whether the item page offers readers to link this reference: it is no citation yet, and
    no person has rejected a link of it (the form itself takes any reference: a wrong match
    can be reported too)."""
    return reference.status in (Reference.Status.UNMATCHED, Reference.Status.UNCERTAIN)


def _pending(user, kind: str, citing_id: int, cited_id: int) -> bool:
    return CitationReport.objects.filter(
        submitted_by=user, kind=kind, citing_id=citing_id, cited_id=cited_id, status=Status.PENDING
    ).exists()


def link_problem(reference: Reference, cited: Item, user) -> str | None:
    """Why `user` may not report that `reference` cites `cited`; None when they may."""
    if cited.pk == reference.citing_id:
        return "This is the item the reference belongs to: an item does not cite itself."
    if reference.is_citation and reference.target_id == cited.pk:
        return "This reference already links to that item."
    if _pending(user, Kind.LINK, reference.citing_id, cited.pk):
        return DUPLICATE
    return None


def cites_problem(citing: Item, cited: Item, user) -> str | None:
    """Why `user` may not report that `citing` cites `cited`; None when they may."""
    if citing.pk == cited.pk:
        return "This is the item itself: an item does not cite itself."
    if Reference.objects.citing(cited).filter(citing=citing).exists():
        return "That item is already listed as citing this one."
    if _pending(user, Kind.CITES, citing.pk, cited.pk):
        return DUPLICATE
    return None


def submit_report(
    user, kind: str, citing: Item, cited: Item, *, reference: Reference | None = None, text: str = ""
) -> CitationReport | None:
    """A new pending report; None when the same reader's same report is already pending (two
    submissions racing past the form's check meet the constraint `citationreport_one_pending`)."""
    try:
        with transaction.atomic():
            return CitationReport.objects.create(
                kind=kind, reference=reference, citing=citing, cited=cited, text=text, submitted_by=user
            )
    except IntegrityError:
        if _pending(user, kind, citing.pk, cited.pk):
            return None
        raise


def can_moderate(user, report: CitationReport) -> bool:
    """Whether `user` may approve or reject `report`: superusers, staff holding the change
    permission on reports, and the publishers of the cited item's archive."""
    if is_catalogue_staff(user, "catalogue.change_citationreport"):
        return True
    return publisher_archives(user).filter(series__items__pk=report.cited_id).exists()


def approve_report(report: CitationReport, user) -> bool:
    """Make the citation `report` describes, and mark it approved by `user`. False, and nothing
    done, when it was already decided. Other pending reports of the same pair stay pending."""
    with transaction.atomic():
        if not _lock_pending(report):
            return False
        now = timezone.now()
        reference = None
        if report.kind == Kind.LINK and report.reference_id:
            reference = Reference.objects.select_for_update().filter(pk=report.reference_id).first()
        if reference is None:
            reference = _reference_to_confirm(report)
        touched = {reference.target_id, report.cited_id}
        reference.link(Reference.Status.CONFIRMED, report.cited_id, now)
        reference.decided_by, reference.decided_at = user, now
        flag_self_citations([reference])
        reference.save()
        _decide(report, user, Status.APPROVED, now)
        refresh_citation_counts({pk for pk in touched if pk is not None})
    return True


def reject_report(report: CitationReport, user) -> bool:
    """Mark `report` rejected by `user`; nothing else changes. False when it was already decided."""
    with transaction.atomic():
        if not _lock_pending(report):
            return False
        _decide(report, user, Status.REJECTED, timezone.now())
    return True


def _lock_pending(report: CitationReport) -> bool:
    """Lock the report's row; True when it is still pending."""
    status = CitationReport.objects.select_for_update().filter(pk=report.pk).values_list("status", flat=True)
    return status.first() == Status.PENDING


def _decide(report: CitationReport, user, status: str, now) -> None:
    report.status, report.decided_by, report.decided_at = status, user, now
    report.save(update_fields=["status", "decided_by", "decided_at"])
    transaction.on_commit(partial(tell_submitter, report.pk))


def tell_submitter(report_id: int) -> bool:
    """E-mail the reader who sent the report what became of it (after the decision is committed;
    a failure to send is logged, never raised)."""
    report = (
        CitationReport.objects.select_related("submitted_by", "citing__series__archive", "cited__series__archive")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not report.submitted_by.email:
        return False
    verdict = "approved: the citation now counts" if report.status == Status.APPROVED else "not approved"
    body = (
        f"Thank you for your report that\n  {report.citing.title}\n"
        f"  {settings.SITE_URL}{report.citing.get_absolute_url()}\n"
        f"cites\n  {report.cited.title}\n  {settings.SITE_URL}{report.cited.get_absolute_url()}\n\n"
        f"A moderator has decided on it: {verdict}.\n\n"
        f"Your reports: {settings.SITE_URL}{reverse('my_reports')}\n"
    )
    try:
        send_mail(
            f"[{settings.SITE_NAME}] Your citation report was {report.get_status_display().lower()}",
            body,
            None,
            [report.submitted_by.email],
        )
    except Exception:
        logger.warning("could not e-mail the decision on citation report %s", report_id, exc_info=True)
        return False
    return True


def _reference_to_confirm(report: CitationReport) -> Reference:
    """CITES: the citing item's reference to the cited one if it has one (uncertain, say), else
    a new reference at the end of its list with the text the reader gave (from position
    Reference.READERS_FROM, which reloads of the list from its source keep)."""
    # the citing item's row, locked: two approvals appending to one list take turns
    list(Item.objects.select_for_update().filter(pk=report.citing_id).values_list("pk", flat=True))
    existing = (
        Reference.objects.select_for_update()
        .filter(citing_id=report.citing_id, target_id=report.cited_id)
        .order_by("position")
        .first()
    )
    if existing is not None:
        return existing
    # after the list's own references, in the readers' range, which a reload leaves alone
    last = Reference.objects.filter(citing_id=report.citing_id).aggregate(last=Max("position"))["last"]
    position = max(Reference.READERS_FROM, 0 if last is None else last + 1)
    text = report.text or (report.reference.raw_text if report.reference else "")
    return Reference(citing_id=report.citing_id, position=position, raw_text=text)


@dataclass
class Moderation:
    """What a batch of decisions did: decided, already decided before, not the user's to decide."""

    done: int = 0
    already: int = 0
    not_allowed: int = 0


def moderate(reports: Iterable[CitationReport], user, *, approve: bool) -> Moderation:
    """Approve (or reject) each report `user` may moderate, one transaction each."""
    outcome = Moderation()
    decide = approve_report if approve else reject_report
    for report in reports:
        if not can_moderate(user, report):
            outcome.not_allowed += 1
        elif decide(report, user):
            outcome.done += 1
        else:
            outcome.already += 1
    return outcome
