import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalogue.citations.related import changed_since, compute_related


class Command(BaseCommand):
    help = (
        "Recompute the 'most related items' from co-citation and bibliographic coupling: of every item, or "
        "with --since, only of those whose lists the references matched or decided on since then can change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", help="an ISO date and time: the citing items of references matched since then changed"
        )

    def handle(self, *args, since=None, **options):
        changed = None
        if since:
            try:
                moment = parse_datetime(since)  # a date alone is midnight
            except ValueError:
                moment = None
            if moment is None:
                raise CommandError(f"--since: {since!r} is not a date and time (e.g. 2026-11-24T10:00:00+00:00)")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            changed = changed_since(moment)
        report = compute_related(changed)
        self.stdout.write(report.summary())
