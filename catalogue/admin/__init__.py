"""The Django admin: one module per concern, registered on import.

Scoping (who sees what) lives in `scoping.ArchiveScopedMixin`; huge change lists' counts and
searches in `lists`; the checks of corrections in `forms` (through catalogue.corrections.rules); the
ReDIF upload in `upload`; harvest runs and "harvest now" in `harvest`.
"""

from . import (  # noqa: F401
    aliases,
    archives,
    harvest,
    institutions,
    items,
    jobs,
    mail,
    people,
    references,
    reports,
    upload,
)
