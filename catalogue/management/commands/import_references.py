from django.core.management.base import BaseCommand, CommandError

from catalogue.ingest.references import load_references


class Command(BaseCommand):
    help = (
        "Load reference lists from a JSON Lines file: one object per reference with "
        '"citing" (handle) and "text" (raw reference), optionally "cited" (handle), "doi", '
        '"title", "authors", "year". Replaces the whole list of each citing item named; keeps '
        "decisions people made. Bad lines are reported as file:line. Exits 1 on errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        report = load_references(file)
        for line in report.errors:
            self.stderr.write(f"error: {line}")
        self.stdout.write(report.summary("references"))
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s): see above")
