"""A registered author's page: affiliations, works by type with citations, h-index, co-authors."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from ..models import Affiliation, Kind, Person
from ..pages.author import citation_totals, coauthor_rows, coauthors, group_by_kind, kind_totals, person_works
from .access import get_object_or_404_named
from .feeds import author_links
from .lists import BrowseListView, ItemListView


class PersonView(ItemListView):
    template_name = "browse/person.html"
    noun = ("work", "works")

    def get_subject(self):
        affiliations = Affiliation.objects.select_related("institution_ref").only(
            "person_id", "position", "name", "share", "institution_ref__code"
        )
        persons = Person.objects.prefetch_related(Prefetch("affiliations", queryset=affiliations))
        person = get_object_or_404_named(persons.filter(short_id=self.kwargs["short_id"].lower()), "author")
        self.works = person_works(person)
        return person

    def get_title(self) -> str:
        return self.subject.name_full

    def get_queryset(self):
        return [w.pk for w in self.works]  # already in page order: by type, newest first

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = kind_totals(self.works)
        found, total = coauthors(coauthor_rows(self.subject), person_url)
        context.update(
            groups=group_by_kind(context["entries"], totals),
            kind_summary=[(f"{Kind(kind).label}s", n) for kind, n in totals.items()],
            **citation_totals(self.works),
            coauthors=found,
            coauthor_total=total,
            feeds=author_links(self.subject),
        )
        return context


def person_url(short_id: str) -> str:
    return reverse("person", kwargs={"short_id": short_id})


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def authors_index(request):
    """`/e/`: the directory starts at A."""
    return redirect("authors_letter", letter="a")


class AuthorIndexView(BrowseListView):
    """The registered authors whose family name starts with a letter (`/i/eb.html`, as on IDEAS),
    by family name, a page of them at a time; `/i/e_.html` holds the names that start otherwise."""

    template_name = "browse/authors.html"
    context_object_name = "persons"
    noun = ("author", "authors")
    paginate_by = 100

    def get_subject(self):
        letter = self.kwargs["letter"]
        if letter not in LETTERS and letter != "_":
            raise Http404(
                f"There is no list of authors for {letter!r}: the directory has a page for each letter, a to z."
            )
        return letter

    def get_canonical_path(self) -> str:
        return reverse("authors_letter", kwargs={"letter": self.subject})

    def get_title(self) -> str:
        initial = "other letters" if self.subject == "_" else self.subject.upper()
        return f"Registered authors: {initial}"

    def get_queryset(self):
        return Person.objects.in_directory(self.subject).only("short_id", "name_full", "name_last", "name_first")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["letters"] = [
            (letter.upper(), reverse("authors_letter", kwargs={"letter": letter})) for letter in LETTERS
        ]
        context["others_url"] = reverse("authors_letter", kwargs={"letter": "_"})
        context["letter"] = self.subject
        return context
