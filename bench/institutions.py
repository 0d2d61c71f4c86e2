"""Institutions at scale (issue 20): 15,000 institutions and 100,000 registered authors with
their affiliations and works, then the institution totals' refresh and the new pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a database of your own> DEBUG=false SECRET_KEY=bench \\
        .venv/bin/python bench/institutions.py [--institutions 15000] [--persons 100000] [--repeat 10]

Fills the (migrated) database when it holds no institution yet: one series, a work per author
with a second author on it (random, seeded), 1 to 3 affiliations each (60/40 shares, one
without a share, or two without and a free-text one), institutions picked with a skew (a few
have thousands of authors), one in four a department of the one before it, countries skewed
to the US. Then times a full `refresh_stats`, `institution_totals` alone and the rebuild of the
institutions' kept lists of works alone (catalogue.browse.institutions.rebuild), and requests
each page once under CaptureQueriesContext (its queries) and `--repeat` times in-process: the
largest institution (its works' first, 20th and last page, its authors' first and last page),
a typical one, the directory, the largest country (first and last page), the ranking by
citations and by downloads (page 1 and 20), and the chooser.
Budget: the same number of queries whatever the sizes; p95 well under 100 ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Requester, machine, percentile, setup_pages

COUNTRIES = ["us"] * 12 + ["gb"] * 4 + ["de"] * 4 + ["fr"] * 3 + ["it", "es", "nl", "ca", "au", "jp", "cn", "in", "br"]
COUNTRIES += [
    "ch",
    "se",
    "be",
    "at",
    "dk",
    "no",
    "fi",
    "pl",
    "cz",
    "mx",
    "ar",
    "cl",
    "za",
    "kr",
    "tw",
    "il",
    "ie",
    "pt",
]
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = DIGITS[r] + out
    return out


def fill(institutions: int, persons: int, seed: int) -> None:
    from django.db import transaction

    from catalogue.models import Affiliation, Archive, Authorship, Institution, Item, MonthlyStat, Person, Series
    from catalogue.stats import months
    from catalogue.stats.months import last_complete_month

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        archive = Archive.objects.create(code="bnc", handle="RePEc:bnc", name="Bench archive")
        series = Series.objects.create(archive=archive, code="wpaper", handle="RePEc:bnc:wpaper", name="Bench papers")
        rows, top = [], None
        for n in range(institutions):
            cc = rng.choice(COUNTRIES)
            code = f"b{base36(n, 4)}{cc}"
            name = f"University {n}" if n % 4 == 0 else f"Department {n}"
            levels = [{"name": name}] if n % 4 == 0 else [{"name": top}, {"name": name}]
            top = name if n % 4 == 0 else top
            rows.append(
                Institution(
                    handle=f"RePEc:edi:{code}", handle_key=f"repec:edi:{code}", code=code, name=name, levels=levels,
                    all_names=" / ".join(level["name"] for level in levels), location=f"City {n % 997}",
                    country=cc.upper().replace("UK", "GB"),
                )
            )  # fmt: skip
        made = Institution.objects.bulk_create(rows, batch_size=5000)
        ids = [i.pk for i in made]
        parents = [Institution(pk=ids[n], parent_id=ids[n - n % 4]) for n in range(institutions) if n % 4]
        Institution.objects.bulk_update(parents, ["parent"], batch_size=5000)
        people = Person.objects.bulk_create(
            (
                Person(short_id=f"pbn{n}", name_full=f"Author {n}", name_first="Author", name_last=f"N{n:06d}")
                for n in range(persons)
            ),
            batch_size=5000,
        )

        def pick() -> int:
            return ids[int(institutions * rng.random() ** 3)]

        affiliations = []
        for n, person in enumerate(people):
            shape = n % 3
            chosen = [(pick(), 60), (pick(), 40)] if shape == 0 else [(pick(), None)]
            if shape == 2:
                chosen += [(pick(), None), (None, None)]
            for position, (inst, share) in enumerate(chosen):
                affiliations.append(
                    Affiliation(
                        person=person, position=position, name="Somewhere" if inst is None else "An institution",
                        institution="" if inst is None else "RePEc:edi:x", institution_ref_id=inst, share=share,
                    )
                )  # fmt: skip
        Affiliation.objects.bulk_create(affiliations, batch_size=5000)
        items = Item.objects.bulk_create(
            (
                Item(
                    series=series, kind="paper", slug=f"w{n}", handle=f"RePEc:bnc:wpaper:w{n}",
                    handle_key=f"repec:bnc:wpaper:w{n}", title=f"Work {n}", year=1990 + n % 35,
                    citation_count=int(50 * rng.random() ** 4),
                )
                for n in range(persons)
            ),
            batch_size=5000,
        )  # fmt: skip
        authorships = []
        for n, item in enumerate(items):
            authorships.append(Authorship(item=item, position=0, name=f"Author {n}", person=people[n]))
            other = rng.randrange(persons)
            authorships.append(Authorship(item=item, position=1, name=f"Author {other}", person=people[other]))
        Authorship.objects.bulk_create(authorships, batch_size=5000)
        last = last_complete_month(months.today())
        MonthlyStat.objects.bulk_create(
            (
                MonthlyStat(item=item, month=last, abstract_views=rng.randrange(200), downloads=rng.randrange(50))
                for item in items
            ),
            batch_size=5000,
        )
    from django.db import connection

    with connection.cursor() as cursor:  # the planner's statistics of what was just written
        cursor.execute("ANALYZE")
    print(
        f"filled: {institutions:,} institutions, {persons:,} persons, {len(affiliations):,} affiliations, "
        f"{len(items):,} works, {len(authorships):,} authorships in {time.perf_counter() - started:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--institutions", type=int, default=15_000)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_pages()

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from catalogue.browse import institutions as institution_works
    from catalogue.models import Institution
    from catalogue.pages.institution import AUTHORS_SHOWN
    from catalogue.stats import months
    from catalogue.stats.months import last_complete_month
    from catalogue.stats.rollups import analyze, institution_totals, refresh_all

    print(machine())
    if not Institution.objects.exists():
        fill(args.institutions, args.persons, args.seed)
    today = months.today()
    started = time.perf_counter()
    print(f"refresh_stats (all): {refresh_all(today)} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    rows = institution_totals(last_complete_month(today))
    print(f"institution_totals alone: {rows:,} rows in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    rows = institution_works.rebuild()
    print(f"institution works rebuilt alone: {rows:,} rows in {time.perf_counter() - started:.2f} s")
    analyze()

    by_size = Institution.objects.annotate(n=Count("affiliations")).order_by("-n", "id").values_list("code", "n")
    largest, typical = by_size[0], by_size[1000]
    works = Institution.objects.get(code=largest[0]).work_count
    last_works, last_authors = -(-works // settings.PAGE_SIZE), -(-largest[1] // AUTHORS_SHOWN)
    country = Institution.objects.values_list("country").annotate(n=Count("id")).order_by("-n")[0]
    last_page = -(-country[1] // 100)
    pages = [
        (f"/i/{largest[0]}.html", f"largest institution ({largest[1]:,} affil., {works:,} works)"),
        (f"/i/{largest[0]}.html?page=20", "largest institution, works page 20"),
        (f"/i/{largest[0]}.html?page={last_works}", f"largest institution, works page {last_works} (last)"),
        (f"/i/{largest[0]}/authors.html", "largest institution's authors, page 1"),
        (f"/i/{largest[0]}/authors.html?page={last_authors}", f"largest institution's authors, page {last_authors}"),
        (f"/i/{typical[0]}.html", f"the 1,000th institution ({typical[1]:,} affiliations)"),
        ("/i/", "directory"),
        (f"/i/c/{country[0].lower()}.html", f"largest country ({country[1]:,} institutions)"),
        (f"/i/c/{country[0].lower()}.html?page={last_page}", f"largest country, page {last_page}"),
        ("/stats/top/institutions.html?by=citations", "ranking by citations"),
        ("/stats/top/institutions.html?by=citations&page=20", "ranking by citations, page 20"),
        ("/stats/top/institutions.html?by=downloads&period=all", "ranking by downloads"),
        ("/search/choices/institution.json?q=Department%2012", "chooser"),
    ]
    requester = Requester()
    times: dict[str, list[float]] = {url: [] for url, _ in pages}
    queries = {}
    for url, _ in pages:
        with CaptureQueriesContext(connection) as captured:
            status, _, _ = requester.get(url)
        assert status == 200, (url, status)
        queries[url] = len(captured)
    for _ in range(args.repeat):
        for url, _ in pages:
            times[url].append(requester.get(url)[1])
    print(f"{'page':<48} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for url, label in pages:
        print(f"{label:<48} {queries[url]:>7} {percentile(times[url], 0.5):>8.1f} {percentile(times[url], 0.95):>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
