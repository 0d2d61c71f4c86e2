from django.core.management.base import BaseCommand, CommandError

from catalogue import alerts
from catalogue.alerts.sending import MailServerDown


class Command(BaseCommand):
    help = (
        "Decide the alerts' digests (as it happens, weekly, monthly) and the monthly author reports whose "
        "period has ended, then send every message waiting through the configured e-mail backend. The "
        "scheduled job send-alerts does the same every SCHEDULE_SEND_ALERTS_SECONDS. Exits 1 when the mail "
        "server could not be reached (what was not sent is tried again on the next run)."
    )

    def handle(self, *args, **options):
        try:
            self.stdout.write(alerts.run())
        except MailServerDown as error:
            raise CommandError(str(error)) from None
