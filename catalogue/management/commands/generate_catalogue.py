import sys
import time

from django.core.management.base import BaseCommand, CommandError

from catalogue.synthetic.generate import BATCH_SIZE, CatalogueNotEmpty, generate_catalogue


class Command(BaseCommand):
    help = (
        "Fill an empty catalogue with a deterministic synthetic one for benchmarks and tests: archives, "
        "series, items with authors, keywords, JEL codes, files, references (Zipf-distributed citations), "
        "registered persons, NEP issues and download statistics. The same --items and --seed give the "
        "same catalogue. Refuses to run on a database that already has items."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, required=True, help="how many items (e.g. 1000000)")
        parser.add_argument("--seed", type=int, default=1, help="the catalogue's seed (default 1)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="items a transaction (default 5000)")

    def handle(self, *args, items, seed, batch_size, **options):
        if items < 1 or batch_size < 1:
            raise CommandError("--items and --batch-size must be at least 1")
        tty = sys.stderr.isatty()
        verbose = options["verbosity"] > 0

        def progress(message: str) -> None:
            if verbose:
                sys.stderr.write(f"\r{message}\033[K" if tty else f"{message}\n")
                sys.stderr.flush()

        start = time.perf_counter()
        try:
            written = generate_catalogue(items, seed, batch_size=batch_size, progress=progress)
        except CatalogueNotEmpty as error:
            raise CommandError(str(error)) from None
        if verbose and tty:
            sys.stderr.write("\n")
        seconds = time.perf_counter() - start
        rows = ", ".join(f"{n:,} {label.split('.')[-1]}" for label, n in written.items() if n)
        self.stdout.write(
            f"generated {items:,} items (seed {seed}) in {seconds:,.1f} s ({items / seconds:,.0f} items/s): {rows}"
        )
