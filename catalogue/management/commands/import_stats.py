from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.ingest.stats import import_file
from catalogue.stats import months
from catalogue.stats.rollups import refresh_items


class Command(BaseCommand):
    help = (
        "Import historical usage statistics from CSV files (header handle,month,abstract_views,downloads; "
        "month as YYYY-MM; # comments; see README, 'Importing data'). Each line REPLACES that item's figures "
        "for that month, so re-running is harmless; one transaction per file. Bad lines are reported as "
        "file:line: message and skipped, the rest is written, and the exit status is 1 if there were any. "
        "Then refreshes the rollups and totals of the items touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        today = months.today()
        touched: set[int] = set()
        errors = 0
        for path in files:
            result = import_file(path, today)
            for message in result.errors:
                self.stderr.write(message)
            errors += len(result.errors)
            touched |= result.item_ids
            self.stdout.write(f"{path}: {result.written} month(s) written, {len(result.errors)} error(s)")
        if touched:
            self.stdout.write(f"rollups refreshed: {refresh_items(touched, today)}")
        if errors:
            raise CommandError(f"{errors} line(s) not imported; the others were")
