"""What a request names, what it finds and who may ask: the access helpers every view calls.

In the manner of healthchecks' `_get_check_for_user`: a view never parses a posted id, looks up
the row its address or form names and raises the 404 itself, nor checks a role itself; it calls
one of these, so each rule is written once and a stranger meets the same answer on every page.
(A view still raises Http404 for an address that can name nothing: a bad date or format.)

Posted ids (bad input is a 400: BadRequest, rendered by the site's 400 page, which prints the message)
    parse_ids(values, what)            positive whole numbers, in order, without repeats; ValueError
    posted_ids(request, name, what)    the ids posted under `name` (none is no error)
    posted_id(request, name, missing)  exactly one id; `missing` is the 400's message otherwise

Not found (Http404, rendered by the site's 404 page, which prints the message)
    first_or_404(queryset, message)          the first row, or a 404 saying `message`
    get_object_or_404_named(queryset, what)  ... saying "No <what> is at this address."
    item_or_404(pk), reference_or_404(pk)    by id, with what their pages and links need
    item_by_handle_or_404(handle, queryset)  by its handle or an old one (models.item_by_handle)
    item_at_path_or_404(request, kwargs, prefix)  the item a sub-page (/stats/..., /citations/...) is about

Roles (a public page needs none)
    reader     logged in: is_reader(user); reader_required (function views), ReaderRequiredMixin
               (class views), reader_post(fallback) (a POST that changes the reader's own rows;
               safe_next(request) is where it goes back to). Anyone else is sent to log in.
    author     a reader who owns a Person: person_for(request); author_required hands the view
               that Person, read from the user and never from the request. A reader without one
               is sent to create it.
    publisher  is_publisher(user)
    staff      is_catalogue_staff(user)
               Both are catalogue.models.roles' (with publisher_archives and archive_codes)
               and act in the admin only (its ArchiveScopedMixin, the upload page, moderation):
               no view of the public site checks them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ..authors.profiles import person_of
from ..models import Item, Person, Reference, item_by_handle
from ..models.roles import is_catalogue_staff, is_publisher

__all__ = [
    "ReaderRequiredMixin",
    "author_required",
    "first_or_404",
    "get_object_or_404_named",
    "is_catalogue_staff",
    "is_publisher",
    "is_reader",
    "item_at_path_or_404",
    "item_by_handle_or_404",
    "item_or_404",
    "parse_ids",
    "person_for",
    "posted_id",
    "posted_ids",
    "reader_post",
    "reader_required",
    "reference_or_404",
    "safe_next",
]

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]

#: The largest id a BigAutoField holds; a larger number names no row and is refused as malformed.
MAX_ID = 2**63 - 1


# -- posted ids ------------------------------------------------------------------------------


def parse_ids(values: Iterable[str], what: str = "an id") -> list[int]:
    """Ids as posted (`item=12&item=13`), in order without repeats. ValueError names the first
    value that is not a positive whole number of ASCII digits within a database id's range."""
    ids: list[int] = []
    for value in values:
        text = value.strip()
        if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_ID:
            raise ValueError(f"{value!r} is not {what}. Ids are whole numbers from 1.")
        if int(text) not in ids:
            ids.append(int(text))
    return ids


def posted_ids(request: HttpRequest, name: str, what: str = "an id") -> list[int]:
    """The ids posted under `name` (perhaps none); a 400 naming the first malformed one."""
    try:
        return parse_ids(request.POST.getlist(name), what)
    except ValueError as error:
        raise BadRequest(str(error)) from None


def posted_id(request: HttpRequest, name: str, missing: str, what: str = "an id") -> int:
    """The one id posted under `name`; a 400 saying `missing` when none or several are, or naming
    a malformed one."""
    ids = posted_ids(request, name, what)
    if len(ids) != 1:
        raise BadRequest(missing)
    return ids[0]


# -- not found -------------------------------------------------------------------------------


def first_or_404(queryset: QuerySet[M], message: str) -> M:
    """The first row of `queryset` (one query); a 404 whose page says `message` when it is empty."""
    obj = queryset.first()
    if obj is None:
        raise Http404(message)
    return obj


def get_object_or_404_named(queryset: QuerySet[M], what: str) -> M:
    """The first row of `queryset`; a 404 saying "No <what> is at this address." when empty."""
    return first_or_404(queryset, f"No {what} is at this address.")


def item_or_404(pk: int) -> Item:
    """The item with this id, with its series and archive (for its address)."""
    items: QuerySet[Item] = Item.objects.select_related("series__archive").filter(pk=pk)
    return first_or_404(items, f"No item has the id {pk}.")


def reference_or_404(pk: int) -> Reference:
    """The reference with this id, with the citing item's series and archive and its target."""
    loaded = ("citing__series__archive", "target")
    references: QuerySet[Reference] = Reference.objects.select_related(*loaded).filter(pk=pk)
    return first_or_404(references, f"No reference has the id {pk}.")


def item_by_handle_or_404(handle: str, queryset: QuerySet[Item] | None = None) -> Item:
    """The item a handle names, or an old handle of it, whatever the case (from `queryset` when
    it is the current handle; by default with its series and archive)."""
    item = item_by_handle(handle, queryset)
    if item is None:
        raise Http404(f"No item has the handle {handle}.")
    return item


def item_at_path_or_404(request: HttpRequest, kwargs: dict[str, Any], prefix: str) -> Item:
    """The item a sub-page (`/stats/...`, `/citations/...`) is about, found by the archive, series
    and item codes of its address, with series and archive."""
    items: QuerySet[Item] = Item.objects.select_related("series__archive").at_path(
        kwargs["archive"], kwargs["series"], kwargs["code"]
    )
    return first_or_404(items, f"There is no item at {request.path.removeprefix(prefix)}.")


# -- roles -----------------------------------------------------------------------------------


def is_reader(user: Any) -> bool:
    """A logged-in account (Django logs no inactive account in)."""
    return bool(user is not None and user.is_authenticated)


#: A function view for readers only; anyone else is sent to log in, then back to this address.
reader_required = login_required


class ReaderRequiredMixin(LoginRequiredMixin):
    """A class view for readers only; anyone else is sent to log in, then back to this address."""


def safe_next(request: HttpRequest) -> str | None:
    """The posted `next` address when it stays on this site, else None."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else None


def reader_post(fallback: str) -> Callable[[View], View]:
    """A view that changes the reader's own rows: POST only, by a reader. Anyone else is sent
    to log in, then back to a safe posted `next` or to the page named `fallback` (never to this
    POST-only address); nothing changes. A reader's GET is a 405."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_reader(request.user):
                return redirect_to_login(safe_next(request) or reverse(fallback))
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def person_for(request: HttpRequest) -> Person | None:
    """The profile the logged-in user owns (one query), or None: for a stranger too."""
    return person_of(request.user)


def author_required(view: View) -> View:
    """A view of the author service, called as `view(request, person, ...)` with the user's own
    profile. Anyone not logged in is sent to log in; a reader without a profile, to create one."""

    @reader_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = person_for(request)
        if person is None:
            messages.info(request, "Create your author profile first.")
            return redirect("my_profile")
        return view(request, person, *args, **kwargs)

    return wrapper
