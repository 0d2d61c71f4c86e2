from functools import cache

from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME}


def author(request):
    """`waiting_citations`: how many uncertain citations of the logged-in author's works wait for
    a decision; counted only when a page prints it (one query; none for anonymous readers)."""
    from .authors.pending import waiting_count  # the models load after the settings

    @cache  # templates call it where they print it: counted once a request
    def count() -> int:
        user = getattr(request, "user", None)
        return waiting_count(user) if user is not None and user.is_authenticated else 0

    return {"waiting_citations": count}
