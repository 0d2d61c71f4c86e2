"""One harvest of one archive: list, fetch what changed, import it, withdraw what has gone.

The archive's folder (its Archive template's URL) is listed; its `<code>arch` and
`<code>seri` files (.rdf or .redif) come first, then every ReDIF file of each series folder
and its subfolders. Each file is asked for conditionally (ETag, Last-Modified) and compared
by SHA-256 over HTTP, by size and modification time over FTP; a new or changed file goes
through the importer (the one `import_redif` and the admin upload use), so each template
lands whole or not at all and the report names `url:line`. A file's fetch state is written
only after the importer has finished, so a harvest that stops half-way fetches it again.

Withdrawal: a known file missing from the listing of a successful harvest counts one; at the
third in a row its items (those no other file of the archive still holds) are withdrawn.
A harvest whose listing failed, or that misses more than a fifth of the archive's files,
withdraws nothing, counts nothing and is flagged.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from ..changes import items_changed
from ..handles import handle_key
from ..ingest.importer import Importer, archive_of
from ..ingest.report import ImportReport
from ..ingest.uploads import not_redif
from ..models import Archive, HarvestFile, HarvestRun, Item, Kind, Series
from ..redif.parser import parse_bytes
from ..redif.reading import Read, gc_frozen, read
from ..redif.records import ArchiveRecord, InstitutionRecord, ItemRecord, PersonRecord, Record
from .fetch import Client, FetchError, sha256, split_url
from .listing import Entry
from .spool import Spool

logger = logging.getLogger(__name__)

MISSING_RUNS = 3  # successful harvests in a row without a file before its items are withdrawn
GONE_SHARE = 0.2  # more than this share of an archive's files gone: nothing withdrawn, run flagged
MAX_DEPTH = 4  # subfolders below a series folder
WITHDRAWAL_NOTE = "No longer in its archive: "
ITEM_KINDS = {kind.value for kind in Kind}
FILE_STATE = ["etag", "last_modified", "sha256", "size", "mtime", "handles", "last_seen_run", "last_fetched",
              "missing_count", "withdrawn"]  # fmt: skip


class HarvestImporter(Importer):
    """The importer, writing only the harvested archive's records: Archive templates of other
    archives, persons and institutions, only from a registry archive (HARVEST_REGISTRY_ARCHIVES),
    so that no archive can move another's URL or rewrite a person or an institution."""

    def __init__(self, code: str) -> None:
        super().__init__(parallel_min_bytes=None)
        self.code = code
        self.registry = code in {c.lower() for c in settings.HARVEST_REGISTRY_ARCHIVES}

    def allowed(self, record: Record) -> bool:
        owner = archive_of(record)
        if owner == self.code or (
            self.registry and isinstance(record, (ArchiveRecord, PersonRecord, InstitutionRecord))
        ):
            return True
        kind = "an institution" if isinstance(record, InstitutionRecord) else "a person"
        what = f"{record.handle} is not in the archive {self.code}" if owner else f"{kind} is not an archive's record"
        self.error(record, f"{what}: nothing of it was written")
        return False


@dataclass
class Pending:
    """A fetched file's new state, written once the importer has finished."""

    entry: Entry
    etag: str = ""
    last_modified: str = ""
    sha: str = ""
    handles: set[str] = field(default_factory=set)
    imported: bool = False


