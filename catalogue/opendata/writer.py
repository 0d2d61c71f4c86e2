"""Writing a dump: one gzipped JSON Lines file per kind, a manifest and checksums, swapped in
whole so a reader never sees half of one.

The layout under the dump directory (settings.OPEN_DATA_DIR):
    20261207T023000Z/      one generation: items.jsonl.gz ... manifest.json SHA256SUMS
    current -> 20261207T023000Z   a symbolic link, replaced in one rename when a new one is whole
A new generation is written into `.tmp-<stamp>/` beside them, renamed to `<stamp>/` when every
file is written and closed, then `current` is pointed at it (a new link renamed over the old
one: atomic on POSIX). The generation before is kept (a download begun on it goes on), older
ones are deleted. A failure anywhere removes the temporary folder and leaves `current` as it was.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .. import pagecache
from . import records

logger = logging.getLogger(__name__)

SCHEMA = 1
CURRENT = "current"
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
TMP_PREFIX = ".tmp-"
CHUNK_SIZE = 2000
LICENCE = {
    "metadata": "CC0-1.0",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/",
    "statement": (
        "The bibliographic metadata in these files (handles, titles, authors' names, dates, series, "
        "keywords, JEL codes, links, institutions, citations, NEP announcements and usage figures) is dedicated to "
        "the public domain under CC0 1.0: copy, modify and redistribute it, even commercially, without "
        "asking. Abstracts are not ours to give: they remain the work of their authors and publishers, "
        "are included as the publishers supplied them, and reusing them beyond what the law allows "
        "(quotation, text and data mining where permitted) may need their permission."
    ),
}


class HashingWriter:
    """A binary file that hashes (sha256) and counts the bytes written through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.sha256, self.bytes = raw, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.bytes += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def encode(value: Any) -> str:
    """JSON's fallback for what values() returns beside strings and numbers: dates."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def write_kind(kind: records.Kind, folder: Path, chunk_size: int, mtime: float) -> dict[str, Any]:
    """Write `kind`'s file into `folder`, chunk by chunk; its manifest entry."""
    count = 0
    with open(folder / kind.filename, "wb") as raw:
        hashing = HashingWriter(raw)
        # mtime fixed: the same rows make the same bytes (and the same checksum) whenever written
        with gzip.GzipFile(filename="", mode="wb", fileobj=hashing, compresslevel=6, mtime=int(mtime)) as out:
            for chunk in kind.chunks(chunk_size):
                lines = "".join(
                    json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=encode) + "\n"
                    for record in chunk
                )
                out.write(lines.encode("utf-8"))
                count += len(chunk)
        raw.flush()
        os.fsync(raw.fileno())
    return {
        "name": kind.filename,
        "kind": kind.name,
        "records": count,
        "bytes": hashing.bytes,
        "sha256": hashing.sha256.hexdigest(),
    }


@dataclass
class Dump:
    folder: Path
    manifest: dict[str, Any]
    seconds: float

    def summary(self) -> str:
        files = self.manifest["files"]
        counts = ", ".join(f"{entry['records']} {entry['kind']}" for entry in files)
        size = sum(entry["bytes"] for entry in files)
        return f"dump {self.folder.name}: {counts}; {size:,} bytes in {self.seconds:.1f} s"


def dump(
    root: Path | str | None = None, *, chunk_size: int = CHUNK_SIZE, kinds: Iterable[records.Kind] = records.KINDS
) -> Dump:
    """Write a new generation of the dump under `root` (settings.OPEN_DATA_DIR) and make it
    current; raises (leaving the current one as it was) on any failure."""
    root = Path(root or settings.OPEN_DATA_DIR)
    root.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    now = timezone.now().replace(microsecond=0)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    temporary = root / f"{TMP_PREFIX}{stamp}-{os.getpid()}"
    temporary.mkdir()
    try:
        with snapshot():
            files = [write_kind(kind, temporary, chunk_size, now.timestamp()) for kind in kinds]
        manifest = {
            "schema": SCHEMA,
            "generated_at": now.isoformat().replace("+00:00", "Z"),
            "site": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "format": "JSON Lines (one JSON object a line, UTF-8), gzip-compressed; one file per kind",
            "licence": LICENCE,
            "files": files,
        }
        (temporary / CHECKSUMS).write_text("".join(f"{entry['sha256']}  {entry['name']}\n" for entry in files))
        (temporary / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        folder = unique_folder(root, stamp)
        temporary.rename(folder)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    make_current(root, folder)
    prune(root, keep={folder.name, previous_name(root, folder)})
    pagecache.changed(pagecache.OPENDATA)
    return Dump(folder, manifest, time.monotonic() - started)


class snapshot:
    """Every file of a dump read from one snapshot of the database on PostgreSQL (a read-only,
    repeatable-read transaction), so a citation never names an item the items file lacks. Inside
    a transaction already (tests), or on SQLite (one writer at a time anyway), nothing more."""

    def __enter__(self) -> None:
        self.atomic = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

    def __exit__(self, *exc: object) -> None:
        if self.atomic is not None:
            self.atomic.__exit__(*exc)  # type: ignore[arg-type]


def unique_folder(root: Path, stamp: str) -> Path:
    """`root/stamp`, or `stamp-2`, ... when two dumps start in the same second."""
    folder, n = root / stamp, 1
    while folder.exists():
        n += 1
        folder = root / f"{stamp}-{n}"
    return folder


def make_current(root: Path, folder: Path) -> None:
    """Point `root/current` at `folder` in one rename (a reader sees the old or the new one)."""
    link = root / f"{TMP_PREFIX}{CURRENT}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(folder.name)
    link.replace(root / CURRENT)


def previous_name(root: Path, folder: Path) -> str:
    """The newest generation older than `folder` (kept for downloads begun on it)."""
    older = sorted(p.name for p in generations(root) if p.name < folder.name)
    return older[-1] if older else ""


def generations(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and p.name[:1].isdigit()]


def prune(root: Path, keep: set[str]) -> None:
    """Delete generations but `keep`, and temporary folders a killed dump left (a day old)."""
    for folder in generations(root):
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    for leftover in root.glob(f"{TMP_PREFIX}*"):
        if leftover.is_dir() and time.time() - leftover.stat().st_mtime > 86400:
            shutil.rmtree(leftover, ignore_errors=True)


# -- reading the current dump (the view, the page) ------------------------------------------


@dataclass(frozen=True)
class Current:
    folder: Path  # the generation `current` pointed at when read: files and manifest agree
    manifest: dict[str, Any]

    def path_of(self, name: str) -> Path | None:
        """The file `name` if the manifest lists it (or is the manifest or checksums); None else.
        Only names read from the manifest are joined to the folder: nothing a client sends is."""
        allowed = {entry["name"] for entry in self.manifest.get("files", [])} | {MANIFEST, CHECKSUMS}
        for known in allowed:
            if known == name:
                return self.folder / known
        return None


def current(root: Path | str | None = None) -> Current | None:
    """The current dump, or None when there is none yet (or its manifest cannot be read)."""
    link = Path(root or settings.OPEN_DATA_DIR) / CURRENT
    try:
        folder = link.resolve(strict=True)
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        if link.is_symlink():
            logger.warning("open data: the current dump at %s cannot be read: %s", link, error)
        return None
    if not isinstance(manifest, dict):
        return None
    return Current(folder, manifest)
