"""Fetched files kept on disk until the walk is over, then read as import_redif reads: in a
second process while this one writes, when there is enough to read and a process may be
started (redif.reading.parallel_worthwhile). Every record, error and warning is relabelled
with its file's URL, so the report and each item's `source` name what was fetched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..handles import handle_key
from ..redif.reading import PARALLEL_MIN_BYTES, Read, ReaderProcess, parallel_worthwhile, read_files
from ..redif.records import ItemRecord


class Spool:
    min_bytes = PARALLEL_MIN_BYTES  # read in a second process from this many bytes on

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.prefix = str(folder) + "/"
        self.paths: list[Path] = []
        self.files: dict[str, tuple[str, set[str]]] = {}  # spooled path -> (url, the item handles it holds)

    def add(self, body: bytes, url: str, handles: set[str]) -> None:
        """Keep a file's bytes; `handles` is filled with its items' handles as it is read."""
        path = self.folder / f"{len(self.paths):06d}.rdf"
        path.write_bytes(body)
        self.paths.append(path)
        self.files[str(path)] = (url, handles)

    def reads(self, parallel: bool) -> Iterator[Read]:
        """The reads of every spooled file, in order, named by URL."""
        if parallel and parallel_worthwhile(self.paths, self.min_bytes):
            with ReaderProcess(self.paths) as reads:
                yield from self.relabel(reads)
        else:
            yield from self.relabel(read_files(self.paths))

    def relabel(self, reads: Iterable[Read]) -> Iterator[Read]:
        for counted, record, error, warnings, fp in reads:
            if record is not None:
                url, handles = self.files[record.path]
                record.path = url
                if isinstance(record, ItemRecord):
                    handles.add(handle_key(record.handle))
            yield (
                counted,
                record,
                self.named(error) if error else error,
                [self.named(w) for w in warnings],
                fp,
            )

    def named(self, line: str) -> str:
        """`<spooled path>:line: what` -> `<url>:line: what`."""
        if not line.startswith(self.prefix):
            return line
        path = self.prefix + line[len(self.prefix) :].split(":", 1)[0]
        known = self.files.get(path)
        return known[0] + line[len(path) :] if known else line
