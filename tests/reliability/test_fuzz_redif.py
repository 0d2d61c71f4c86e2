"""Fuzzing the ReDIF parser and the importer (issue 14, "Keep it so").

Hostile ReDIF-like files, built from the real field names with good, odd and garbage values,
stray and binary lines and several encodings, go through the reader (parse and records) and
the importer on the real database. Whatever comes in:

- no exception escapes: a problem is an error or a warning of the report, each starting with
  the file and line it is about;
- nothing is half-written: every stored item is one template's record whole (its title, its
  authors and editors, its files), no series stays that is neither a template's nor holds an
  item (a placeholder), nothing of a refused template or of another archive is stored;
- every template is accounted for: written, unchanged, not stored, refused or superseded.

On the code before issue 14's fixes it finds defect 2 (an Institution template in a
publisher's upload raised ValueError) within the normal run: a few hundred examples.
`make fuzz` runs 20,000 (FUZZ_EXAMPLES sets how many); the examples Hypothesis finds
failing are kept in .hypothesis/ and replayed first.
"""

import os
import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.ingest.importer import Importer
from catalogue.models import Archive, Item, Person, Series
from catalogue.redif.parser import parse_bytes
from catalogue.redif.reading import read
from catalogue.redif.records import ArchiveRecord, ItemRecord, PersonRecord, SeriesRecord, handle_parts

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
NAME = "fuzz.rdf"
FILE_LINE = re.compile(rf"(?:.*/)?{re.escape(NAME)}:\d+: \S")  # the path, its line, a message

# -- what a file is made of -------------------------------------------------------------

ITEM_FIELDS = (
    "title", "author-name", "author-email", "author-workplace-name", "author-homepage", "author-person",
    "editor-name", "abstract", "keywords", "classification-jel", "file-url", "file-format",
    "file-function", "file-restriction", "file-size", "number", "pages", "volume", "issue", "year",
    "month", "journal", "isbn", "issn", "doi", "language", "publication-status", "in-book",
    "provider-name", "creation-date", "revision-date", "publication-date", "note", "book-title",
)  # fmt: skip
SERIES_FIELDS = (
    "name", "maintainer-email", "type", "description", "homepage", "provider-name", "provider-homepage",
    "provider-institution", "issn",
)  # fmt: skip
PERSON_FIELDS = (
    "name-full", "name-first", "name-last", "name-ascii", "short-id", "email", "homepage", "workplace-name",
    "workplace-institution", "workplace-organization", "author-paper", "author-article", "editor-series",
)  # fmt: skip
FIELDS = {
    "Paper": ITEM_FIELDS,
    "Article": ITEM_FIELDS,
    "Book": ITEM_FIELDS,
    "Chapter": ITEM_FIELDS,
    "Software": (*ITEM_FIELDS, "programming-language"),
    "Series": SERIES_FIELDS,
    "Archive": ("name", "url", "maintainer-email", "homepage", "maintainer-name", "description"),
    "Person": PERSON_FIELDS,
    "Institution": ("primary-name", "primary-location", "secondary-name", "primary-homepage", "primary-email"),
}
ARCHIVES = ("aaa", "bbb", "AaA")
SERIES = ("wpaper", "series", "WPaper", "lonely")
ITEM_CODE = st.text(alphabet="abc019:-./_%'\"()é ", min_size=1, max_size=10)

archive_handles = st.sampled_from(ARCHIVES).map(lambda a: f"RePEc:{a}")
series_handles = st.tuples(archive_handles, st.sampled_from(SERIES)).map(":".join)
item_handles = st.tuples(series_handles, ITEM_CODE).map(":".join)
person_handles = st.sampled_from(
    ["RePEc:per:2020-01-01:ana", "repec:PER:1999-12-31:bob_b", "pau1", "PBO2", "RePEc:per:bad"]
)
handles = st.one_of(
    item_handles,
    item_handles,
    series_handles,
    archive_handles,
    person_handles,
    st.sampled_from(["RePEc:edi:iiheide", "RePEc:edi:bad", "RePEc", "RePEc:a", "nonsense", ""]),
)
good_values = st.sampled_from(
    [
        "A title", "Ana Autora", "ana@example.org", "https://example.org/paper.pdf", "ftp://example.org/x",
        "application/pdf", "2020", "2020-02-30", "2020-13", "199912", "January, 2001", "D82, c; E1 xx", "312 421",
        "growth; cycles, search", "10.1000/xyz", "en", "Published in X", "ReDIF-Article", "ReDIF-Nothing",
        "pau1", "100%", "lots", "RePEc:edi:iiheide", "https://", "mailto:a@b.c",
    ]
)  # fmt: skip
garbage = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["x" * 1200, "é" * 300, "9" * 150, "\x00\x1a\ufeff", "a\u2028b", ":", "  "]),
)
values = st.one_of(good_values, good_values, handles, garbage)
# most templates have their type's handle and required fields, so that many of them land
institution_handles = st.sampled_from(["RePEc:edi:iiheide", "RePEc:edi:abcdefg"])
OWN_HANDLES = {"Series": series_handles, "Archive": archive_handles, "Person": person_handles}
OWN_HANDLES["Institution"] = institution_handles
ITEM_REQUIRED = (("title", "A title"), ("author-name", "Ana Autora"))
REQUIRED = {
    "Series": (("name", "Working papers"), ("maintainer-email", "m@example.org")),
    "Archive": (("name", "An archive"), ("url", "https://example.org/"), ("maintainer-email", "m@example.org")),
    "Person": (("name-full", "Ana Autora"), ("short-id", "pau1")),
    "Institution": (("primary-name", "A university"),),
}


