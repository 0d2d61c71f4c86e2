from django.core.management.base import BaseCommand

from catalogue.browse import institutions
from catalogue.browse.counts import refresh_counts
from catalogue.models import Item, Series


class Command(BaseCommand):
    help = (
        "Recount the items of every series, archive, keyword and JEL code (the totals browse pages "
        "show and paginate with), rebuild the anchors of long lists and every institution's list of "
        "works (as refresh_stats does). The importer refreshes what "
        "it touches; run this after changing items by other means. --if-never-counted (the release "
        "step) does it only when items exist but no series has been counted, e.g. just after the "
        "migration that added the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-never-counted", action="store_true", help="only if nothing was ever counted")

    def handle(self, *args, if_never_counted=False, **options):
        if if_never_counted and (Series.objects.filter(item_count__gt=0).exists() or not Item.objects.exists()):
            self.stdout.write("counts already kept: nothing to do")
            return
        refresh_counts()
        works = institutions.rebuild()
        self.stdout.write(f"counts refreshed; {works:,} works of institutions listed")