class Harvest:
    """`parallel`: the series' files may be read in a second process (not from a web request)."""

    def __init__(self, run: HarvestRun, client: Client, parallel: bool = False) -> None:
        self.run = run
        self.archive = run.archive
        self.client = client
        self.root = run.url if run.url.endswith("/") else run.url + "/"
        self.known = {f.url: f for f in HarvestFile.objects.filter(archive=self.archive)}
        self.importer = HarvestImporter(self.archive.code)
        self.pending: dict[str, Pending] = {}
        self.seen: set[str] = set()
        self.errors: list[str] = []
        self.listing_failed = False
        self.reached = False  # anything at all answered
        self.parallel = parallel
        self.spool: Spool | None = None  # the series' files, read once the walk is over

    # -- the walk ------------------------------------------------------------------------------

    def go(self) -> None:
        split_url(self.root)  # refuses a scheme other than http, https, ftp
        with self.importer.indexing_beside(), gc_frozen(), tempfile.TemporaryDirectory(prefix="harvest-") as folder:
            self.walk(Path(folder))
        self.save_files()
        self.count(self.importer.report)
        self.withdraw_missing()

    def walk(self, folder: Path) -> None:
        """List, fetch and import: the top files at once (the series they name tell which
        folders to walk), the series' files spooled to `folder` and read at the end; the
        importer finishes (its last batch, its counts) here."""
        entries = self.list(self.root)
        code = self.archive.code
        if entries is None:  # the usual names, asked for directly
            tops = [Entry(f"{self.root}{code}{kind}{suffix}", f"{code}{kind}{suffix}", False)
                    for kind in ("arch", "seri") for suffix in (".rdf", ".redif")]  # fmt: skip
        else:
            tops = sorted((e for e in entries if e.is_redif), key=lambda e: top_order(code, e.name))
        for entry in tops:
            self.file(entry, optional=entries is None and entry.name.endswith(".redif"))
        self.importer.flush()  # the series are written: their folders are known
        codes = set(Series.objects.filter(archive=self.archive).values_list("code", flat=True))
        if entries is None:
            folders = [Entry(f"{self.root}{c}/", c, True) for c in sorted(codes)]
        else:
            folders = [e for e in entries if e.is_dir and e.name.lower() in codes]
        self.spool = Spool(folder)
        for entry in folders:
            self.folder(entry, 0)
        self.importer.take(self.spool.reads(self.parallel))
        self.importer.finish()

    def list(self, url: str) -> list[Entry] | None:
        try:
            entries = self.client.listing(url)
        except FetchError as error:
            self.listing_failed = True
            self.errors.append(f"{url}: the listing failed: {error}")
            return None
        self.reached = True
        return entries

    def folder(self, folder: Entry, depth: int) -> None:
        entries = self.list(folder.url)
        if entries is None:
            return
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_redif:
                self.file(entry)
            elif entry.is_dir and depth < MAX_DEPTH:
                self.folder(entry, depth + 1)

    # -- one file ------------------------------------------------------------------------------

    def file(self, entry: Entry, optional: bool = False) -> None:
        """Fetch a file if it may have changed, and import it if it did."""
        known = self.known.get(entry.url)
        force = self.run.forced or (known is not None and known.withdrawn)
        run = self.run
        try:
            if entry.url.startswith("ftp:"):
                if not force and known and known.size == entry.size and known.mtime and known.mtime == entry.mtime:
                    self.unchanged(entry)
                    return
                body, etag, modified = self.client.ftp_get(entry.url), "", ""
            else:
                conditional = (
                    {} if force or known is None else {"etag": known.etag, "last_modified": known.last_modified}
                )
                fetched = self.client.get(entry.url, **conditional)
                if fetched.body is None:
                    self.unchanged(entry)
                    return
                body, etag, modified = fetched.body, fetched.etag, fetched.last_modified
        except FetchError as error:
            if optional and str(error) == "HTTP 404":
                return
            self.seen.add(entry.url)  # listed: not missing, only not had this time
            run.files_failed += 1
            self.errors.append(f"{entry.url}: {error}")
            return
        self.reached = True
        self.seen.add(entry.url)
        sha = sha256(body)
        pending = Pending(entry, etag, modified, sha)
        if not force and known is not None and known.sha256 == sha:
            pending.handles = known.handle_keys
            self.pending[entry.url] = pending
            run.files_unchanged += 1
            return
        why = not_redif(body)
        if why:
            run.files_failed += 1
            html = body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html"))
            self.errors.append(f"{entry.url}:1: " + ("an HTML page, not ReDIF (an error page?)" if html else why))
            return
        if self.spool is not None:
            self.spool.add(body, entry.url, pending.handles)
        else:
            self.importer.take(self.capture(read(parse_bytes(body, entry.url)), pending.handles))
        pending.imported = True
        self.pending[entry.url] = pending
        run.files_fetched += 1

    def unchanged(self, entry: Entry) -> None:
        self.reached = True
        self.seen.add(entry.url)
        self.run.files_unchanged += 1
        self.pending[entry.url] = Pending(entry, imported=False)

    @staticmethod
    def capture(reads: Iterable[Read], handles: set[str]) -> Iterator[Read]:
        """The reads, noting the item handles they hold (what the file's withdrawal would take)."""
        for r in reads:
            if isinstance(r[1], ItemRecord):
                handles.add(handle_key(r[1].handle))
            yield r

    # -- after the import ----------------------------------------------------------------------

    def save_files(self) -> None:
        """Each file's state, now that what it held is in (or reported): in a few statements,
        however many files (an unchanged archive of 1,000 files is one UPDATE)."""
        now = timezone.now()
        reappeared: set[str] = set()
        seen_again: list[int] = []
        new: list[HarvestFile] = []
        changed: list[HarvestFile] = []
        for url, p in self.pending.items():
            known = self.known.get(url)
            if known is not None and p.sha == "" and not p.imported:  # not fetched: only seen again
                seen_again.append(known.pk)
                known.missing_count = 0
                continue
            if known is None:
                known = self.known[url] = HarvestFile(archive=self.archive, url=url)
                new.append(known)
            else:
                changed.append(known)
                if known.withdrawn:
                    reappeared |= p.handles
            known.etag, known.last_modified, known.sha256 = p.etag, p.last_modified, p.sha
            known.size, known.mtime = p.entry.size, p.entry.mtime
            known.handles = "\n".join(sorted(p.handles))
            known.last_seen_run, known.last_fetched, known.missing_count, known.withdrawn = self.run, now, 0, False
        HarvestFile.objects.filter(pk__in=seen_again).update(last_seen_run=self.run, missing_count=0)
        HarvestFile.objects.bulk_create(new, batch_size=500)
        HarvestFile.objects.bulk_update(changed, FILE_STATE, batch_size=500)
        if reappeared:
            self.restore(reappeared)

    def count(self, report: ImportReport) -> None:
        run = self.run
        run.items_created = sum(n for kind, n in report.created.items() if kind in ITEM_KINDS)
        run.items_updated = sum(n for kind, n in report.updated.items() if kind in ITEM_KINDS)
        self.errors += report.errors
        run.warnings = "\n".join(report.warnings)

    def withdraw_missing(self) -> None:
        run = self.run
        active = [f for f in self.known.values() if not f.withdrawn]
        missing = [f for f in active if f.url not in self.seen]
        run.files_missing = len(missing)
        if not self.reached:
            run.status = HarvestRun.Status.FAILED
            run.flag = "nothing answered: nothing withdrawn"
            return
        if self.listing_failed:
            run.flag = "a listing failed: nothing withdrawn, no file counted missing"
        elif missing and len(missing) > GONE_SHARE * len(active):
            run.flag = (
                f"{len(missing)} of {len(active)} files gone (more than a fifth): nothing withdrawn, "
                "no file counted missing"
            )
        if run.flag:
            run.status = HarvestRun.Status.FLAGGED
            return
        run.status = HarvestRun.Status.OK
        still = set().union(*(f.handle_keys for f in active if f.url in self.seen))
        for f in missing:
            f.missing_count += 1
            if f.missing_count >= MISSING_RUNS:
                run.items_withdrawn += self.withdraw(f, f.handle_keys - still)
                f.withdrawn = True
            f.save(update_fields=["missing_count", "withdrawn"])

    def withdraw(self, gone: HarvestFile, keys: set[str]) -> int:
        items = Item.objects.filter(handle_key__in=keys, series__archive=self.archive, withdrawn_at=None)
        rows = list(items.values_list("pk", "series_id"))
        if rows:
            note = f"{WITHDRAWAL_NOTE}{gone.url} was missing from {MISSING_RUNS} harvests in a row"
            now = timezone.now()  # updated_at too: the OAI datestamp (catalogue/oai) moves
            Item.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                withdrawn_at=now, withdrawal_note=note[:500], updated_at=now
            )
            items_changed([pk for pk, _ in rows], series=[s for _, s in rows])
        return len(rows)

    def restore(self, keys: set[str]) -> None:
        """Items a harvest withdrew whose file has come back."""
        items = Item.objects.filter(
            handle_key__in=keys, series__archive=self.archive, withdrawal_note__startswith=WITHDRAWAL_NOTE
        ).exclude(withdrawn_at=None)
        rows = list(items.values_list("pk", "series_id"))
        if rows:
            Item.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                withdrawn_at=None, withdrawal_note="", updated_at=timezone.now()
            )
            items_changed([pk for pk, _ in rows], series=[s for _, s in rows])


