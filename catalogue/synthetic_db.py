"""Fast row writing for the synthetic catalogue: COPY on PostgreSQL, executemany elsewhere.

The writer lives in catalogue.dbcopy, which the ReDIF importer shares; see there.
"""

from .dbcopy import RowWriter

__all__ = ["RowWriter"]
