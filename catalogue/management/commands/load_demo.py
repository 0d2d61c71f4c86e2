"""The demo catalogue: one IDEAS item page rebuilt through the project's own importers.

Everything comes from the files in catalogue/demo/ (see its README.md): the ReDIF archives,
series, items and persons, the reference lists, the NEP issues. Only the usage statistics are
written directly, because there is no importer for them yet.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue.handles import handle_key
from catalogue.models import (
    Archive,
    Institution,
    Item,
    MonthlyStat,
    NepAnnouncement,
    NepIssue,
    Person,
    Reference,
    RelatedItem,
    Series,
)

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SEED = "RePEc:ipt:iptwpa:jrc108028"
# Demo accounts, with passwords everyone can read in the README: made only when DEBUG is on,
# so that loading the demo into a production database leaves no known password behind.
DEMO_ACCOUNTS = [
    # username, e-mail, password, superuser, archives published
    ("publisher", "publisher@example.org", "demo-publisher-pass", False, ["ipt"]),
    ("staff", "staff@example.org", "demo-staff-pass", True, []),
]


class Command(BaseCommand):
    help = (
        "Load the demo catalogue built around the IDEAS page of RePEc:ipt:iptwpa:jrc108028: "
        "imports the ReDIF files, reference lists and NEP issues in catalogue/demo/ with the "
        "real importers, computes related items and writes demo usage statistics, then writes the "
        "open-data dump (/data/). Idempotent; all or nothing: fails if any import reports an error."
    )

    def handle(self, *args, **options):
        streams = {"verbosity": options["verbosity"], "stdout": self.stdout, "stderr": self.stderr}
        # One transaction: a failing import (CommandError) leaves the database as it was.
        with transaction.atomic():
            call_command("import_redif", str(DEMO_DIR), **streams)
            call_command("import_references", str(DEMO_DIR / "references.jsonl"), **streams)
            call_command("import_nep", str(DEMO_DIR / "nep.jsonl"), **streams)
            call_command("match_references", **streams)
            call_command("compute_related", **streams)
            stats = write_demo_stats()
            call_command("refresh_stats", **streams)
            accounts = write_demo_accounts() if settings.DEBUG else []
        self.stdout.write(f"demo usage statistics: {stats} monthly rows")
        for username, password, archives in accounts:
            role = f"publisher of {', '.join(archives)}" if archives else "staff"
            self.stdout.write(f"demo account ({role}): {username} / {password} at /admin/")
        self.stdout.write(
            "catalogue now holds: "
            f"{Archive.objects.count()} archives, {Series.objects.count()} series, "
            f"{Item.objects.count()} items, {Person.objects.count()} registered authors, "
            f"{Institution.objects.count()} institutions, "
            f"{Reference.objects.count()} references "
            f"({Reference.objects.filter(status__in=Reference.Status.counted()).count()} matched), "
            f"{NepIssue.objects.count()} NEP issues ({NepAnnouncement.objects.count()} announcements), "
            f"{RelatedItem.objects.count()} related-item links"
        )
        # the "Open data" page of a fresh `make run` lists files at once (a second at demo size)
        call_command("dump_catalogue", **streams)
        seed = Item.objects.select_related("series__archive").by_handle(SEED).get()
        self.stdout.write(self.style.SUCCESS(f"seed page: {seed.get_absolute_url()}"))


# -- demo usage statistics --------------------------------------------------------------
# There is no importer for usage statistics yet, so the demo writes MonthlyStat rows itself:
# twelve months per item from the month of its announcement, a plausible decay after a
# first peak with a deterministic wobble (no randomness: reruns write the same figures).

DEMO_STATS = {
    # handle: (first month, abstract views in the first month)
    SEED: (datetime.date(2017, 11, 1), 64),
    "RePEc:ipt:iptwpa:jrc84659": (datetime.date(2013, 9, 1), 41),
    "RePEc:ipt:iptwpa:jrc102764": (datetime.date(2016, 9, 1), 118),
    "RePEc:ipt:iptwpa:jrc120392": (datetime.date(2020, 6, 1), 37),
    "RePEc:taf:regstd:v:54:y:2020:i:10:p:1341-1353": (datetime.date(2020, 10, 1), 52),
}


def demo_months(first: datetime.date, peak: int) -> list[tuple[datetime.date, int, int]]:
    """(month, abstract views, downloads) for the twelve months from `first`."""
    rows = []
    for n in range(12):
        year, month = divmod(first.month - 1 + n, 12)
        views = round(peak * 0.8**n) + 6 + (n * 7) % 5
        downloads = views * (3 + n % 3) // 10
        rows.append((datetime.date(first.year + year, month + 1, 1), views, downloads))
    return rows


def write_demo_stats() -> int:
    keys = [handle_key(h) for h in DEMO_STATS]
    items = dict(Item.objects.filter(handle_key__in=keys).values_list("handle_key", "pk"))
    written = 0
    for handle, (first, peak) in DEMO_STATS.items():
        for month, views, downloads in demo_months(first, peak):
            MonthlyStat.objects.update_or_create(
                item_id=items[handle_key(handle)],
                month=month,
                defaults={"abstract_views": views, "downloads": downloads},
            )
            written += 1
    return written


def write_demo_accounts() -> list[tuple[str, str, list[str]]]:
    """The demo's publisher (of the seed's archive) and staff accounts, passwords reset each run."""
    from allauth.account.models import EmailAddress

    made = []
    for username, email, password, superuser, archives in DEMO_ACCOUNTS:
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
        user.email, user.is_staff, user.is_superuser, user.is_active = email, True, superuser, True
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        for archive in Archive.objects.filter(code__in=archives):
            archive.publishers.add(user)
        made.append((username, password, archives))
    return made
