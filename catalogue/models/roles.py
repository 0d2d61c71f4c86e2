"""Who may correct what: staff everything, a publisher the records of their own archives.

Beside the models because every layer asks it (the admin, uploads, the moderation of citation
reports, the views' access helpers) and it reads only the archives' publishers.

Staff are superusers and staff-flagged accounts holding the catalogue's model permissions
(Django's own permission system); a publisher is a staff-flagged account (so it may sign in to /admin/)
named among an archive's `publishers`, holding no model permission: every admin page asks
these functions, never the permission tables alone, for a publisher.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from .archives import Archive

#: whoever asks: an account, the anonymous visitor, or nobody (a request without a user)
Anyone: TypeAlias = User | AnonymousUser | None


def is_catalogue_staff(user: Anyone, permission: str = "catalogue.change_item") -> bool:
    """Superusers, and staff holding `permission` (by default, to change items; the moderators of
    reported citations hold `catalogue.change_citationreport`)."""
    return bool(user and user.is_active and (user.is_superuser or (user.is_staff and user.has_perm(permission))))


def publisher_archives(user: Anyone) -> QuerySet[Archive]:
    """The archives this account publishes (none for anonymous or inactive accounts)."""
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return Archive.objects.none()
    return Archive.objects.filter(publishers=user)


def archive_codes(user: Anyone) -> set[str]:
    """The codes of the archives this account publishes (`ipt`)."""
    return set(publisher_archives(user).values_list("code", flat=True))


def is_publisher(user: Anyone) -> bool:
    return publisher_archives(user).exists()