def top_order(code: str, name: str) -> tuple[int, str]:
    """`<code>arch` first, `<code>seri` second, anything else after."""
    lower = name.lower()
    for rank, kind in enumerate(("arch", "seri")):
        if lower.startswith(code + kind + "."):
            return rank, lower
    return 2, lower


def harvest_archive(
    archive: Archive,
    *,
    force: bool = False,
    requested_by: User | AnonymousUser | None = None,
    client: Client | None = None,
    parallel: bool = False,
) -> HarvestRun:
    """Harvest one archive from its URL; the run, saved, whatever happened. `parallel`: its
    files may be read in a second process, as import_redif does (never from a web request)."""
    run = HarvestRun.objects.create(
        archive=archive,
        started=timezone.now(),
        url=archive.url,
        forced=force,
        requested_by=requested_by if isinstance(requested_by, User) else None,
    )
    own = client is None
    client = client or Client()
    harvest = Harvest(run, client, parallel)
    before = client.requests
    try:
        harvest.go()
    except FetchError as error:
        harvest.errors.append(f"{archive.url}: {error}")
        run.status = HarvestRun.Status.FAILED
    except Exception as error:  # a bug or the database: the run says so, the next archive goes on
        logger.exception("harvest of %s stopped", archive.code)
        harvest.errors.append(f"{archive.url}: the harvest stopped: {type(error).__name__}: {error}")
        run.status = HarvestRun.Status.FAILED
    finally:
        if own:
            client.close()
    run.requests = client.requests - before
    run.files_seen = len(harvest.seen)
    run.errors = "\n".join(harvest.errors)
    run.finished = timezone.now()
    run.save()
    return run
