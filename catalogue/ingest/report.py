"""What an import tells: counts by outcome and kind, errors and warnings with file:line; and
which files a folder holds."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REDIF_SUFFIXES = {".rdf", ".redif", ".txt"}


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        def total(counter: Counter) -> str:
            parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()))
            return f"{sum(counter.values())}" + (f" ({parts})" if parts else "")

        return (
            f"created {total(self.created)}; updated {total(self.updated)}; "
            f"unchanged {total(self.unchanged)}; errors {len(self.errors)}; warnings {len(self.warnings)}"
            + (f"; not stored {total(self.skipped)}" if self.skipped else "")
        )


def redif_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The files named, and the ReDIF files (.rdf, .redif, .txt) below the folders named, sorted."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REDIF_SUFFIXES)
        else:
            yield path
