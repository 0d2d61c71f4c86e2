"""What expires about readers' accounts, cleaned daily (the scheduled job `clean-expired`).

Django keeps expired sessions until told (`clearsessions`); django-axes keeps failed log-in
attempts after their lockout has cooled off (AXES_COOLOFF_HOURS), and a log of every log-in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import import_module

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone


@dataclass
class Cleaned:
    attempts: int = 0
    access_logs: int = 0
    failure_logs: int = 0

    def __str__(self) -> str:
        return (
            f"expired sessions cleared; {self.attempts} cooled-off log-in attempts, "
            f"{self.access_logs} access logs and {self.failure_logs} failure logs deleted"
        )


def clean_expired(now: datetime.datetime | None = None) -> Cleaned:
    """Delete expired sessions (as `manage.py clearsessions`), the failed log-in attempts whose
    lockout has cooled off, and axes' logs older than ACCESS_LOGS_KEEP_DAYS."""
    now = now or timezone.now()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    cleaned = Cleaned()
    cool_off = get_cool_off(None)
    if cool_off is not None:  # None: lockouts never end by themselves, so nothing has expired
        cleaned.attempts = AccessAttempt.objects.filter(attempt_time__lt=now - cool_off).delete()[0]
    logs_before = now - datetime.timedelta(days=settings.ACCESS_LOGS_KEEP_DAYS)
    cleaned.access_logs = AccessLog.objects.filter(attempt_time__lt=logs_before).delete()[0]
    cleaned.failure_logs = AccessFailureLog.objects.filter(attempt_time__lt=logs_before).delete()[0]
    return cleaned
