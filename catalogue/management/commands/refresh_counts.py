from django.core.management.base import BaseCommand

from catalogue.listcounts import refresh_counts


class Command(BaseCommand):
    help = (
        "Recount the items of every series, archive, keyword and JEL code (the totals browse pages "
        "show and paginate with). The importer refreshes what it touches; run this after migrating "
        "or after changing items by other means."
    )

    def handle(self, *args, **options):
        refresh_counts()
        self.stdout.write("counts refreshed")
