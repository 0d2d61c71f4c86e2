"""E-mail that readers and authors keep (issue 19; DECISIONS.md, D29): digests of their alerts
(NEP issues, followed authors, series and JEL codes, saved searches) and the monthly author
report, decided in one transaction with what they cover, then sent by the queue.

- `news`: what came in during a period, read once per run; which of it each subscription hears of.
- `digests`: deciding the digests of a frequency's period, batch by batch of readers.
- `compose`: the messages, HTML and text from templates/mail/, with one-click unsubscribe.
- `sending`: handing them to Django's e-mail backend; bounces, retries, at most once.
- `unsubscribe`: the signed links (RFC 8058).

The job `catalogue.tasks.send_alerts` calls `run` on the schedule (every ALERTS_EVERY_SECONDS).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..models import Mailing, Subscription
from .digests import decide
from .report import decide_reports
from .sending import send_due


def run(now: datetime.datetime | None = None) -> str:
    """Decide whatever is due at every frequency, then send everything waiting; a summary."""
    now = now or timezone.now()
    lines = [str(decide(frequency, now)) for frequency in Subscription.Frequency.values]
    lines.append(str(decide_reports(now)))
    lines.append(str(send_due(now)))
    return "; ".join(lines)


def prune(before: datetime.datetime) -> int:
    """Delete the Mailings made before `before` that are done with (sent, bounced, given up);
    how many. What keeps a digest from being decided twice is the subscriptions' covered_until,
    not these rows, so old ones may go."""
    done = [Mailing.Status.SENT, Mailing.Status.BOUNCED, Mailing.Status.GAVE_UP]
    return Mailing.objects.filter(created_at__lt=before, status__in=done).delete()[0]
