"""The jobs: each a task (run by a worker, on the schedule in settings.CELERY_BEAT_SCHEDULE or
when something enqueues it), thin: each calls the function its management command calls.

| task | what | its command |
| --- | --- | --- |
| catalogue.tasks.flush_stats | counters into monthly figures, moved items refreshed | flush_stats --refresh |
| catalogue.tasks.refresh_stats | every statistics rollup | refresh_stats |
| catalogue.tasks.harvest_archives | RePEc archives harvested (catalogue.harvest) | harvest |
| catalogue.tasks.match_and_relate | new references matched; related items | match_references; compute_related --since |
| catalogue.tasks.clean_expired | expired sessions, cooled-off lockouts, old logs and job runs | clean_expired |
| catalogue.tasks.dump_catalogue | the open-data dump of the whole catalogue (catalogue.opendata) | dump_catalogue |
| catalogue.tasks.send_alerts | alerts digests and author reports decided and sent (catalogue.alerts) | send_alerts |
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import alerts, harvest, opendata
from ..citations.followup import match_and_relate as follow_up
from ..models import JobRun
from ..readers.expiry import clean_expired as clean_accounts
from ..stats import months
from ..stats.rollups import flush_and_refresh, refresh_all
from .runs import job

logger = logging.getLogger(__name__)

MATCH_AND_RELATE = "catalogue.tasks.match_and_relate"


@job("catalogue.tasks.flush_stats", lock_seconds=15 * 60)
def flush_stats() -> str:
    """Add the counted abstract views and downloads to the monthly figures; refresh what moved."""
    return flush_and_refresh(refresh=True)


@job("catalogue.tasks.refresh_stats", lock_seconds=4 * 3600)
def refresh_stats() -> str:
    """Rebuild every statistics rollup (daily: 'last month' moves on the first of the month)."""
    return str(refresh_all(months.today()))


@job(MATCH_AND_RELATE, lock_seconds=6 * 3600)
def match_and_relate() -> str:
    """Match new references, then recompute the related items of the items whose citations
    changed since the last run that ended well (everything on the first run)."""
    return follow_up(JobRun.objects.last_success(MATCH_AND_RELATE))


@job("catalogue.tasks.harvest_archives", lock_seconds=12 * 3600)
def harvest_archives(codes: list[str] | None = None, force: bool = False, requested_by: int | None = None) -> str:
    """Harvest the archives (`codes`, or every archive with a URL) with catalogue.harvest; the
    admin's "harvest now" names who asked (a user id). What follows (matching, related items)
    is started by the importer it runs (catalogue.changes.after_import)."""
    user = get_user_model().objects.filter(pk=requested_by).first() if requested_by else None
    runs = harvest.harvest_archives(codes, force=force, requested_by=user)
    return "; ".join(f"{run.archive.code}: {run.get_status_display()}" for run in runs) or "no archive to harvest"


@job("catalogue.tasks.clean_expired", lock_seconds=3600)
def clean_expired() -> str:
    """Delete expired sessions, cooled-off lockouts, old access logs, job runs older than
    JOB_RUNS_KEEP_DAYS and the record of mail sent more than MAILINGS_KEEP_DAYS ago."""
    return clean_everything()


@job("catalogue.tasks.dump_catalogue", lock_seconds=6 * 3600)
def dump_catalogue() -> str:
    """Write the open-data dump of the whole catalogue into settings.OPEN_DATA_DIR and make it
    current (a failure leaves the current one in place, and is retried)."""
    return opendata.dump().summary()


@job("catalogue.tasks.send_alerts", lock_seconds=6 * 3600)
def send_alerts() -> str:
    """Decide the digests (and author reports) whose period has ended, then send every message
    waiting; a mail server that is gone fails the run, which is tried again with backoff."""
    return alerts.run()


def clean_everything(now: datetime.datetime | None = None) -> str:
    """What the job `clean-expired` and `manage.py clean_expired` do; a summary."""
    now = now or timezone.now()
    cleaned = clean_accounts(now)
    pruned = JobRun.objects.prune(now - datetime.timedelta(days=settings.JOB_RUNS_KEEP_DAYS))
    mail = alerts.prune(now - datetime.timedelta(days=settings.MAILINGS_KEEP_DAYS))
    return (
        f"{cleaned}; {pruned} job runs older than {settings.JOB_RUNS_KEEP_DAYS} days deleted; "
        f"{mail} messages sent more than {settings.MAILINGS_KEEP_DAYS} days ago forgotten"
    )
