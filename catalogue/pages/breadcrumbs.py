"""Breadcrumbs: the trail from the home page down to a page, as (label, address) pairs.

Each `for_x(x, here)` gives the trail down to `x` (every step a link), then `here`, the current
page, without an address, when given: `for_item(item, "Statistics")` is Home › Archives ›
archive › series › item › Statistics. Built from objects the view has already loaded (an item
with its series and archive), so a trail costs no query. One partial prints every trail:
templates/_breadcrumbs.html, from the `breadcrumbs` the view puts in its context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import Truncator

if TYPE_CHECKING:
    from ..models import Archive, Institution, Item, JelCode, NepReport, Person, Series

Crumb = tuple[str, str | None]

HOME: Crumb = ("Home", "/")
ARCHIVES: Crumb = ("Archives", "/s/")
JEL: Crumb = ("JEL classification", "/j/")
NEP: Crumb = ("NEP reports", "/n/")
INSTITUTIONS: Crumb = ("Institutions", "/i/")
TITLE_LENGTH = 60  # an item's title in a trail is cut to this many characters (with an ellipsis)


def trail(*crumbs: Crumb, here: str | None = None) -> list[Crumb]:
    """Home, then `crumbs`, then `here` (the current page) when given."""
    return [HOME, *crumbs, *([(here, None)] if here else [])]


def for_archive(archive: Archive, here: str | None = None) -> list[Crumb]:
    return trail(ARCHIVES, (archive.name, archive.get_absolute_url()), here=here)


def for_series(series: Series, here: str | None = None) -> list[Crumb]:
    """Down to a series (its archive loaded with it); the item page's own trail ends here."""
    archive = series.archive
    return trail(
        ARCHIVES, (archive.name, archive.get_absolute_url()), (series.name, series.get_absolute_url()), here=here
    )


def for_item(item: Item, here: str) -> list[Crumb]:
    """An item's sub-page (statistics, citing items, a report form): the item's title is cut."""
    title = Truncator(item.title).chars(TITLE_LENGTH)
    return [*for_series(item.series), (title, item.get_absolute_url()), (here, None)]


def for_person(person: Person, here: str | None = None) -> list[Crumb]:
    return trail((person.name_full, person.get_absolute_url()), here=here)


def for_jel(above: list[JelCode], here: str | None = None) -> list[Crumb]:
    """Down to a JEL code through `above`, its ancestors from the top."""
    return trail(JEL, *[(code.code, code.get_absolute_url()) for code in above], here=here)


def for_nep_report(report: NepReport, here: str | None = None) -> list[Crumb]:
    return trail(NEP, (report.code.upper(), report.get_absolute_url()), here=here)


def for_country(code: str, name: str, here: str | None = None) -> list[Crumb]:
    """Down to a country's institutions (`code` as in the address)."""
    return trail(INSTITUTIONS, (name, f"/i/c/{code}.html"), here=here)


def for_institution(institution: Institution, country: str, here: str | None = None) -> list[Crumb]:
    """Down to an institution through its country (`country`: its name) and its parent, loaded with it."""
    code = institution.country.lower() or "xx"
    parent = institution.parent
    above = [(parent.name, parent.get_absolute_url())] if parent is not None else []
    return for_country(code, country, None) + above + ([(here, None)] if here else [])
