import time

from django.core.management.base import BaseCommand

from catalogue.citations.related import compute_related


class Command(BaseCommand):
    help = "Recompute the 'most related items' of every item from co-citation and bibliographic coupling."

    def handle(self, *args, **options):
        start = time.perf_counter()
        rows = compute_related()
        self.stdout.write(f"related items: {rows} rows in {time.perf_counter() - start:.1f} s")
