"""Sending work to the queue from the site, an import or another job, without waiting on it.

The broker may be slow or gone: a send is made after the caller's transaction commits (a worker
must find what it is told about), with the broker's short timeouts (config/settings.py), and a
failure is logged and dropped, never raised to a web request. What follows an import is caught
up hourly by the schedule anyway.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def send(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send `task` now; False (and a line in the log) when the broker did not take it."""
    try:
        task.apply_async(args, kwargs)
    except Exception:  # kombu's OperationalError, a socket timeout, a refused connection...
        logger.exception("the task %s could not be sent to the queue; it will not run now", task.name)
        return False
    return True


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send `task` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(task, *args, **kwargs))


def match_and_relate_soon() -> None:
    """settings.AFTER_IMPORT: new data came in (catalogue.changes.after_import, already on
    commit), so match its references and recompute related items on the queue."""
    from .jobs import match_and_relate  # the jobs import this module's neighbours, not it

    send(match_and_relate)
