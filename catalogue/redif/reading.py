"""Files -> records for the importer, in this process or, for big imports, in a second one.

``read(templates)`` turns parsed templates into *reads*, one a template or parse error:
``(counted, record, error, warnings, fingerprint)``; ``counted`` is False for a parse error
or warning (no template), ``record`` is None when ``error`` says why the template was
skipped (or for a parse warning, which comes alone in ``warnings``), and
``fingerprint`` the item record's, when the reader process made it (else None: the importer
computes it when it needs it). The importer consumes reads in order, so whether
they were made here or in a reader process changes nothing of the report.

``ReaderProcess`` parses and validates in a forked child while the importer writes: the
child sends pickled lists of reads through a bounded queue, so it runs at most CHUNK times
QUEUE_CHUNKS templates ahead, and fingerprints the item records too while the importer is
the slower of the two. The child ignores Ctrl-C; the parent ends it (terminate) when it
stops early, whatever the reason, and raises RuntimeError if the child fails or dies.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import queue
import signal
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .parser import ReDIFError, ReDIFWarning, Template, parse_file
from .records import ItemRecord, to_record

Read = tuple  # (counted: bool, record | None, error: str | None, warnings: list[str], fingerprint: str | None)

CHUNK = 250  # reads a message
QUEUE_CHUNKS = 16  # messages the child may run ahead
PARALLEL_MIN_BYTES = 2_000_000  # below this (some 2,000 templates), one process is as fast


# -- fingerprints --------------------------------------------------------------------------

_FINGERPRINTED = tuple(f.name for f in dataclasses.fields(ItemRecord) if f.name not in ("path", "line"))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
#: Fields added to the records later, hashed only when they hold something: an item that does not
#: give them keeps the fingerprint it had, and is not written again by the next import.
_LATER = frozenset({"orcid"})
_encode = json.JSONEncoder(sort_keys=True, default=str).encode


def _plain(value):
    """What dataclasses.asdict makes of a value, without its deep copies."""
    cls = value.__class__
    if cls is str or cls is int or value is None:
        return value
    if cls is list or cls is tuple:
        return [_plain(v) for v in value]
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value):
            return value  # json's default=str takes it, as it did the deep copy
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(value))
    return {name: _plain(getattr(value, name)) for name in names if name not in _LATER or getattr(value, name)}


def fingerprint(record: ItemRecord) -> str:
    """A hash of everything an item record says, but where it was read from.

    The same hash as blake2b(json.dumps(asdict(record) without path and line, sort_keys=True)),
    which earlier versions stored, so that an upgrade does not see every item as changed.
    """
    data = {name: _plain(getattr(record, name)) for name in _FINGERPRINTED}
    if not data["versions"]:  # added later: a record naming no other one hashes as it did before
        del data["versions"]
    return hashlib.blake2b(_encode(data).encode(), digest_size=16).hexdigest()


def read(templates: Iterable[Template | ReDIFError]) -> Iterator[Read]:
    for template in templates:
        if isinstance(template, ReDIFWarning):  # nothing lost: the template comes on its own
            yield False, None, None, [str(template)], None
            continue
        if isinstance(template, ReDIFError):
            yield False, None, str(template), (), None
            continue
        try:
            record, warnings = to_record(template)
        except ReDIFError as error:
            yield True, None, str(error), (), None
            continue
        yield True, record, None, [str(w) for w in warnings], None


def read_files(files: Iterable[Path]) -> Iterator[Read]:
    for path in files:
        yield from read(parse_file(path))


def parallel_worthwhile(files: list[Path], min_bytes: int = PARALLEL_MIN_BYTES) -> bool:
    """Enough to read to pay for a process, a second processor, and fork (Linux, macOS); not
    in a daemonic process (a multiprocessing worker), which may not start one."""
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cpus < 2:
        return False
    size = 0
    for path in files:
        try:
            size += path.stat().st_size
        except OSError:
            return False  # let parse_file report it, in order
        if size >= min_bytes:
            return True
    return False


_DONE = "done"
_CRASH = "crash"


@contextmanager
def gc_frozen():
    """The objects alive now (Django, the app: tens of thousands) are left out of garbage
    collections until the end: a big import allocates a lot, and each full collection would
    walk them all again. They are handed back to the collector afterwards (gc.unfreeze)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _child(files: list[Path], out) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.freeze()  # what the parent had: never garbage here
    try:
        chunk: list[Read] = []
        for one in read_files(files):
            chunk.append(one)
            if len(chunk) >= CHUNK:
                _send(out, chunk)
                chunk = []
        if chunk:
            _send(out, chunk)
        out.put(_DONE)
    except BaseException:
        out.put((_CRASH, traceback.format_exc()))
    out.close()
    out.join_thread()


def _send(out, chunk: list[Read]) -> None:
    """Pickled here, not in the queue's thread, so that a failure is not lost. Fingerprints
    too while the importer is the slower one (reads wait in the queue); when it waits for
    reads, it has the time to make them itself."""
    try:
        importer_behind = out.qsize() >= 2
    except NotImplementedError:  # macOS
        importer_behind = True
    if importer_behind:
        chunk = [(c, r, e, w, fingerprint(r) if isinstance(r, ItemRecord) else None) for c, r, e, w, _ in chunk]
    out.put(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))


class ReaderProcess:
    """Reads of `files`, made by a forked child; use as a context manager, then iterate."""

    def __init__(self, files: list[Path]):
        self.files = files
        context = multiprocessing.get_context("fork")
        self.queue = context.Queue(maxsize=QUEUE_CHUNKS)
        self.process = context.Process(target=_child, args=(files, self.queue), name="redif-reader", daemon=True)

    def __enter__(self) -> ReaderProcess:
        self.process.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.queue.close()
        self.queue.cancel_join_thread()

    def __iter__(self) -> Iterator[Read]:
        while True:
            message = self._next()
            if isinstance(message, bytes):
                yield from pickle.loads(message)  # noqa: S301 (from our own child process)
            elif message == _DONE:
                return
            else:
                raise RuntimeError(f"the ReDIF reader process failed:\n{message[1]}")

    def _next(self):
        while True:
            try:
                return self.queue.get(timeout=1)
            except queue.Empty:
                if not self.process.is_alive():
                    try:  # what it sent just before it ended
                        return self.queue.get(timeout=1)
                    except queue.Empty:
                        raise RuntimeError(
                            f"the ReDIF reader process ended unexpectedly (exit code {self.process.exitcode})"
                        ) from None
