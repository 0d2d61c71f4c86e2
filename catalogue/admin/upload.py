"""Upload ReDIF files in the admin (/admin/catalogue/upload-redif/).

Catalogue staff may upload records of any archive, a publisher those of their own archives
(catalogue/redif/uploads.py); the report is shown on the page. The URL is added to the
default admin site by wrapping its get_urls (DECISIONS.md, "ReDIF upload in the admin").
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_http_methods

from ..ingest.report import ImportReport
from ..ingest.uploads import import_uploads, may_upload, not_redif, upload_archives

logger = logging.getLogger(__name__)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows ("Uploading multiple files")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)) and data:
            return [single(one, initial) for one in data]
        return [single(data or None, initial)]  # nothing sent: "This field is required."


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="ReDIF files",
        help_text="One or more ReDIF files (.rdf), in any of the encodings the importer reads.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.REDIF_UPLOAD_MAX_BYTES
        total = sum(upload.size for upload in files)
        if total > limit:
            raise forms.ValidationError(
                f"The files add up to {filesizeformat(total)}; at most {filesizeformat(limit)} may be uploaded at once."
            )
        problems = []
        for upload in files:
            upload.seek(0)
            reason = not_redif(upload.read())
            upload.seek(0)
            if reason:
                problems.append(forms.ValidationError(f"{upload.name}: {reason}"))
        if problems:
            raise forms.ValidationError(problems)
        return files


@transaction.non_atomic_requests  # the importer commits template by template (ATOMIC_REQUESTS)
@require_http_methods(["GET", "POST"])
def upload_redif(request):
    if not may_upload(request.user):
        raise PermissionDenied
    archives = upload_archives(request.user)
    report = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            report, names = import_uploads(form.cleaned_data["files"], archives)
            tell(request, names, archives, report)
        else:
            logger.info("ReDIF upload by %s refused: %s", request.user.get_username(), form.errors.get_json_data())
    else:
        form = UploadForm()
    context = {
        **admin.site.each_context(request),
        "title": "Upload ReDIF files",
        "form": form,
        "archives": sorted(archives) if archives is not None else None,
        "max_bytes": settings.REDIF_UPLOAD_MAX_BYTES,
        "report": report,
        "outcomes": outcomes(report) if report else [],
        "errors": listed(report.errors) if report else None,
        "warnings": listed(report.warnings) if report else None,
    }
    return TemplateResponse(request, "admin/catalogue/upload_redif.html", context)


def tell(request, names: list[str], archives: set[str] | None, report: ImportReport) -> None:
    """Log the upload with its user, and say how it went."""
    user = request.user.get_username()
    scope = ", ".join(sorted(archives)) if archives is not None else "any archive"
    files = ", ".join(names)
    level = logging.INFO if report.ok else logging.WARNING
    logger.log(level, "ReDIF upload by %s (%s) of %s: %s", user, scope, files, report.summary())
    written = sum(report.created.values()) + sum(report.updated.values()) + sum(report.unchanged.values())
    if report.ok:
        messages.success(request, f"Imported {files}: {report.summary()}.")
    elif written:
        messages.warning(
            request, f"Imported {files} in part: {len(report.errors)} template(s) were not written (see below)."
        )
    else:
        messages.error(request, f"Nothing of {files} was imported: {len(report.errors)} error(s) (see below).")


#: the most lines of each kind the page lists (20 MB of stray lines gives some 800,000 warnings)
LISTED = 1000


def listed(lines: list[str]) -> tuple[list[str], int]:
    """The first LISTED lines, and how many more there are."""
    return lines[:LISTED], max(0, len(lines) - LISTED)


def outcomes(report: ImportReport) -> list[tuple[str, int, str]]:
    """(outcome, total, "1 archive, 2 paper") for each row of the report's table."""
    rows = [
        ("created", report.created),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("not stored (types this catalogue does not hold)", report.skipped),
    ]
    return [
        (label, sum(counter.values()), ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())))
        for label, counter in rows
    ]


def _get_urls(get_urls):
    def with_upload():
        upload = path("catalogue/upload-redif/", admin.site.admin_view(upload_redif), name="catalogue_upload_redif")
        return [upload, *get_urls()]  # before the app's and the catch-all patterns

    return with_upload


admin.site.get_urls = _get_urls(admin.site.get_urls)