@st.composite
def template(draw) -> list[str]:
    kind = draw(st.sampled_from([*FIELDS, "Unknown"]))
    header = f"Template-Type: ReDIF-{kind} 1.0"
    if draw(st.booleans()):
        header = draw(st.sampled_from([header.lower(), header.upper(), f"Template-Type:ReDIF-{kind}", header + " "]))
    names = FIELDS.get(kind, ITEM_FIELDS)
    lines = [header]
    for name, value in REQUIRED.get(kind, ITEM_REQUIRED):
        if draw(st.integers(0, 9)):
            lines.append(f"{name}: {value}")
    for _ in range(draw(st.integers(0, 12))):
        name = draw(st.one_of(st.sampled_from(names), st.sampled_from(names), st.sampled_from(["X-Foo", "Bad Name"])))
        name = draw(st.sampled_from([name, name.upper(), name.title()]))
        lines.append(f"{name}: {draw(values)}")
        if draw(st.integers(0, 5)) == 0:  # a continuation, a comment, a blank or a stray line
            lines.append(draw(st.sampled_from(["  more words", "# comment", "", "stray:", "\t\ttabbed"])))
    if draw(st.integers(0, 9)):
        own = OWN_HANDLES.get(kind, item_handles)
        handle = draw(st.one_of(own, own, own, handles))
        lines.insert(draw(st.integers(1, len(lines))), f"Handle: {handle}")
    if draw(st.integers(0, 9)) == 0:
        lines.append(f"Handle: {draw(handles)}")  # twice
    return lines


@st.composite
def redif_files(draw) -> bytes:
    lines: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(st.text(max_size=30)))  # before the first template
    for one in draw(st.lists(template(), min_size=1, max_size=8)):
        lines += [*one, ""]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data = text.encode(encoding, "replace")
    if draw(st.integers(0, 9)) == 0:  # binary garbage in the middle
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=40)) + data[cut:]
    return data


ARCHIVED = (ItemRecord, SeriesRecord, ArchiveRecord)  # the records of an archive (not persons, institutions)


def archive_of(record) -> str:
    return handle_parts(record.handle)[0].lower()


def fuzz_settings(normal: int):
    return settings(
        max_examples=EXAMPLES or normal,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# -- the reader alone ------------------------------------------------------------------


@given(redif_files())
@fuzz_settings(300)
def test_reading_never_raises_and_every_problem_has_its_file_and_line(data):
    for counted, record, error, warnings, _fp in read(parse_bytes(data, NAME)):
        if record is None:  # a skipped template or a parse error, else a parse warning alone
            assert error is not None or (warnings and not counted)
        for message in ([error] if error else []) + list(warnings):
            assert FILE_LINE.match(message), message


# -- the importer on the database ------------------------------------------------------


@pytest.mark.django_db
@given(data=redif_files(), archives=st.sampled_from([None, {"aaa"}]))
@fuzz_settings(100)
def test_importing_never_raises_and_never_half_writes(data, archives, tmp_path_factory):
    reads = list(read(parse_bytes(data, NAME)))
    records = [record for _, record, _, _, _ in reads if record is not None]
    parse_errors = sum(1 for counted, _, error, _, _ in reads if error and not counted)
    templates = sum(1 for counted, *_ in reads if counted)
    path = tmp_path_factory.mktemp("fuzz") / NAME
    path.write_bytes(data)
    with transaction.atomic():  # each example on an empty catalogue
        report = Importer(archives=archives, parallel_min_bytes=None).import_paths([path])

        for message in report.errors + report.warnings:
            assert FILE_LINE.match(message), message
            # the importer's catch-all turns a bug into a report line: for the fuzzer, still a bug
            assert "internal error" not in message, message

        def allowed(record) -> bool:
            return archives is None or (isinstance(record, ARCHIVED) and archive_of(record) in archives)

        # every stored item is one allowed template's record, whole
        wanted: dict[str, set] = {}
        for r in records:
            if isinstance(r, ItemRecord) and allowed(r):
                whole = (r.title, len(r.authors) + len(r.editors), len(r.files), len(dict.fromkeys(r.jel)))
                wanted.setdefault(r.handle.lower(), set()).add(whole)
        for item in Item.objects.all():
            stored = (item.title, item.authorships.count(), item.files.count(), item.jel_codes.count())
            assert stored in wanted.get(item.handle_key, set()), (item.handle, stored)
        # series: a template's, or holding items (a placeholder never stays empty)
        series_templates = {r.handle.lower() for r in records if isinstance(r, SeriesRecord) and allowed(r)}
        for series in Series.objects.all():
            assert series.handle.lower() in series_templates or series.items.exists(), series.handle
        # archives: a template's, or holding a series
        archive_codes = {archive_of(r) for r in records if isinstance(r, ArchiveRecord) and allowed(r)}
        for archive in Archive.objects.all():
            assert archive.code in archive_codes or archive.series.exists(), archive.code
        # persons: only in an unrestricted import, from a template with a Short-Id
        short_ids = {r.short_id for r in records if isinstance(r, PersonRecord) and r.short_id}
        assert archives is None or not Person.objects.exists()
        assert set(Person.objects.values_list("short_id", flat=True)) <= short_ids

        # every template is accounted for once
        outcomes = sum(sum(c.values()) for c in (report.created, report.updated, report.unchanged, report.skipped))
        superseded = sum(1 for w in report.warnings if "the later template wins" in w)
        assert templates == outcomes + superseded + len(report.errors) - parse_errors, report
        transaction.set_rollback(True)
