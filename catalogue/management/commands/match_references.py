import sys
import time

from django.core.management.base import BaseCommand

from catalogue.citations.matching import match_references


class Command(BaseCommand):
    help = (
        "Link raw references to catalogue items: by DOI, by handle, or by title similarity with year and "
        "author surnames. Matched, uncertain (for a registered author to confirm) or unmatched. Reads only "
        "references new or changed since the last run unless --all; never touches a decision a person made."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="re-match every undecided reference")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        start = time.perf_counter()
        verbose = options["verbosity"] > 0

        def progress(seen: int) -> None:
            if verbose:
                sys.stderr.write(f"\r{seen:,} references\033[K")

        report = match_references(
            everything=options["all"], batch_size=max(1, options["batch_size"]), progress=progress
        )
        if verbose and report.seen:
            sys.stderr.write("\n")
        self.stdout.write(f"{report.summary()} in {time.perf_counter() - start:,.1f} s")
