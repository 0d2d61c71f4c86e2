import sys
import time

from django.core.management.base import BaseCommand

from catalogue.search.indexing import cluster, rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the whole search index from the catalogue. Imports and corrections keep it in step on "
        "their own; run this after loading data by other means, or to repair it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=20_000, help="item ids per statement (default 20000)")

    def handle(self, *args, chunk, **options):
        start = time.perf_counter()
        verbose = options["verbosity"] > 0

        def progress(done: int, of: int) -> None:
            if verbose:
                sys.stderr.write(f"\r{min(done, of):,}/{of:,} item ids\033[K")

        total = rebuild(chunk=max(1, chunk), progress=progress)
        cluster()  # PostgreSQL: most cited first, and fresh statistics
        if verbose:
            sys.stderr.write("\n")
        self.stdout.write(f"indexed {total:,} items in {time.perf_counter() - start:,.1f} s")
