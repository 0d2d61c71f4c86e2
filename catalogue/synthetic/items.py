"""Rows of the synthetic catalogue's items and everything hanging off them, batch by batch.

ItemRows walks the items of a plan (catalogue.synthetic.generate.plan_catalogue) in order, drawing
from one random stream, and returns plain tuples for RowWriter. Item i gets the id i + 1; it
remembers what a later reference to item i prints (authors, title, where published).
"""

from __future__ import annotations

import calendar
import datetime
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..handles import code_slug, handle_key
from ..models import (
    Authorship,
    Claim,
    File,
    Item,
    ItemKeyword,
    MonthlyStat,
    NepAnnouncement,
    NepIssue,
    Reference,
    version_key,
)
from ..names import ascii_fold
from . import text, vocab

if TYPE_CHECKING:
    import random

    from ..models.bulk import RowWriter
    from .plan import Plan

LAST_YEAR = 2025
LAST_MONTH = LAST_YEAR * 12 + 11  # December 2025, as year * 12 + month - 1
LAST_NEP_DATE = datetime.date(2025, 12, 28)  # a Sunday
FIRST_NEP_YEAR = 1998

ITEM_FIELDS = (
    "id", "kind", "series_id", "slug", "handle", "handle_key", "title", "abstract", "year", "creation_date",
    "revision_date", "publication_date", "number", "length", "pages", "volume", "issue", "month", "journal",
    "book_title", "publisher", "edition", "isbn", "issn", "doi", "language", "publication_status", "note",
    "programming_language", "version_key", "citation_count", "source", "fingerprint", "created_at", "updated_at",
)  # fmt: skip
AUTHORSHIP_FIELDS = ("item_id", "position", "role", "name", "email", "workplace", "homepage", "person_id")
KEYWORD_FIELDS = ("item_id", "keyword_id", "position")
JEL_FIELDS = ("item_id", "jelcode_id")
FILE_FIELDS = ("item_id", "position", "url", "format", "function", "restriction", "size")
REFERENCE_FIELDS = (
    "citing_id", "position", "raw_text", "title", "authors", "year", "doi", "cited_handle", "target_id",
    "status", "score", "decided_by_id", "decided_at",
)  # fmt: skip
ISSUE_FIELDS = ("id", "report_id", "date")
ANNOUNCEMENT_FIELDS = ("issue_id", "item_id", "position")
STAT_FIELDS = ("item_id", "month", "abstract_views", "downloads")
CLAIM_FIELDS = ("person_id", "handle_key", "status", "created_at")

TABLES = ("item", "authorship", "keyword", "jel", "file", "reference", "issue", "announcement", "stat", "claim")
AUTHOR_COUNTS = [(0.30, 1), (0.65, 2), (0.87, 3), (0.96, 4), (1.01, 5)]  # cumulative shares


@dataclass
class SeriesState:
    """Where a series' numbering stands: counters, the current volume, issue and page, the current book."""

    counter: int = 0
    year: int = 0
    year_counter: int = 0
    issue: int = 0
    in_issue: int = 0
    per_issue: int = 0
    page: int = 1
    book: tuple | None = None
    chapter: int = 0
    book_left: int = 0


@dataclass
class Ids:
    """The database ids of the rows every batch refers to (written first, by generate.write_lookups)."""

    archives: list[int]
    series: list[int]
    keywords: list[int]
    persons: list[int]
    nep_reports: list[int]


