"""Add the buffered abstract views and downloads to the monthly statistics (run every few minutes)."""

from django.core.management.base import BaseCommand

from catalogue.stats.counting import flush


class Command(BaseCommand):
    help = (
        "Add the abstract views and downloads counted since the last run (the statistics buffer, "
        "CACHES['stats']) to the monthly statistics. A scheduler runs it every few minutes; safe to re-run."
    )

    def handle(self, *args, **options):
        report = flush()
        if options["verbosity"]:
            self.stdout.write(str(report))
