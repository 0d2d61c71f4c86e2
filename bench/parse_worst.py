"""Hostile ReDIF for the parser and the record builders: does reading stay linear?

    .venv/bin/python bench/parse_worst.py [--lines 5000] [--mb 20] [--only name-ascii,jel-line]

For each shape of hostile input (a Person with n Name-ASCII lines, one Classification-JEL line
of n tokens, n authors in one template, ...) this reads n and 4n lines the way the importer's
reader does (catalogue.redif.reading.read: parse, then validate into records) and prints both
times and their ratio: about 4 is linear, about 16 quadratic. Then it reads one input of --mb
megabytes of each shape (20 MB is the admin upload's limit, REDIF_UPLOAD_MAX_BYTES) and prints
the time and what came out of it (templates read, errors, warnings). --mb 0 skips that part.

Pure Python, as the parser is: no database and no Django. Issue 14 (defect 3) measured 22 s
for 40,000 Name-ASCII lines and 7 s for one 200,000-token JEL line through a publisher's
upload; the budget here is linear growth and well under a second per megabyte.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine
from catalogue.redif.parser import parse_bytes
from catalogue.redif.reading import read

PAPER_TYPE = "Template-Type: ReDIF-Paper 1.0\n"
PAPER = PAPER_TYPE + "Title: T\nAuthor-Name: A. B\nHandle: RePEc:aaa:wpaper:{n}\n"
PERSON = "Template-Type: ReDIF-Person 1.0\nName-Full: Ana Autora\nShort-Id: pau1\nHandle: RePEc:per:2020-01-01:ana\n"
# every valid JEL code: a letter the classification uses, then nothing, one digit or two
JEL = [
    letter + digits
    for letter in "ABCDEFGHIJKLMNOPQRYZ"
    for digits in ["", *map(str, range(10)), *map(str, range(10, 100))]
]


def name_ascii(n: int) -> str:
    return PERSON + "".join(f"Name-ASCII: Autora {i}\n" for i in range(n))


def jel_line(n: int) -> str:
    return PAPER.format(n=1) + "Classification-JEL: " + " ".join(JEL[i % len(JEL)] for i in range(n)) + "\n"


def jel_lines(n: int) -> str:
    return PAPER.format(n=1) + "".join(f"Classification-JEL: {JEL[i % len(JEL)]}\n" for i in range(n))


def keywords(n: int) -> str:
    return PAPER.format(n=1) + "Keywords: " + "; ".join(f"keyword {i}" for i in range(n)) + "\n"


def authors(n: int) -> str:
    return PAPER.format(n=1) + "".join(f"Author-Name: Author {i}\nAuthor-Email: a{i}@example.org\n" for i in range(n))


def files(n: int) -> str:
    return PAPER.format(n=1) + "".join(
        f"File-URL: https://example.org/{i}.pdf\nFile-Format: application/pdf\n" for i in range(n)
    )


def claims(n: int) -> str:
    return PERSON + "".join(f"Author-Paper: RePEc:aaa:wpaper:{i}\n" for i in range(n))


def continuation(n: int) -> str:
    return PAPER.format(n=1) + "Abstract: start\n" + "".join(f"  line {i} of the abstract\n" for i in range(n))


def orphans(n: int) -> str:
    lines = "".join(f"  continues no field {i}\n" for i in range(n))
    return PAPER_TYPE + lines + PAPER.removeprefix(PAPER_TYPE).format(n=1)


def templates(n: int) -> str:
    return "".join(PAPER.format(n=i) + "\n" for i in range(n))


def long_line(n: int) -> str:
    return PAPER.format(n=1) + "Abstract: " + "word " * (8 * n) + "\n"


SHAPES: dict[str, Callable[[int], str]] = {
    "name-ascii": name_ascii,
    "jel-line": jel_line,
    "jel-lines": jel_lines,
    "keywords": keywords,
    "authors": authors,
    "files": files,
    "claims": claims,
    "continuation": continuation,
    "orphan-lines": orphans,
    "templates": templates,
    "long-line": long_line,
}


def read_all(data: bytes) -> tuple[float, int, int, int]:
    """Seconds to read (parse and validate) everything, templates counted, errors, warnings."""
    start = time.perf_counter()
    counted = errors = warnings = 0
    for c, _record, error, warns, _fp in read(parse_bytes(data, "worst.rdf")):
        counted += c
        errors += error is not None
        warnings += len(warns)
    return time.perf_counter() - start, counted, errors, warnings


def best_of(data: bytes, runs: int = 3) -> tuple[float, int, int, int]:
    results = [read_all(data) for _ in range(runs)]
    return min(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=5000, help="n: the smaller input (default 5000)")
    parser.add_argument("--mb", type=float, default=20, help="size of the big input of each shape (0: none)")
    parser.add_argument("--only", default="", help="comma-separated shapes: " + ", ".join(SHAPES))
    args = parser.parse_args()
    shapes = {name: make for name, make in SHAPES.items() if not args.only or name in args.only.split(",")}
    n = args.lines
    print(f"# {machine()}; reading = parse + records (catalogue.redif.reading.read), best of 3")
    print(f"{'shape':<14} {'n':>8} {'t(n) s':>9} {'t(4n) s':>9} {'ratio':>6}   out of 4n: templates/errors/warnings")
    for name, make in shapes.items():
        small, large = make(n).encode(), make(4 * n).encode()
        t1 = best_of(small)[0]
        t4, counted, errors, warnings = best_of(large)
        ratio = t4 / t1 if t1 else float("nan")
        print(f"{name:<14} {n:>8} {t1:>9.4f} {t4:>9.4f} {ratio:>6.1f}   {counted}/{errors}/{warnings}", flush=True)
    if args.mb <= 0:
        return
    print(f"\n{'shape':<14} {'MB':>6} {'lines':>10} {'seconds':>8} {'MB/s':>7}   templates/errors/warnings")
    for name, make in shapes.items():
        per_line = len(make(n).encode()) / n
        lines = int(args.mb * 1024 * 1024 / per_line)
        data = make(lines).encode()
        seconds, counted, errors, warnings = read_all(data)
        size = len(data) / 1024 / 1024
        out = f"{counted}/{errors}/{warnings}"
        print(f"{name:<14} {size:>6.1f} {lines:>10} {seconds:>8.2f} {size / seconds:>7.1f}   {out}", flush=True)


if __name__ == "__main__":
    main()
