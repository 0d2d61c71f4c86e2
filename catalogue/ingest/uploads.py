"""ReDIF files uploaded in the admin: who may, what a file must look like, and the import.

The files go through the same Importer as `manage.py import_redif`, restricted to the
uploader's archives unless they are catalogue staff. They are saved under their own
(sanitised) names in a temporary folder, so that the report's `file:line` names what was
uploaded, not where it was kept.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile

from ..models.roles import archive_codes, is_catalogue_staff, is_publisher
from ..redif.decoding import decode
from .importer import Importer
from .report import ImportReport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# A line the parser takes for the start of a template (parser._parse_lines, _template_type).
TEMPLATE_TYPE = re.compile(r"^template-type:[ \t]*redif-", re.IGNORECASE | re.MULTILINE)
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 100


def may_upload(user: User | AnonymousUser) -> bool:
    """Catalogue staff, and publishers (staff-flagged accounts named on an archive)."""
    return is_catalogue_staff(user) or is_publisher(user)


def upload_archives(user: User | AnonymousUser) -> set[str] | None:
    """The archive codes this user's uploads may write; None (any archive) for catalogue staff."""
    return None if is_catalogue_staff(user) else archive_codes(user)


def not_redif(data: bytes) -> str | None:
    """Why these bytes are not a ReDIF file, or None when they may be one.

    The importer decodes any bytes (decoding.decode never fails), so a binary file would only
    come out as a screenful of "text before the first Template-Type line"; a file without a
    single Template-Type line is refused before anything is imported.
    """
    if TEMPLATE_TYPE.search(decode(data)) is None:
        return "it is not ReDIF text: it holds no “Template-Type: ReDIF-…” line (a binary file, or another format?)"
    return None


def safe_name(name: str, taken: set[str]) -> str:
    """A file name made of letters, digits, dot, dash and underscore, not yet in `taken`."""
    name = UNSAFE.sub("_", Path(name).name).lstrip("._")[-MAX_NAME:] or "upload.rdf"
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{suffix}"
    taken.add(candidate.lower())
    return candidate


def import_uploads(files: Iterable[UploadedFile], archives: set[str] | None) -> tuple[ImportReport, list[str]]:
    """Import uploaded ReDIF files, in the order given; the report and the names it uses.

    Called outside any transaction: the importer commits each template (or batch of items) in
    its own, and on PostgreSQL indexes on a second connection that must see them.
    """
    with tempfile.TemporaryDirectory(prefix="redif-upload-") as folder:
        taken: set[str] = set()
        paths = []
        for upload in files:
            path = Path(folder) / safe_name(upload.name or "", taken)
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            paths.append(path)
        # One process: no reader process is forked from a web worker (PARALLEL_MIN_BYTES).
        report = Importer(archives=archives, parallel_min_bytes=None).import_paths(paths)
        prefix = os.path.join(folder, "")  # the folder, with a separator at the end
        report.errors = [line.replace(prefix, "") for line in report.errors]
        report.warnings = [line.replace(prefix, "") for line in report.warnings]
    return report, [path.name for path in paths]
