"""Open data: the whole catalogue as files anyone may download (issue 16, item 6).

A nightly job (catalogue.tasks.dump_catalogue, or `manage.py dump_catalogue`) writes one
gzipped JSON Lines file per kind of record (`records`: archives, series, items, persons,
citations, NEP issues, usage totals) with a manifest (counts, sizes, sha256, licence) and a
SHA256SUMS file, and swaps the new set in whole (`writer`). The "Open data" page at /data/
lists the current set; /data/<file> serves only the names its manifest lists.
"""

from .records import KINDS
from .writer import LICENCE, Current, Dump, current, dump

__all__ = ["KINDS", "LICENCE", "Current", "Dump", "current", "dump"]
