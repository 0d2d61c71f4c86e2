"""The Django admin: one module per concern, registered on import."""

from . import reports, upload  # noqa: F401
