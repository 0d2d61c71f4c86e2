"""ReDIF files into the database: upsert by handle, each template whole or not at all.

Archives, series and persons are written one template at a time, each in its own
transaction. Items, the bulk of any archive, are written in batches: every record is
validated in Python first (records.py), then a batch goes in with bulk statements inside one
transaction (rows.py: COPY on PostgreSQL, the ORM elsewhere); an item whose fingerprint
has not changed is not written at all. If the database refuses a batch, it is rolled back
and replayed one template at a time in savepoints, so that only the template at fault is
skipped and reported.

An item whose series is not known yet is held back and retried at the end of the run, so
the order of files in an archive does not matter. Big imports read (parse and validate) in
a second process while this one writes (reading.py); the report is the same.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ..changes import after_import, items_changed
from ..handles import archive_key, handle_key, handle_parts
from ..models import Affiliation, Archive, Claim, Institution, Item, ItemKeyword, Person, Series, VersionLink
from ..redif.parser import ReDIFError, Template
from ..redif.reading import (
    PARALLEL_MIN_BYTES,
    Read,
    ReaderProcess,
    fingerprint,
    gc_frozen,
    parallel_worthwhile,
    read,
    read_files,
)
from ..redif.records import ArchiveRecord, InstitutionRecord, ItemRecord, PersonRecord, Record, SeriesRecord
from ..search.indexing import IndexingThread
from .institutions import institution_values, key_of, link_affiliations, link_parents, values_fingerprint
from .lookups import Lookups, persons_named
from .report import ImportReport, redif_files
from .rows import child_rows, item_values, link_rows, store_for_connection

JelLink = Item.jel_codes.through

__all__ = ["ImportReport", "Importer", "fingerprint", "redif_files"]

logger = logging.getLogger(__name__)


class Importer:
    """Imports ReDIF templates; `archives` restricts what may be written (publisher uploads).

    `parallel_min_bytes`: import_paths reads (parses and validates) in a second process while
    this one writes when the files add up to at least this many bytes; None never does.
    """

    def __init__(
        self,
        *,
        batch_size: int = 1000,
        archives: set[str] | None = None,
        progress: Callable[[int], None] | None = None,
        parallel_min_bytes: int | None = PARALLEL_MIN_BYTES,
    ):
        self.batch_size = batch_size
        self.allowed_archives = archives
        self.progress = progress
        self.parallel_min_bytes = parallel_min_bytes
        self.report = ImportReport()
        self.lookups = Lookups()
        self.indexing: IndexingThread | None = None  # see import_paths
        self.store = store_for_connection()
        self.pending: list[ItemRecord] = []
        self.writing: list[ItemRecord] = []  # the batch being written (see flush)
        self.held_back: list[ItemRecord] = []
        self.fingerprints: dict[tuple[str, int], str] = {}  # (path, line) -> the reader's fingerprint
        self.seen = 0
        self.place = ""  # file:line of the last template read, for a report that stops early
        # what this run wrote items into, so that finish() refreshes only those counts
        self.touched_series: set[int] = set()
        self.touched_keywords: set[int] = set()
        self.touched_jel: set[str] = set()
        self.institutions_written: set[str] = set()  # handle keys: finish() links parents and affiliations
        self.persons_written = False
        self.affiliated: set[int] = set()  # persons whose affiliations were rewritten: their works' institutions

    # -- entry points -------------------------------------------------------------------

    def import_paths(self, paths: Iterable[str | os.PathLike]) -> ImportReport:
        files = list(redif_files(paths))
        try:
            with self.indexing_beside(), gc_frozen():
                if self.parallel_min_bytes is not None and parallel_worthwhile(files, self.parallel_min_bytes):
                    with ReaderProcess(files) as reads:
                        self.take(reads)
                else:
                    self.take(read_files(files))
                return self.finish()
        except Exception as error:  # a bug or a lost database: a report that says so, never a 500
            return self.stopped(error)

    @contextmanager
    def indexing_beside(self) -> Iterator[None]:
        """Around a run that feeds `take` and ends with `finish` (import_paths, a harvest): into
        PostgreSQL, and not inside a caller's transaction (which a second connection could not
        see into), search indexing runs beside the writing (DECISIONS.md)."""
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.indexing = IndexingThread()
        try:
            yield
        finally:
            self.stop_indexing()

    def stopped(self, error: Exception) -> ImportReport:
        """The report of an import that an unexpected error stopped: what landed stays (each
        template committed whole), what was waiting is not written, and the kept counts and
        the search index follow what landed."""
        logger.exception("ReDIF import stopped at %s", self.place or "the start")
        unwritten = sorted((r.path, r.line) for r in self.writing + self.pending + self.held_back)
        self.writing, self.pending, self.held_back = [], [], []
        start = f"{unwritten[0][0]}:{unwritten[0][1]}" if unwritten else self.place or "before the first template"
        not_written = f"{len(unwritten)} item template(s) from here on and " if unwritten else "this template and "
        self.report.errors.append(
            f"{start}: the import stopped on an internal error ({type(error).__name__}): {not_written}"
            f"everything after {self.place or 'it'} were not written; what this report counts as created or "
            "updated was written whole, nothing was half-written. The error is in the server's log; importing "
            "the same files again writes what is missing."
        )
        try:  # indexing_beside has stopped the indexing thread already
            if self.touched_series:
                items_changed(series=self.touched_series, keywords=self.touched_keywords, jel=self.touched_jel)
        except Exception:  # the database itself may be what failed
            logger.exception("after a stopped ReDIF import, the counts could not be refreshed")
            self.report.errors.append(
                "the kept counts and the search index could not follow what was written: "
                "run manage.py refresh_counts and manage.py rebuild_search_index"
            )
        return self.report

    def stop_indexing(self) -> None:
        if self.indexing is None:
            return
        error, self.indexing = self.indexing.close(), None
        if error is not None:
            self.report.errors.append(
                f"the search index could not be updated ({error}); the items were imported: "
                "run manage.py rebuild_search_index"
            )

    def import_templates(self, templates: Iterable[Template | ReDIFError]) -> None:
        self.take(read(templates))

    def take(self, reads: Iterable[Read]) -> None:
        """Report and write reads (reading.read), in order."""
        report = self.report
        for counted, record, error, warnings, fp in reads:
            if counted:
                self.seen += 1
            if error is not None:
                report.errors.append(error)
                continue
            if warnings:
                report.warnings += warnings
            if record is not None:  # else a parse warning, on its own
                self.place = f"{record.path}:{record.line}"
                self.add(record, fp)
            if self.progress and self.seen % self.batch_size == 0:
                self.progress(self.seen)

    def finish(self) -> ImportReport:
        """Write what is pending; items whose series never came get a placeholder series."""
        self.flush()
        retry, self.held_back = self.held_back, []
        orphans: dict[tuple[str, str], list[ItemRecord]] = {}  # (archive, series) -> its items
        for record in retry:
            if self.series_id(record) is not None:
                self.pending.append(record)
            else:
                archive_code, code, _ = handle_parts(record.handle)
                orphans.setdefault((archive_code.lower(), code.lower()), []).append(record)
        self.flush()
        for records in orphans.values():
            self.write_under_placeholder(records)
        self.stop_indexing()  # the counts below come after the entries, as without the thread
        self.link_institutions()
        if self.touched_series:
            items_changed(series=self.touched_series, keywords=self.touched_keywords, jel=self.touched_jel)
            self.touched_series, self.touched_keywords, self.touched_jel = set(), set(), set()
        if self.report.created or self.report.updated:
            after_import()  # references matched and related items, on the task queue
        return self.report

    def link_institutions(self) -> None:
        """After institutions or persons were written: sub-institutions to their parents,
        affiliations to the institutions their handles name (a few statements per run)."""
        if self.institutions_written:
            link_parents(self.institutions_written)
        if self.institutions_written or self.persons_written:
            self.affiliated |= link_affiliations()
        if self.affiliated:  # their works join (or leave) the institutions' lists
            items_changed(persons=self.affiliated)
        self.institutions_written, self.persons_written = set(), False
        self.affiliated = set()

    def write_under_placeholder(self, records: list[ItemRecord]) -> None:
        """Items of one series that never came, under a placeholder series made in the same
        transaction: when the database refuses every one of them, the placeholder goes too."""
        first = records[0]
        try:
            with transaction.atomic():
                series_id = self.write_placeholder_series(first)
                self.pending = records
                if not self.flush():  # nothing landed (each refusal is reported)
                    raise NothingWritten
        except NothingWritten:
            self.lookups.forget()
            self.touched_series.discard(series_id)
            return
        except DatabaseError as error:  # the placeholder itself
            self.lookups.forget()
            for record in records:
                self.error(record, f"the database refused this template: {error}".strip())
            return
        self.report.warnings.append(
            f"{first.path}:{first.line}: no ReDIF-Series template for {placeholder_handle(first)}: "
            "its items are listed under a placeholder until one is imported"
        )

    def write_placeholder_series(self, record: ItemRecord) -> int:
        archive_code, code, _ = handle_parts(record.handle)
        handle = placeholder_handle(record)
        archive, _ = Archive.objects.get_or_create(
            code=archive_code.lower(), defaults={"handle": f"RePEc:{archive_code}", "name": f"RePEc:{archive_code}"}
        )
        series = Series.objects.create(archive=archive, code=code.lower(), handle=handle, name=handle, kind=record.kind)
        self.lookups.remember_series(archive_code, code, series.pk)
        return series.pk

    # -- dispatch -------------------------------------------------------------------------

    def add(self, record: Record, fp: str | None = None) -> None:
        if not self.allowed(record):
            return
        if isinstance(record, ItemRecord):
            if fp is not None:
                self.fingerprints[(record.path, record.line)] = fp
            if self.series_id(record) is None:
                self.held_back.append(record)
                return
            self.pending.append(record)
            if len(self.pending) >= self.batch_size:
                self.flush()
        elif isinstance(record, (ArchiveRecord, SeriesRecord, PersonRecord, InstitutionRecord)):
            self.flush()  # keep the order of the files: items read before stay before
            writer: dict[type[Record], Callable[[Any], str | None]] = {
                ArchiveRecord: self.write_archive,
                SeriesRecord: self.write_series,
                PersonRecord: self.write_person,
                InstitutionRecord: self.write_institution,
            }
            self.write_one(record, writer[type(record)])

    def allowed(self, record: Record) -> bool:
        """Publisher uploads may only touch their own archives, and never persons or institutions."""
        if self.allowed_archives is None:
            return True
        if archive_of(record) in self.allowed_archives:
            return True
        archives = ", ".join(sorted(self.allowed_archives)) or "none"
        self.error(record, f"{record.handle} is not in your archives ({archives}): nothing of it was written")
        return False

    def error(self, record: Record, message: str) -> None:
        self.report.errors.append(f"{record.path}:{record.line}: {message}")

    def write_one(self, record: Record, writer: Callable[[Any], str | None]) -> None:
        try:
            with transaction.atomic():
                outcome = writer(record)
        except DatabaseError as error:
            self.lookups.forget()
            self.error(record, f"the database refused this template: {error}".strip())
            return
        if outcome:
            getattr(self.report, outcome)[type(record).__name__.removesuffix("Record").lower()] += 1

    # -- archives, series, persons: one at a time ----------------------------------------

    def write_archive(self, r: ArchiveRecord) -> str:
        code = archive_key(r.handle)
        values = {
            "handle": r.handle, "name": r.name, "url": r.url, "homepage": r.homepage,
            "maintainer_name": r.maintainer_name, "maintainer_email": r.maintainer_email,
            "description": r.description,
        }  # fmt: skip
        return upsert(Archive, {"code": code}, values)

    def write_series(self, r: SeriesRecord) -> str | None:
        archive_code, code, _ = handle_parts(r.handle)
        archive, _ = Archive.objects.get_or_create(
            code=archive_code.lower(), defaults={"handle": f"RePEc:{archive_code}", "name": f"RePEc:{archive_code}"}
        )
        values = {
            "handle": r.handle, "name": r.name, "kind": r.kind, "description": r.description,
            "provider_name": r.provider_name, "provider_homepage": r.provider_homepage,
            "provider_institution": r.provider_institution, "maintainer_name": r.maintainer_name,
            "maintainer_email": r.maintainer_email, "homepage": r.homepage, "issn": r.issn,
        }  # fmt: skip
        outcome = upsert(Series, {"archive": archive, "code": code.lower()}, values)
        self.lookups.remember_series(archive_code, code, Series.objects.by_codes(archive_code, code).get().pk)
        return outcome

    def write_institution(self, r: InstitutionRecord) -> str:
        """Upsert by handle; the parent and the affiliations are linked when the run finishes.
        A template as imported last time is unchanged, whatever staff corrected since."""
        key, values = key_of(r), institution_values(r)
        values["fingerprint"] = values_fingerprint(values)
        if Institution.objects.filter(handle_key=key, fingerprint=values["fingerprint"]).exists():
            return "unchanged"
        outcome = upsert(Institution, {"handle_key": key}, values)
        if outcome != "unchanged":
            self.institutions_written.add(key)
        return outcome

    def write_person(self, r: PersonRecord) -> str | None:
        if not r.short_id:
            self.error(r, "a ReDIF-Person template needs a Short-Id to be registered here: not imported")
            return None
        values = {
            "handle": r.handle, "name_full": r.name_full, "name_first": r.name_first,
            "name_middle": r.name_middle, "name_last": r.name_last, "name_variants": r.name_variants,
            "email": r.email, "homepage": r.homepage,
        }  # fmt: skip
        if r.orcid:  # a template without one keeps the iD the author set here (or ORCID verified)
            holder = Person.objects.filter(orcid=r.orcid).exclude(short_id=r.short_id.lower()).first()
            if holder is None:
                values["orcid"] = r.orcid
            else:
                self.report.warnings.append(
                    f"{r.path}:{r.line}: Orcid: {r.orcid} is the iD of {holder.short_id} already; dropped"
                )
        outcome = upsert(Person, {"short_id": r.short_id.lower()}, values)
        person = Person.objects.get(short_id=r.short_id.lower())
        workplaces = [(w.name or w.institution, w.institution, w.share) for w in r.workplaces]
        if workplaces != list(person.affiliations.values_list("name", "institution", "share")):
            person.affiliations.all().delete()
            Affiliation.objects.bulk_create(
                Affiliation(
                    person=person,
                    position=i,
                    name=name,
                    institution=inst,
                    share=share,
                    sort_last=person.name_last,
                    sort_first=person.name_first,
                )
                for i, (name, inst, share) in enumerate(workplaces)
            )
            self.persons_written = True  # their institutions are linked when the run finishes
            self.affiliated.add(person.pk)
            if outcome == "unchanged":
                outcome = "updated"
        # The record is the list of the person's accepted claims: new ones are added, dropped
        # ones removed (and their authorships unlinked); refused claims stay refused.
        claimed = {handle_key(handle) for _, handle in r.claimed}
        known = dict(person.claims.values_list("handle_key", "status"))
        new = claimed - set(known)
        dropped = {key for key, status in known.items() if status == Claim.Status.ACCEPTED} - claimed
        if new:
            Claim.objects.bulk_create(Claim(person=person, handle_key=key) for key in sorted(new))
        if dropped:
            person.claims.filter(handle_key__in=dropped).delete()
            person.authorships.filter(item__handle_key__in=dropped).update(person=None)
        if (new or dropped) and outcome == "unchanged":
            outcome = "updated"
        items_changed(Item.objects.filter(handle_key__in=claimed).values_list("pk", flat=True), claimed=True)
        return outcome

    # -- items: in batches ----------------------------------------------------------------

    def series_id(self, record: ItemRecord) -> int | None:
        return self.lookups.series_id(record.handle)

    def flush(self) -> Counter:
        """Write the pending items; {(outcome, kind): n} of those written (none refused)."""
        batch, self.pending = self.pending, []
        if not batch:
            return Counter()
        self.writing = batch
        unique: dict[str, ItemRecord] = {}
        for record in batch:
            key = handle_key(record.handle)
            if key in unique:
                first = unique[key]
                self.report.warnings.append(
                    f"{record.path}:{record.line}: {record.handle} again (first at {first.path}:{first.line}): "
                    "the later template wins"
                )
            unique[key] = record
        try:
            with transaction.atomic():
                outcomes = self.write_items(list(unique.values()))
        except DatabaseError:
            self.lookups.forget()
            outcomes = Counter()
            for record in unique.values():
                try:
                    with transaction.atomic():
                        outcomes += self.write_items([record])
                except DatabaseError as error:
                    self.lookups.forget()
                    self.error(record, f"the database refused this template: {error}".strip())
        for (outcome, kind), n in outcomes.items():
            getattr(self.report, outcome)[kind] += n
        if self.fingerprints:
            for record in batch:
                self.fingerprints.pop((record.path, record.line), None)
        self.writing = []
        return outcomes

    def write_items(self, records: list[ItemRecord]) -> Counter:
        """Upsert these items and replace their children; returns {(outcome, kind): n}."""
        outcomes: Counter = Counter()
        existing = self.store.existing([handle_key(r.handle) for r in records])
        created: list[tuple[ItemRecord, tuple]] = []
        updated: list[tuple[ItemRecord, tuple, int]] = []
        for record in records:
            fp = self.fingerprints.get((record.path, record.line)) or fingerprint(record)
            found = existing.get(handle_key(record.handle))
            if found is not None and found[1] == fp:
                outcomes[("unchanged", record.kind)] += 1
                continue
            values = item_values(record, self.series_id(record), fp)  # type: ignore[arg-type]  # queued with a series
            if found is None:
                created.append((record, values))
                outcomes[("created", record.kind)] += 1
            else:
                updated.append((record, values, found[0]))
                outcomes[("updated", record.kind)] += 1
        if not created and not updated:
            return outcomes
        now = timezone.now()
        written: list[tuple[ItemRecord, int]] = []
        if updated:
            self.store.update([(pk, values) for _, values, pk in updated], now)
            old = [pk for _, _, pk in updated]  # their old keywords and codes are recounted too
            self.touched_keywords.update(ItemKeyword.objects.filter(item_id__in=old).values_list("keyword", flat=True))
            self.touched_jel.update(JelLink.objects.filter(item_id__in=old).values_list("jelcode", flat=True))
            self.store.delete_children([pk for _, _, pk in updated])
            written += [(record, pk) for record, _, pk in updated]
        if created:
            ids = self.store.insert([values for _, values in created], now)
            written += [(record, pk) for (record, _), pk in zip(created, ids, strict=True)]
        self.write_children(written)
        self.touched_series.update(self.series_id(record) for record, _ in written)  # type: ignore[misc]
        items_changed(
            [pk for _, pk in written],
            claimed=self.store.claimed([handle_key(record.handle) for record, _ in written]),
            versions=True,  # their links, and the links naming them, may join or split groups
            index=self.index_after_commit if self.indexing else None,  # else in this batch's transaction
        )
        return outcomes

    def index_after_commit(self, ids: list[int]) -> None:
        """Hand the batch to the indexing thread once it commits (not if it is rolled back)."""
        assert self.indexing is not None  # only passed as `index` while the thread runs
        transaction.on_commit(partial(self.indexing.add, ids))

    def write_children(self, written: list[tuple[ItemRecord, int]]) -> None:
        records = [record for record, _ in written]
        lookups = self.lookups
        persons = persons_named([a.person for r in records for a in r.authors + r.editors if a.person])
        keyword_ids = lookups.keyword_ids_for([r.keywords for r in records])
        touched = (keyword_ids.get(lookups.keyword_key(k)) for r in records for k in r.keywords)
        self.touched_keywords.update(pk for pk in touched if pk is not None)
        lookups.ensure_jel([code for r in records for code in r.jel])
        self.touched_jel.update(code for r in records for code in r.jel)
        rows = child_rows(written, persons, keyword_ids, lookups.keyword_key)
        rows[VersionLink] = link_rows(written, timezone.now())
        self.store.insert_children(rows)


class NothingWritten(Exception):
    """Rolls back a placeholder series none of whose items landed."""


def placeholder_handle(record: ItemRecord) -> str:
    """The handle of the series an item names: its placeholder's, when no template came."""
    archive_code, code, _ = handle_parts(record.handle)
    return f"RePEc:{archive_code}:{code}"


def archive_of(record: Record) -> str | None:
    """The code (lower case) of the archive a record writes into; None for a person or an
    institution, whom no archive holds. The builders have checked the handles of these types, so none raises."""
    if isinstance(record, (ItemRecord, SeriesRecord, ArchiveRecord)):
        return archive_key(record.handle)
    return None


def upsert(model: type[Archive | Series | Person | Institution], lookup: dict[str, Any], values: dict[str, Any]) -> str:
    """Create or update one row; 'created', 'updated' or 'unchanged'."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return "created"
    if all(getattr(obj, name) == value for name, value in values.items()):
        return "unchanged"
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return "updated"
