"""What follows a write: the one entry point that brings everything derived from items in step.

Whoever writes items says what it changed with `items_changed(...)`:
- the ReDIF importer, after each batch (its items) and at the end of a run (the lists it touched);
- the citation recount (`catalogue.citations.counts`), with `citations_only`;
- the synthetic generator, with `everything`;
- corrections through the ORM (the admin, a shell), by the signal receivers in `signals.py`,
  when the transaction commits.

What derives from items, each kept here and nowhere else:
- the search index (`catalogue.search.indexing`): the items' entries, or only their citations;
- the kept counts and anchors of the browse pages (`catalogue.browse.counts`): of the series,
  keywords and JEL codes named (for a changed item: those it had and those it has);
- the links of registered persons to the authorships of items they claimed
  (`catalogue.changes.claims`);
- each institution's kept list of its registered authors' works and its length
  (`catalogue.browse.institutions`): the rows of the items changed, of the works of the persons
  whose affiliations changed, and the counts of the institutions named;
- the versions of a work: each item's group and the group's citation counts
  (`catalogue.changes.versions`);
- the rendered pages in the page cache (`catalogue.pagecache`): stale once this commits.
A new derived column or cache is added here, and every writer keeps it in step.

What follows an import as a whole (references matched, related items recomputed) is slower,
and runs on the task queue: writers that bring data in (the ReDIF importer, so an import, an
upload and a harvest alike; the references loader) call `after_import()`, which calls on commit
the callable named by `settings.AFTER_IMPORT` (the queue's `catalogue.tasks.enqueue.
match_and_relate_soon`), so this layer never imports the queue above it (DECISIONS.md, D17).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .. import pagecache
from ..browse import institutions as institution_works
from ..browse.counts import refresh_counts
from ..search import indexing
from . import versions as version_groups
from .claims import link_claims

logger = logging.getLogger(__name__)


def items_changed(
    item_ids: Iterable[int] = (),
    *,
    series: Iterable[int | None] = (),
    keywords: Iterable[int | None] = (),
    jel: Iterable[str] = (),
    persons: Iterable[int] = (),
    institutions: Iterable[int] = (),
    claimed: bool = False,
    versions: bool = False,
    citations_only: bool = False,
    everything: bool = False,
    index: Callable[[list[int]], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    pages: bool = True,
) -> None:
    """Bring what derives from these items in step with them, in the caller's transaction.

    `item_ids`: items created, changed or deleted: their search entries are rewritten (a
    deleted item's dropped); with `citations_only`, only their citation counts moved, which is
    all their entries copy again. `claimed`: some of them may be named by a person's accepted
    claim, whose authorships are then linked. `versions`: some of them may
    state or lose version links, be named by one, or be deleted or renamed: their groups are
    recomputed (a recount of citations recounts their groups anyway). `series`, `keywords`, `jel`: the lists whose
    kept counts and anchors may have moved. `persons`: registered persons whose affiliations
    changed (added, removed, linked to an imported institution): the kept works lists of the
    institutions they were and are at. `institutions`: institutions whose works lists lost rows
    with their items (a delete cascades to them): their lengths recounted. `index`: how to
    index `item_ids` (the importer hands them to its indexing thread); by default here and now. `everything`: the whole
    catalogue was written at once: every list recounted and the index rebuilt (`progress`
    hears how far). `pages`: make the cached pages stale (the signal receivers say False: their
    own receiver on every row already did, once for the whole transaction).
    """
    if pages:
        pagecache.changed()  # the pages showing them, once this commits
    if everything:
        refresh_counts()
        institution_works.rebuild()
        indexing.rebuild(progress=progress)
        indexing.cluster()
        return
    ids = sorted({pk for pk in item_ids if pk})
    if ids and citations_only:
        version_groups.citations_moved(ids)
        indexing.update_citations(ids)
    elif ids:
        (index or indexing.index_items)(ids)
        if claimed:
            link_claims(ids)
        if versions:
            version_groups.regroup(ids)
        institution_works.refresh_items(ids)  # after the claims: an authorship linked is a work
    person_ids = sorted({pk for pk in persons if pk})
    if person_ids:
        institution_works.refresh_persons(person_ids)
    institution_ids = sorted({pk for pk in institutions if pk})
    if institution_ids:
        institution_works.recount(institution_ids)
    series_ids, keyword_ids = sorted({pk for pk in series if pk}), sorted({pk for pk in keywords if pk})
    jel_codes = sorted(set(jel))
    if series_ids or keyword_ids or jel_codes:
        refresh_counts(series_ids=series_ids, keyword_ids=keyword_ids, jel_codes=jel_codes)


def after_import() -> None:
    """New data came in: once the caller's transaction commits (at once outside one), call
    what `settings.AFTER_IMPORT` names (nothing when it is empty). Its failure is logged, never
    raised: the import itself is done, and the hourly run of the follow-up catches up."""
    path = getattr(settings, "AFTER_IMPORT", "")
    if not path:
        return

    def call() -> None:
        try:
            import_string(path)()
        except Exception:
            logger.exception("what follows an import (%s) could not be started", path)

    transaction.on_commit(call)
