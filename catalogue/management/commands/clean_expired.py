from django.core.management.base import BaseCommand

from catalogue.tasks.jobs import clean_everything


class Command(BaseCommand):
    help = (
        "Delete expired sessions (as clearsessions), failed log-in attempts whose lockout has cooled off "
        "(AXES_COOLOFF_HOURS), django-axes' logs older than ACCESS_LOGS_KEEP_DAYS and job runs older than "
        "JOB_RUNS_KEEP_DAYS. The scheduled job clean-expired does the same daily; safe to re-run."
    )

    def handle(self, *args, **options):
        self.stdout.write(clean_everything())
