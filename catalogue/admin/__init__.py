"""The Django admin: one module per concern, registered on import."""

from . import reports  # noqa: F401
