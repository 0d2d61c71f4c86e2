import sys

from django.core.management.base import BaseCommand, CommandError

from catalogue.ingest.importer import Importer


class Command(BaseCommand):
    help = (
        "Import ReDIF files (Archive, Series, Paper, Article, Chapter, Book, Software, Person "
        "templates) from files or folders (recursively). Upserts by handle: importing twice "
        "changes nothing; a bad template is reported as file:line and skipped. Exits 1 on errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="ReDIF files or folders")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--quiet-warnings", action="store_true", help="count warnings, do not list them")

    def handle(self, *args, paths, batch_size, quiet_warnings, **options):
        progress = self.progress if sys.stderr.isatty() and options["verbosity"] > 0 else None
        report = Importer(batch_size=batch_size, progress=progress).import_paths(paths)
        if progress:
            sys.stderr.write("\n")
        if not quiet_warnings:
            for warning in report.warnings:
                self.stderr.write(f"warning: {warning}")
        for error in report.errors:
            self.stderr.write(f"error: {error}")
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{len(report.errors)} template(s) could not be imported (see the errors above)")

    def progress(self, seen: int) -> None:
        sys.stderr.write(f"\r{seen:,} templates read")
        sys.stderr.flush()
