"""Admin pages against a generated catalogue, as staff and as the publisher of the largest archive.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=testserver \\
        STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage \\
        .venv/bin/python bench/admin.py --repeat 20

Times, with Django's test client (force_login), the item, reference and series change lists,
a filtered list, searches by handle prefix and by title, an item's change page and an
autocomplete request, and prints p50/p95/max and the queries of a request. Budget: p95 under
300 ms. Writes nothing but two accounts, `bench-staff` and `bench-publisher` (made once, the
publisher named among the largest archive's publishers).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, percentile, setup_django

BUDGET_MS = 300.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    args = parser.parse_args()
    setup_django(ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false")

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from catalogue.models import Archive, Item, Series

    archive = Archive.objects.annotate(n=Count("series__items")).order_by("-n").first()
    if archive is None:
        print("no archives: generate a catalogue first", file=sys.stderr)
        return 2
    users = get_user_model().objects
    staff = users.filter(username="bench-staff").first() or users.create_superuser("bench-staff", "staff@bench.invalid")
    publisher = users.filter(username="bench-publisher").first() or users.create_user(
        "bench-publisher", "publisher@bench.invalid", is_staff=True
    )
    archive.publishers.add(publisher)  # once: adding an existing link writes nothing
    series = Series.objects.filter(archive=archive).order_by("-item_count").first()
    item = Item.objects.filter(series=series).order_by("-citation_count").first()
    word = item.title.split()[0]
    print(f"{machine()}; {Item.objects.count():,} items; largest archive {archive.code} ({archive.item_count:,} items)")

    complete = "/admin/autocomplete/?app_label=catalogue&model_name=item&field_name="
    pages = [
        ("items", "/admin/catalogue/item/"),
        ("items, page 50", "/admin/catalogue/item/?p=50"),
        ("items of a series (filter)", f"/admin/catalogue/item/?series={series.pk}"),
        ("items, kind=book (filter)", "/admin/catalogue/item/?kind__exact=book"),
        ("items, handle prefix", f"/admin/catalogue/item/?q={series.handle}:"),
        ("items, title words", f"/admin/catalogue/item/?q={' '.join(item.title.split()[:2])}"),
        ("references", "/admin/catalogue/reference/"),
        ("references of an item", f"/admin/catalogue/reference/?q={item.handle}"),
        ("series", "/admin/catalogue/series/"),
        ("handle aliases", "/admin/catalogue/handlealias/"),
        ("item change page", f"/admin/catalogue/item/{item.pk}/change/"),
        ("item history", f"/admin/catalogue/item/{item.pk}/history/"),
        ("autocomplete series", f"{complete}series"),
        ("autocomplete items (title)", f"{complete}replaced_by&term={word}"),
        ("autocomplete items (empty)", f"{complete}replaced_by"),
    ]
    print(f"{'role':<10} {'page':<30} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    over = 0
    for role, user in (("staff", staff), ("publisher", publisher)):
        client = Client()
        client.force_login(user)
        for name, url in pages:
            queries = []  # counted by a wrapper: the request's start clears Django's query log
            with connection.execute_wrapper(lambda execute, *a, log=queries: log.append(1) or execute(*a)):
                status = client.get(url).status_code  # warms up, and counts the queries
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
            over += p95 > BUDGET_MS
            flag = "  over budget" if p95 > BUDGET_MS else ""
            print(
                f"{role:<10} {name:<30} {status:>6} {len(queries):>7} {p50:>8.1f} {p95:>8.1f} {max(times):>8.1f}{flag}"
            )
    print(f"budget: p95 under {BUDGET_MS:.0f} ms; {over} page(s) over")
    return 0


if __name__ == "__main__":
    sys.exit(main())
