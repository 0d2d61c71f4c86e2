"""Harvesting archives (issue 15): each archive's ReDIF files fetched from its URL over HTTP(S)
or FTP, only what changed, through the importer; a report per run (HarvestRun).

`harvest_archives` is what `manage.py harvest` and the task `catalogue.tasks.harvest_archives`
call (daily, and queued by the admin's "harvest now").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..models import Archive, HarvestRun
from .fetch import Client
from .run import harvest_archive

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

__all__ = ["harvest_archive", "harvest_archives", "harvestable"]


def harvestable(codes: Iterable[str] | None = None) -> list[Archive]:
    """The archives with a URL, all or those named (codes in any case), in code order."""
    archives = Archive.objects.exclude(url="")
    if codes is not None:
        archives = archives.filter(code__in=[code.lower() for code in codes])
    return list(archives.order_by("code"))


def harvest_archives(
    codes: list[str] | None = None, *, force: bool = False, requested_by: User | AnonymousUser | None = None
) -> list[HarvestRun]:
    """Harvest the archives named (all with a URL when None), one after another; their runs.

    One client for all, so each host gets one connection at a time and its pause between
    requests even across archives. An archive named without a URL is left out (the command
    says so before it calls this). Big archives are read in a second process, as
    import_redif reads (not in a daemonic worker process, which may not start one).
    `requested_by`: who asked (the admin's "harvest now", through the task queue).
    """
    return _harvest(codes, force=force, requested_by=requested_by, parallel=True)


def _harvest(
    codes: list[str] | None, *, force: bool, requested_by: User | AnonymousUser | None, parallel: bool
) -> list[HarvestRun]:
    client = Client()
    try:
        return [
            harvest_archive(archive, force=force, requested_by=requested_by, client=client, parallel=parallel)
            for archive in harvestable(codes)
        ]
    finally:
        client.close()
