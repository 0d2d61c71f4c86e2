"""A registered author's page: affiliations, works by type with citations, h-index, co-authors."""

from django.urls import reverse

from ..models import Kind, Person
from ..pages.author import citation_totals, coauthor_rows, coauthors, group_by_kind, kind_totals, person_works
from .access import get_object_or_404_named
from .feeds import author_links
from .lists import ItemListView


class PersonView(ItemListView):
    template_name = "browse/person.html"
    noun = ("work", "works")

    def get_subject(self):
        persons = Person.objects.prefetch_related("affiliations")
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