class ItemRows:
    def __init__(self, plan: Plan, ids: Ids, writer: RowWriter, issue_base: int, now, rng: random.Random):
        self.plan, self.ids, self.rng = plan, ids, rng
        self.now = writer.adapt_datetime(now)
        self.adapt_date = writer.adapt_date
        self.source = f"generate_catalogue --seed {plan.seed}"
        self.state = [SeriesState() for _ in plan.series]
        self.kinds = [s.kind for s in plan.series]
        self.journals = [s.name for s in plan.series if s.kind == "article"] or ["Journal of Applied Economics"]
        self.institutions = [a.name for a in plan.archives if not a.publisher] or [plan.archives[0].name]
        # what a reference to item i prints, and who wrote it (for later versions of it)
        self.cite_authors: list[str] = []
        self.titles: list[str] = []
        self.tails: list[str] = []
        self.dois: list[str] = []
        self.authors = array("i")
        self.author_offsets = array("I", [0])
        self.issue_ids: dict[tuple[int, datetime.date], int] = {}
        self.issue_next: dict[int, int] = {}
        self.next_issue_id = issue_base
        self.months: dict[int, object] = {}

    def batch(self, lo: int, hi: int) -> dict:
        """Rows of items lo..hi-1 and their children: {model: (fields, rows)}."""
        assert lo == len(self.titles), "batches must come in order"
        self.rows: dict[str, list] = {name: [] for name in TABLES}
        for i in range(lo, hi):
            self.item(i)
        r = self.rows
        return {
            Item: (ITEM_FIELDS, r["item"]),
            Authorship: (AUTHORSHIP_FIELDS, r["authorship"]),
            ItemKeyword: (KEYWORD_FIELDS, r["keyword"]),
            Item.jel_codes.through: (JEL_FIELDS, r["jel"]),
            File: (FILE_FIELDS, r["file"]),
            Reference: (REFERENCE_FIELDS, r["reference"]),
            NepIssue: (ISSUE_FIELDS, r["issue"]),
            NepAnnouncement: (ANNOUNCEMENT_FIELDS, r["announcement"]),
            MonthlyStat: (STAT_FIELDS, r["stat"]),
            Claim: (CLAIM_FIELDS, r["claim"]),
        }

    # -- one item -------------------------------------------------------------------------

    def item(self, i: int) -> None:
        plan, rng, rows = self.plan, self.rng, self.rows
        s = plan.series_of[i]
        sp, st = plan.series[s], self.state[s]
        archive = plan.archives[sp.archive]
        year = plan.years[i]
        month = rng.randint(1, 12)
        item_id = i + 1
        kind = sp.kind
        make = {
            "paper": self.paper, "article": self.article, "chapter": self.chapter, "book": self.book,
            "software": self.software,
        }  # fmt: skip
        code, values, tail, editors = make[kind](sp, st, archive, year, month)
        handle = f"RePEc:{archive.code}:{sp.code}:{code}"
        slug, key = code_slug(code), handle_key(handle)
        # title and authors: new, or those of an earlier working paper this article publishes
        authors: list[int] = []
        title = values.pop("title", None)
        if kind == "article" and i and rng.random() < 0.12:
            j = int(i * rng.random())
            if self.kinds[plan.series_of[j]] == "paper":
                title = self.titles[j]
                authors = list(self.authors[self.author_offsets[j] : self.author_offsets[j + 1]])
        if title is None:
            title = text.title(rng)
        if not authors and not (kind == "book" and editors):
            r = rng.random()
            count = next(n for share, n in AUTHOR_COUNTS if r < share)
            if kind == "chapter":
                count = min(count, 3)
            authors = text.zipf_distinct(rng, plan.author_cum, count)
        self.authors.extend(authors)
        self.author_offsets.append(len(self.authors))
        self.people(item_id, key, authors, editors)
        names = plan.author_names
        shown = authors or editors
        cite = text.join_authors([text.cite_name(names[k][0], names[k][2]) for k in shown])
        self.cite_authors.append(cite if authors else f"{cite} (ed.)")
        self.titles.append(title)
        self.tails.append(tail)
        self.dois.append(values.get("doi", ""))
        g = values.get
        rows["item"].append(
            (
                item_id, kind, self.ids.series[s], slug, handle, key, title, text.abstract(rng), year,
                g("creation_date", ""), g("revision_date", ""), "", g("number", ""), g("length", ""),
                g("pages", ""), g("volume", ""), g("issue", ""), g("month", ""), "", g("book_title", ""),
                g("publisher", ""), g("edition", ""), g("isbn", ""), g("issn", ""), g("doi", ""),
                rng.choice(vocab.LANGUAGES), g("publication_status", ""), "", g("programming_language", ""),
                version_key(title), plan.citations[i], self.source, "", self.now, self.now,
            )
        )  # fmt: skip
        for position, k in enumerate(text.zipf_distinct(rng, plan.keyword_cum, rng.randint(2, 6))):
            rows["keyword"].append((item_id, self.ids.keywords[k], position))
        r = rng.random()
        for k in text.zipf_distinct(rng, plan.jel_cum, 1 if r < 0.5 else 2 if r < 0.85 else 3):
            rows["jel"].append((item_id, plan.jel_codes[k]))
        self.files(item_id, kind, archive.code, sp.code, slug)
        self.references(i, item_id, year)
        if kind == "paper" and year >= FIRST_NEP_YEAR and rng.random() < 0.5:
            self.nep(item_id, year, month)
        if rng.random() < (0.4 if plan.citations[i] else 0.25):
            self.stats(i, item_id, year * 12 + month - 1)

    def paper(self, sp, st: SeriesState, archive, year: int, month: int):
        rng = self.rng
        st.counter += 1
        if sp.style in ("yearnum", "dp"):
            if st.year != year:
                st.year, st.year_counter = year, 0
            st.year_counter += 1
            code = (
                f"{year}-{st.year_counter:02d}" if sp.style == "yearnum" else f"dp{year % 100:02d}{st.year_counter:02d}"
            )
        else:
            code = f"WP{sp.offset + st.counter}" if sp.style == "wp" else str(sp.offset + st.counter)
        values = {"number": code, "creation_date": f"{year}-{month:02d}"}
        if rng.random() < 0.6:
            values["length"] = f"{rng.randint(12, 80)} pages"
        if year < LAST_YEAR and rng.random() < 0.15:
            values["revision_date"] = f"{rng.randint(year + 1, LAST_YEAR)}-{rng.randint(1, 12):02d}"
        if rng.random() < 0.15:
            values["publication_status"] = (
                f"Published in {rng.choice(self.journals)}, {min(LAST_YEAR, year + rng.randint(1, 3))}"
            )
        if rng.random() < 0.1:
            values["doi"] = f"10.{2000 + sp.archive % 8000}/{sp.code}.{code.lower()}"
        return code, values, f"{sp.name} {code}, {archive.name}", []

    def article(self, sp, st: SeriesState, archive, year: int, month: int):
        rng = self.rng
        if st.year != year:
            st.year, st.issue, st.in_issue, st.page, st.per_issue = year, 1, 0, 1, rng.randint(4, 12)
        elif st.in_issue >= st.per_issue:
            st.issue, st.in_issue = st.issue + 1, 0
        st.in_issue += 1
        st.counter += 1
        first = st.page
        last = first + rng.randint(6, 34)
        st.page = last + 1
        volume = max(1, year - sp.start_year + 1)
        code = f"v:{volume}:y:{year}:i:{st.issue}:p:{first}-{last}"
        values = {"volume": str(volume), "issue": str(st.issue), "pages": f"{first}-{last}", "issn": sp.issn}
        if rng.random() < 0.5:
            values["month"] = calendar.month_name[month]
        if rng.random() < 0.7:
            values["doi"] = f"10.{1000 + sp.archive % 9000}/j.{sp.code}.{year}.{st.counter:05d}"
        return code, values, f"{sp.name}, {archive.name}, vol. {volume}({st.issue}), pages {first}-{last}", []

    def chapter(self, sp, st: SeriesState, archive, year: int, month: int):
        rng = self.rng
        if st.book_left <= 0:
            st.counter += 1
            isbn = f"978-3-{100 + sp.index % 900}-{st.counter:05d}-{st.counter % 10}"
            editors = text.zipf_distinct(rng, self.plan.author_cum, rng.randint(1, 2))
            st.book, st.chapter, st.book_left = (isbn, text.title(rng), editors), 0, rng.randint(6, 14)
        st.chapter += 1
        st.book_left -= 1
        isbn, book_title, editors = st.book  # type: ignore[misc]  # set above when None
        first = rng.randint(1, 300)
        last = first + rng.randint(10, 40)
        values = {"book_title": book_title, "isbn": isbn, "publisher": archive.name, "pages": f"{first}-{last}"}
        return (
            f"{isbn}_{st.chapter}",
            values,
            f"{sp.name}, in: {book_title}, pages {first}-{last}, {archive.name}",
            editors,
        )

    def book(self, sp, st: SeriesState, archive, year: int, month: int):
        rng = self.rng
        st.counter += 1
        isbn = f"978-1-{100 + sp.index % 900}-{st.counter:05d}-{st.counter % 10}"
        values = {"isbn": isbn, "publisher": archive.name, "length": f"{rng.randint(150, 600)} pages"}
        if rng.random() < 0.2:
            values["edition"] = str(rng.randint(2, 4))
        editors = text.zipf_distinct(rng, self.plan.author_cum, rng.randint(1, 3)) if rng.random() < 0.4 else []
        return isbn, values, f"{sp.name}, {archive.name}, number {isbn}", editors

    def software(self, sp, st: SeriesState, archive, year: int, month: int):
        rng = self.rng
        st.counter += 1
        code = f"s{458000 + sp.offset + st.counter}"
        language = rng.choice(vocab.PROGRAMMING_LANGUAGES)
        module = ascii_fold(rng.choice(vocab.LAST_NAMES)).replace(" ", "")[:6] + rng.choice(
            ["reg", "est", "test", "sim", ""]
        )
        topic = rng.choice(vocab.TOPICS)
        values = {
            "title": f"{module.upper()}: {language} module to estimate {topic}",
            "number": code.upper(),
            "creation_date": f"{year}-{month:02d}",
            "programming_language": language,
        }
        return code, values, f"{sp.name} {code.upper()}, {archive.name}", []

    # -- children -------------------------------------------------------------------------

    def people(self, item_id: int, handle_key: str, authors: list[int], editors: list[int]) -> None:
        rng, plan = self.rng, self.plan
        for position, (k, role) in enumerate([(k, "author") for k in authors] + [(k, "editor") for k in editors]):
            first, middle, last = plan.author_names[k]
            r = rng.random()
            if r < 0.05:
                name = f"{first[0]}. {last}"
            elif r < 0.08:
                name = f"{last}, {first}"
            else:
                name = text.full_name(first, middle, last)
            p = plan.author_person[k]
            person_id = self.ids.persons[p] if p >= 0 else None
            workplace = ""
            if rng.random() < 0.15:
                workplace = plan.person_workplaces[p][0][0] if p >= 0 else rng.choice(self.institutions)
            self.rows["authorship"].append((item_id, position, role, name, "", workplace, "", person_id))
            if person_id is not None:
                self.rows["claim"].append((person_id, handle_key, "accepted", self.now))

    def files(self, item_id: int, kind: str, archive: str, series: str, slug: str) -> None:
        rng = self.rng
        if rng.random() >= 0.85:
            return
        files = self.rows["file"]
        base = f"https://example.org/{archive}/{series}/{slug}"
        if kind == "software":
            files.append((item_id, 0, f"{base}.zip", "application/zip", "Program files", "", ""))
            return
        restriction = (
            "Access to full text is restricted to subscribers" if kind != "paper" and rng.random() < 0.3 else ""
        )
        files.append((item_id, 0, f"{base}.pdf", "application/pdf", "Full text", restriction, ""))
        if rng.random() < 0.05:
            files.append((item_id, 1, f"{base}-data.zip", "application/zip", "Replication data", "", ""))

    def references(self, i: int, item_id: int, year: int) -> None:
        plan, rng = self.plan, self.rng
        out = self.rows["reference"]
        style = rng.randrange(text.CITATION_STYLES)
        cite_authors, titles, tails, dois, years = self.cite_authors, self.titles, self.tails, self.dois, plan.years
        targets = plan.ref_targets[plan.ref_offsets[i] : plan.ref_offsets[i + 1]]
        for position, t in enumerate(targets):
            if t >= 0:
                raw = text.citation(style, cite_authors[t], years[t], titles[t], tails[t])
                score = round(0.8 + 0.2 * rng.random(), 3)
                out.append(
                    (
                        item_id,
                        position,
                        raw,
                        titles[t],
                        cite_authors[t],
                        years[t],
                        dois[t],
                        "",
                        t + 1,
                        "matched",
                        score,
                        None,
                        None,
                    )
                )
            else:
                raw, title, authors, ref_year = text.unmatched_reference(rng, style, year)
                out.append(
                    (item_id, position, raw, title, authors, ref_year, "", "", None, "unmatched", None, None, None)
                )

    def nep(self, item_id: int, year: int, month: int) -> None:
        rng = self.rng
        r = rng.random()
        reports = text.zipf_distinct(rng, self.plan.nep_cum, 1 + (r < 0.35) + (r < 0.1))
        created = datetime.date(year, month, rng.randint(1, 28))
        for report in reports:
            date = created + datetime.timedelta(days=(6 - created.weekday()) % 7 + 7 * rng.randint(0, 2))
            date = min(date, LAST_NEP_DATE)
            issue = self.issue_ids.get((report, date))
            if issue is None:
                issue = self.issue_ids[(report, date)] = self.next_issue_id
                self.next_issue_id += 1
                self.rows["issue"].append((issue, self.ids.nep_reports[report], self.adapt_date(date)))
            position = self.issue_next.get(issue, 0)
            self.issue_next[issue] = position + 1
            self.rows["announcement"].append((issue, item_id, position))

    def stats(self, i: int, item_id: int, created: int) -> None:
        rng = self.rng
        first = max(LAST_MONTH - rng.randint(12, 24) + 1, min(created, LAST_MONTH))
        base = rng.lognormvariate(2.0, 1.0) * (1 + self.plan.citations[i] ** 0.7)
        out = self.rows["stat"]
        for m in range(first, LAST_MONTH + 1):
            month = self.months.get(m)
            if month is None:
                month = self.months[m] = self.adapt_date(datetime.date(m // 12, m % 12 + 1, 1))
            views = int(base * (0.5 + rng.random()))
            out.append((item_id, month, views, int(views * (0.2 + 0.5 * rng.random()))))
