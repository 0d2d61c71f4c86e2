"""Add the buffered abstract views and downloads to the monthly statistics (run every few minutes)."""

from django.core.management.base import BaseCommand

from catalogue.stats import months
from catalogue.stats.counting import flush
from catalogue.stats.rollups import refresh_items


class Command(BaseCommand):
    help = (
        "Add the abstract views and downloads counted since the last run (the statistics buffer, "
        "CACHES['stats']) to the monthly statistics. A scheduler runs it every few minutes; safe to re-run. "
        "With --refresh, also rebuild the series, author and ranking figures of the items that moved."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh", action="store_true", help="then refresh_stats for the items whose figures moved"
        )

    def handle(self, *args, refresh=False, **options):
        report = flush()
        if options["verbosity"]:
            self.stdout.write(str(report))
        if refresh and report.items:
            done = refresh_items(report.items, months.today())
            if options["verbosity"]:
                self.stdout.write(f"statistics refreshed: {done}")
