"""Template filters for links that need a logged-in reader."""

from django import template

from ..readers.accounts import login_first as _login_first

register = template.Library()


@register.filter
def login_first(url: str, user) -> str:
    """`{{ url|login_first:user }}`: the action, or the log-in page that comes back to it."""
    return _login_first(url, user)
