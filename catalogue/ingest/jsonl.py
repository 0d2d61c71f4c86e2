"""Reading JSON Lines with errors that name the file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


class LineError(Exception):
    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, what: str) -> str:
        return (
            f"{what}: created {self.created}; updated {self.updated}; unchanged {self.unchanged}; "
            f"errors {len(self.errors)}; warnings {len(self.warnings)}"
        )


def read_objects(path: str | Path) -> Iterator[tuple[int, dict | LineError]]:
    """(line number, object) for each non-blank line; a LineError in place of a bad line."""
    name = str(path)
    try:
        handle = open(path, encoding="utf-8-sig")  # noqa: SIM115
    except OSError as error:
        yield 0, LineError(name, 0, f"cannot be read: {error.strerror}")
        return
    with handle:
        try:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as error:
                    yield number, LineError(name, number, f"not valid JSON: {error.msg} at column {error.colno}")
                    continue
                if not isinstance(value, dict):
                    yield number, LineError(name, number, "each line must be a JSON object {...}")
                    continue
                yield number, value
        except UnicodeDecodeError:
            yield number + 1, LineError(name, number + 1, "is not UTF-8 text")


def text_field(obj: dict, name: str, *, required: bool = False, limit: int = 1000) -> str:
    """A string field, stripped; raises ValueError naming the field when it is wrong."""
    value = obj.get(name)
    if value is None or value == "":
        if required:
            raise ValueError(f'"{name}" is missing')
        return ""
    if not isinstance(value, str):
        raise ValueError(f'"{name}" must be a string, not {type(value).__name__}')
    value = value.strip()
    if required and not value:
        raise ValueError(f'"{name}" is empty')
    if len(value) > limit:
        raise ValueError(f'"{name}" is longer than {limit} characters')
    return value


def year_field(obj: dict, name: str = "year") -> int | None:
    value = obj.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1000 <= value <= 2100:
        raise ValueError(f'"{name}" must be a year between 1000 and 2100, not {value!r}')
    return value
