from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue import opendata
from catalogue.opendata.writer import CHUNK_SIZE


class Command(BaseCommand):
    help = (
        "Write the open-data dump of the whole catalogue (one gzipped JSON Lines file per kind of record, "
        "a manifest.json and SHA256SUMS) into OPEN_DATA_DIR, or --to, and make it the current one served "
        "at /data/. The scheduled job dump-catalogue does the same nightly. A failure leaves the current "
        "dump as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", type=Path, help=f"folder of the dump (default: OPEN_DATA_DIR, {settings.OPEN_DATA_DIR})"
        )
        parser.add_argument(
            "--chunk-size", type=int, default=CHUNK_SIZE, help="rows read a query (default %(default)s)"
        )

    def handle(self, *args, **options):
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")
        try:
            written = opendata.dump(options["to"], chunk_size=options["chunk_size"])
        except OSError as error:
            raise CommandError(f"the dump could not be written: {error}") from error
        self.stdout.write(written.summary())
        self.stdout.write(f"current dump: {written.folder}")
