"""The search page's filters, read from the query string by django-filter.

They filter `SearchEntry` (the search index's narrow table): columns where the entry has them,
`item_id IN (subquery)` otherwise, so a filter never joins the wide item table.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from ..models import (
    KIND_LETTERS,
    Archive,
    Authorship,
    ItemKeyword,
    Keyword,
    Kind,
    NepAnnouncement,
    NepReport,
    Person,
    SearchEntry,
    Series,
)
from .backends import text_backend
from .engine import Sort

MAX_KEYWORDS = 10
JEL_PATTERN = re.compile(r"[A-Z][0-9]{0,2}")


class CodeChoiceField(django_filters.fields.ModelChoiceField):
    """A model chosen by its code, whatever the case the reader typed it in."""

    def to_python(self, value):
        return super().to_python(value.strip().lower() if isinstance(value, str) else value)


class SeriesField(forms.Field):
    """A series as `archive:series` (`ipt:iptwpa`), the middle of its handle."""

    def to_python(self, value):
        value = (value or "").strip().lower()
        if not value:
            return None
        archive, _, code = value.partition(":")
        series = Series.objects.select_related("archive").by_codes(archive, code).first() if code else None
        if series is None:
            raise ValidationError("No series has this code; write it as archive:series, as in ipt:iptwpa.")
        return series


class JelField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value).strip().upper()
        if value and not JEL_PATTERN.fullmatch(value):
            raise ValidationError("A JEL code is a letter and up to two digits, as in O3 or O31.")
        return value


class KeywordsField(forms.Field):
    """Any number of `keyword=` parameters (up to MAX_KEYWORDS), all of which an item must have."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        names = [" ".join(v.split()) for v in (value or []) if v.strip()]
        if len(names) > MAX_KEYWORDS:
            raise ValidationError(f"At most {MAX_KEYWORDS} keywords at once.")
        return list(dict.fromkeys(names))


class SearchForm(forms.Form):
    def clean(self):
        data = super().clean()
        low, high = data.get("year_from"), data.get("year_to")
        if low is not None and high is not None and low > high:
            self.add_error("year_to", "The last year comes before the first.")
        return data


class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CodeChoiceField


class SeriesFilter(django_filters.Filter):
    field_class = SeriesField


class JelFilter(django_filters.Filter):
    field_class = JelField


class KeywordsFilter(django_filters.Filter):
    field_class = KeywordsField


def chooser(field: str, placeholder: str) -> dict[str, str]:
    """A code field that suggests codes by name as one types (catalogue.search.choices, shown
    by static/js/choosers.js into the datalist the search page prints after the field)."""
    return {"placeholder": placeholder, "data-choices": field, "list": f"choices-{field}", "autocomplete": "off"}


def _unchanged(queryset, name, value):
    return queryset


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method=_unchanged, label="Search for", widget=forms.TextInput(attrs={"type": "search"})
    )
    sort = django_filters.ChoiceFilter(method=_unchanged, choices=Sort.choices, empty_label=None, label="Sort by")
    type = django_filters.ChoiceFilter(
        method="filter_type",
        label="Type",
        choices=[(letter, Kind(kind).label) for kind, letter in KIND_LETTERS.items()],
    )
    year_from = django_filters.NumberFilter(
        field_name="year", lookup_expr="gte", label="From year", min_value=1000, max_value=2100
    )
    year_to = django_filters.NumberFilter(
        field_name="year", lookup_expr="lte", label="To year", min_value=1000, max_value=2100
    )
    archive = CodeChoiceFilter(
        field_name="archive",
        queryset=Archive.objects.all(),
        to_field_name="code",
        label="Archive",
        widget=forms.TextInput(attrs=chooser("archive", "code or name: ipt")),
    )
    series = SeriesFilter(
        method="filter_series", label="Series", widget=forms.TextInput(attrs=chooser("series", "ipt:iptwpa or a name"))
    )
    jel = JelFilter(method="filter_jel", label="JEL code", widget=forms.TextInput(attrs=chooser("jel", "O3 or a name")))
    keyword = KeywordsFilter(method="filter_keywords", label="Keyword")
    nep = CodeChoiceFilter(
        method="filter_nep",
        queryset=NepReport.objects.all(),
        to_field_name="code",
        label="NEP report",
        widget=forms.TextInput(attrs=chooser("nep", "nep-ino or a name")),
    )
    author = CodeChoiceFilter(
        method="filter_author",
        queryset=Person.objects.all(),
        to_field_name="short_id",
        label="Registered author",
        widget=forms.TextInput(attrs=chooser("author", "family name or short-id")),
    )
    free = django_filters.BooleanFilter(method="filter_free", label="Free download", widget=forms.CheckboxInput)

    class Meta:
        model = SearchEntry
        fields: list[str] = []
        form = SearchForm

    def filter_type(self, queryset, name, value):
        return queryset.filter(kind=Kind.from_letter(value))

    def filter_series(self, queryset, name, value):
        return queryset.filter(series=value)

    def filter_jel(self, queryset, name, value):
        return text_backend().with_jel(queryset, value)  # a prefix: O3 finds O31

    def filter_keywords(self, queryset, name, value):
        for keyword in value:
            tagged = ItemKeyword.objects.filter(keyword__key=Keyword.make_key(keyword))
            queryset = queryset.filter(item_id__in=tagged.values("item_id"))
        return queryset

    def filter_nep(self, queryset, name, value):
        announced = NepAnnouncement.objects.filter(issue__report=value)
        return queryset.filter(item_id__in=announced.values("item_id"))

    def filter_author(self, queryset, name, value):
        return queryset.filter(item_id__in=Authorship.objects.filter(person=value).values("item_id"))

    def filter_free(self, queryset, name, value):
        return queryset.filter(free=True) if value else queryset
