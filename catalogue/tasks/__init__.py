"""The task queue's jobs (Celery; the app is config/celery.py) and their machinery.

An entrance, like management/commands/: the tasks are thin and call the functions below them
(`jobs`); `runs` locks, records, retries and reports them; `enqueue` sends work from the site
without waiting on a broker. The schedule is settings.CELERY_BEAT_SCHEDULE (README, "Scheduled
jobs"); what follows an import reaches `enqueue.match_and_relate_soon` through
settings.AFTER_IMPORT (DECISIONS.md, D17).
"""

from .jobs import (
    clean_expired,
    dump_catalogue,
    flush_stats,
    harvest_archives,
    match_and_relate,
    refresh_stats,
    send_alerts,
)

__all__ = [
    "clean_expired",
    "dump_catalogue",
    "flush_stats",
    "harvest_archives",
    "match_and_relate",
    "refresh_stats",
    "send_alerts",
]
