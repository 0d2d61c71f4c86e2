import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalogue.citations.related import compute_related
from catalogue.models import Reference


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


def changed_since(moment) -> set[int]:
    """The items whose citations changed since `moment`: the citing items of the references
    the matcher or a person decided on since then, and the candidates a person rejected
    (a rejected reference keeps its target, whose lists lose the link)."""
    recent = Reference.objects.filter(Q(matched_at__gte=moment) | Q(decided_at__gte=moment))
    changed: set[int] = set()
    for citing_id, target_id, status in recent.values_list("citing_id", "target_id", "status").iterator(10_000):
        changed.add(citing_id)
        if status == Reference.Status.REJECTED and target_id:
            changed.add(target_id)
    return changed
