"""Template filters of the catalogue's admin pages."""

from django import template

from ..ingest.uploads import may_upload

register = template.Library()


@register.filter
def may_upload_redif(user) -> bool:
    return may_upload(user)
