"""Add the buffered abstract views and downloads to the monthly statistics (run every few minutes)."""

from django.core.management.base import BaseCommand

from catalogue.stats.rollups import flush_and_refresh


class Command(BaseCommand):
    help = (
        "Add the abstract views and downloads counted since the last run (the statistics buffer, "
        "CACHES['stats']) to the monthly statistics. The scheduled job flush-stats does the same "
        "every five minutes (catalogue.tasks.flush_stats); safe to re-run. "
        "With --refresh, also rebuild the series, author and ranking figures of the items that moved."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh", action="store_true", help="then refresh_stats for the items whose figures moved"
        )

    def handle(self, *args, refresh=False, **options):
        summary = flush_and_refresh(refresh=refresh)
        if options["verbosity"]:
            self.stdout.write(summary)
