from django.core.management.base import BaseCommand, CommandError

from catalogue.ingest.nep import load_nep


class Command(BaseCommand):
    help = (
        "Load NEP announcements from a JSON Lines file: one object per issue with "
        '"report" (nep-ino), "name", "date" (yyyy-mm-dd) and "items" (handles in the '
        "editor's order). Each issue lands whole or not at all. Exits 1 on errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        report = load_nep(file)
        for line in report.errors:
            self.stderr.write(f"error: {line}")
        self.stdout.write(report.summary("NEP issues"))
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s): see above")
