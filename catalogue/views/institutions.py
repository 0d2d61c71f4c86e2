"""Institutions (issue 20): the directory by country (`/i/`), a country's institutions
(`/i/c/<cc>.html`) and an institution's page (`/i/<code>.html`, the seven letters of its EDIRC
handle: `/i/e<letter>.html`, two letters, stays the authors' directory)."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from ..models import Institution
from ..pages import breadcrumbs
from ..pages.institution import (
    AUTHORS_SHOWN,
    UNKNOWN,
    affiliations,
    author_count,
    authors,
    countries,
    in_country,
    members,
    works,
)
from ..redif.countries import COUNTRIES
from ..stats.rankings import institution_position
from .access import get_object_or_404_named
from .lists import BrowseListView, ItemListView


@dataclass(frozen=True)
class Country:
    code: str  # lower case, as in the address; UNKNOWN for "not known"
    name: str
    institutions: int

    @property
    def url(self) -> str:
        return reverse("institution_country", kwargs={"cc": self.code})


def country_name(code: str) -> str | None:
    """The English name of an ISO code (either case), "Country not known" for UNKNOWN; None for no country."""
    if code.lower() == UNKNOWN:
        return "Country not known"
    return COUNTRIES.get(code.upper())


class DirectoryView(TemplateView):
    """`/i/`: the countries that have institutions, with their number. 1 query."""

    template_name = "browse/institution_countries.html"

    def get_context_data(self, **kwargs):
        found = [Country(code.lower() or UNKNOWN, country_name(code or UNKNOWN) or code, n) for code, n in countries()]
        found.sort(key=lambda c: (c.code == UNKNOWN, c.name))
        return super().get_context_data(
            countries=found,
            total=sum(c.institutions for c in found),
            canonical_url=self.request.build_absolute_uri(reverse("institutions")),
            breadcrumbs=breadcrumbs.trail(here="Institutions"),
            **kwargs,
        )


class CountryView(BrowseListView):
    """A country's institutions by name, 100 a page. 2 queries: the count, a page of rows."""

    template_name = "browse/institution_country.html"
    context_object_name = "institutions"
    noun = ("institution", "institutions")
    paginate_by = 100

    def get_subject(self):
        code = self.kwargs["cc"]
        name = country_name(code)
        if name is None:
            raise Http404(f"There is no country {code[:10]!r}: countries go by their two-letter ISO code.")
        return (code.lower(), name)

    def get_canonical_path(self) -> str:
        return reverse("institution_country", kwargs={"cc": self.subject[0]})

    def get_title(self) -> str:
        return f"Institutions: {self.subject[1]}"

    def get_breadcrumbs(self):
        return breadcrumbs.trail(breadcrumbs.INSTITUTIONS)

    def get_queryset(self):
        return in_country(self.subject[0])


class InstitutionMixin:
    """A page about one institution, found by its code (with its parent and totals)."""

    kwargs: dict

    def get_subject(self):
        found = Institution.objects.select_related("parent", "stat_totals").filter(code=self.kwargs["code"].lower())
        return get_object_or_404_named(found, "institution")

    def country_crumbs(self, institution: Institution):
        country = country_name(institution.country or UNKNOWN) or institution.country
        return breadcrumbs.for_institution(institution, country)


class InstitutionView(InstitutionMixin, ItemListView):
    """An institution: its levels, parent and sub-institutions, its first AUTHORS_SHOWN
    registered authors with their shares, its ranking position, and its authors' works a page
    at a time from their kept list. A fixed number of queries whatever the institution's size
    (tests/institutions/test_pages.py pins it)."""

    template_name = "browse/institution.html"
    noun = ("work", "works")

    def get_title(self) -> str:
        return self.subject.name

    def get_breadcrumbs(self):
        return self.country_crumbs(self.subject)

    def get_queryset(self):
        return works(self.subject)

    def get_total(self) -> int:
        return self.subject.work_count

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        institution = self.subject
        totals = getattr(institution, "stat_totals", None)
        code = institution.country.lower() or UNKNOWN
        context.update(
            country=(country_name(code) or code, reverse("institution_country", kwargs={"cc": code})),
            children=list(institution.children.only("code", "name", "parent").order_by("name", "id")),
            affiliations=authors(institution),
            author_count=author_count(institution),
            authors_url=reverse("institution_authors", kwargs={"code": institution.code}),
            position=institution_position(totals),
            totals=totals,
        )
        return context


class InstitutionAuthorsView(InstitutionMixin, BrowseListView):
    """`/i/<code>/authors.html`: every registered author affiliated with an institution, by name,
    AUTHORS_SHOWN a page. 3 queries: the institution, the count, a page of rows."""

    template_name = "browse/institution_authors.html"
    context_object_name = "members"
    noun = ("registered author", "registered authors")
    paginate_by = AUTHORS_SHOWN

    def get_canonical_path(self) -> str:
        return reverse("institution_authors", kwargs={"code": self.subject.code})

    def get_title(self) -> str:
        return f"Registered authors: {self.subject.name}"

    def get_breadcrumbs(self):
        return [*self.country_crumbs(self.subject), (self.subject.name, self.subject.get_absolute_url())]

    def get_queryset(self):
        return affiliations(self.subject)

    def load_page(self, rows: list) -> list:
        return members(rows)
