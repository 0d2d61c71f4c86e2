from django.core.management.base import BaseCommand, CommandError

from catalogue.harvest import harvest_archives
from catalogue.models import Archive, HarvestRun


class Command(BaseCommand):
    help = (
        "Harvest archives from their URLs (the URL: of their Archive template) over HTTP, HTTPS "
        "or FTP: only files that changed are fetched and imported; a file missing from three "
        "successful harvests in a row has its items withdrawn. Prints one line a run and its "
        "errors; exits 1 when a run failed or was flagged."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", metavar="CODE", help="archive codes (ipt)")
        parser.add_argument("--all", action="store_true", help="every archive with a URL")
        parser.add_argument("--force", action="store_true", help="fetch and import every file, changed or not")

    def handle(self, *args, codes, all, force, **options):
        if bool(codes) == all:
            raise CommandError("name archive codes, or --all (not both)")
        if codes:
            found = dict(Archive.objects.filter(code__in=[c.lower() for c in codes]).values_list("code", "url"))
            unknown = sorted({c.lower() for c in codes} - set(found))
            without = sorted(code for code, url in found.items() if not url)
            if unknown:
                raise CommandError(f"no archive {', '.join(unknown)}")
            if without:
                raise CommandError(f"no URL to harvest from for {', '.join(without)}")
        runs = harvest_archives(codes or None, force=force)
        for run in runs:
            self.stdout.write(
                f"{run.archive.code}: {run.status}; files seen {run.files_seen}, fetched {run.files_fetched}, "
                f"unchanged {run.files_unchanged}, failed {run.files_failed}, missing {run.files_missing}; "
                f"items created {run.items_created}, updated {run.items_updated}, withdrawn {run.items_withdrawn}"
                + (f"; {run.flag}" if run.flag else "")
            )
            for line in run.error_lines:
                self.stderr.write(f"error: {line}")
        bad = [run.archive.code for run in runs if run.status != HarvestRun.Status.OK]
        if bad:
            raise CommandError(f"failed or flagged: {', '.join(bad)} (see above)")
