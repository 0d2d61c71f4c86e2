import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from catalogue.handles import handle_key, repec_codes
from catalogue.models import Item, Series
from catalogue.stats import months
from catalogue.stats.rollups import refresh_all, refresh_items


class Command(BaseCommand):
    help = (
        "Rebuild what the series, author and ranking statistics pages read from the monthly "
        "figures: the series' and registered authors' monthly rollups and the per-item and "
        "per-author totals (last month, last 12 months, all time; authors' citations without "
        "self-citations), and the institutions' totals (their authors' split by share). "
        "Everything, or only what depends on the items or series named. "
        "Set-based SQL in one transaction; safe to re-run. Schedule it after flush_stats "
        "(hourly or daily) and at least once early each month, when 'last month' moves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", nargs="+", metavar="HANDLE", help="only these items (handles, any case)")
        parser.add_argument("--series", nargs="+", metavar="HANDLE", help="only these series: RePEc:ipt:iptwpa")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="compute 'last month' as of this date (YYYY-MM-DD)"
        )

    def handle(self, *args, items=None, series=None, today=None, **options):
        today = today or months.today()
        start = time.perf_counter()
        if items is None and series is None:
            done = refresh_all(today)
        else:
            done = refresh_items(self.item_ids(items or [], series or []), today)
        seconds = time.perf_counter() - start
        last = months.last_complete_month(today)
        self.stdout.write(f"statistics refreshed as of {last:%Y-%m}: {done} in {seconds:.1f} s")

    def item_ids(self, handles: list[str], series_handles: list[str]) -> list[int]:
        """The ids of the items named and of every item of the series named; an unknown handle is an error."""
        keys = {handle_key(h) for h in handles}
        ids = set(Item.objects.filter(handle_key__in=keys).values_list("handle_key", flat=True))
        missing = sorted(keys - ids)
        series_ids = []
        for handle in series_handles:
            archive_code, series_code, code = repec_codes(handle) or ("", "", "")
            series = Series.objects.by_codes(archive_code, series_code).first() if series_code and not code else None
            if series is None:
                missing.append(handle)
            else:
                series_ids.append(series.pk)
        if missing:
            raise CommandError(f"unknown handle(s): {', '.join(missing)}")
        items = Item.objects.filter(handle_key__in=keys) | Item.objects.filter(series_id__in=series_ids)
        return list(items.values_list("pk", flat=True))
