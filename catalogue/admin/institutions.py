"""Institutions (EDIRC), corrected by staff only: they belong to no archive, so a publisher
neither sees nor changes them, whatever the permission tables say. Handles and codes are the
import's (the page's address); names, location, country, homepage, addresses and the parent are
corrected here, each checked as the importer checks EDIRC (catalogue.corrections.institutions).
A save moves the page cache's versions on commit (catalogue.changes.signals.any_row_changed),
so /i/<code>.html shows the correction on the next request.

A correction lasts until the institution's template is imported again changed: EDIRC is the
source, as an archive is for its items. The parent set here is kept by later imports of other
institutions (catalogue.ingest.institutions.link_parents re-derives only the parents of what a
run wrote)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..corrections import institutions as rules
from ..models import Affiliation, Institution
from ..redif.countries import COUNTRIES
from .forms import https_by_default
from .scoping import archive_scope

NOT_KNOWN = ("", "Not known")
SHOWN = 50  # sub-institutions listed on a change page


class InstitutionForm(forms.ModelForm):
    # a list to choose from, checked on the server as any value typed (clean_country)
    country = forms.CharField(
        required=False,
        widget=forms.Select(
            choices=[NOT_KNOWN, *sorted(((c, f"{n} ({c})") for c, n in COUNTRIES.items()), key=lambda c: c[1])]
        ),
        help_text="ISO 3166-1: what the directory by country lists it under",
    )

    class Meta:
        model = Institution
        fields = ["name", "location", "country", "homepage", "email", "postal", "parent"]
        formfield_callback = https_by_default  # the class's own fields too (the admin's: formfield_overrides)
        widgets = {"postal": forms.Textarea(attrs={"rows": 3})}

    def _checked(self, name: str, check):
        try:
            return check(self.cleaned_data.get(name) or "")
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_country(self) -> str:
        return self._checked("country", rules.check_country)

    def clean_homepage(self) -> str:
        return self._checked("homepage", rules.check_homepage)

    def clean_parent(self) -> Institution | None:
        return self._checked("parent", lambda parent: rules.check_parent(self.instance, parent or None))

    def save(self, commit: bool = True) -> Institution:
        institution = super().save(commit=False)
        # the chooser searches every name: an English name given here is found too
        names = [n for n in institution.all_names.split(" / ") if n]
        if institution.name and institution.name not in names:
            institution.all_names = " / ".join([institution.name, *names])[:2000]
        if commit:
            institution.save()
        return institution


class CountryFilter(admin.SimpleListFilter):
    """The countries that have institutions (one GROUP BY on the index institution_country)."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        found = model_admin.get_queryset(request).order_by().values_list("country").annotate(n=Count("id"))
        return sorted(
            ((code or "xx", f"{COUNTRIES.get(code, 'Not known')} ({n})") for code, n in found), key=lambda c: c[1]
        )

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(country="" if value.lower() == "xx" else value.upper())


class StaffOnlyMixin:
    """Refused to a publisher (a scoped account), whatever permissions it was given: 403, and
    not listed in the index. Staff get Django's own permission checks."""

    def has_module_permission(self, request) -> bool:
        return archive_scope(request) is None and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return archive_scope(request) is None and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return archive_scope(request) is None and super().has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return archive_scope(request) is None and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return archive_scope(request) is None and super().has_delete_permission(request, obj)


@admin.register(Institution)
class InstitutionAdmin(StaffOnlyMixin, admin.ModelAdmin):
    form = InstitutionForm
    # an address typed without a scheme is https (Django 6's default, and the web's)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "code", "country", "location", "parent"]
    list_select_related = ["parent"]
    list_filter = [CountryFilter]
    search_fields = ["name", "all_names", "handle", "code"]
    search_help_text = "Words of a name (any level, any language), a handle or a code"
    show_full_result_count = False
    autocomplete_fields = ["parent"]
    ordering = ["name", "id"]
    fieldsets = [
        (None, {"fields": ["handle", "code", "name", "full_levels", "parent", "sub_institutions"]}),
        ("Where", {"fields": ["location", "country", "homepage", "email", "postal"]}),
        ("Registered authors", {"fields": ["registered_authors"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]
    readonly_fields = [
        "handle",
        "code",
        "full_levels",
        "sub_institutions",
        "registered_authors",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # institutions come from EDIRC's templates (their handle is EDIRC's)

    @admin.display(description="Levels (EDIRC)")
    def full_levels(self, obj: Institution) -> str:
        return obj.full_name

    @admin.display(description="Sub-institutions")
    def sub_institutions(self, obj: Institution) -> str:
        """The first 50 by name, each linked to its change page, and a link to all of them."""
        rows = list(obj.children.order_by("name", "id").values_list("pk", "name")[: SHOWN + 1])
        if not rows:
            return "None"
        change = reverse("admin:catalogue_institution_change", args=[0]).replace("/0/", "/{}/")
        links = format_html_join(", ", '<a href="{}">{}</a>', ((change.format(pk), name) for pk, name in rows[:SHOWN]))
        if len(rows) <= SHOWN:
            return links
        every = f"{reverse('admin:catalogue_institution_changelist')}?parent__id__exact={obj.pk}"
        return format_html('{} and more (<a href="{}">all of them</a>)', links, every)

    @admin.display(description="Affiliated")
    def registered_authors(self, obj: Institution) -> str:
        """How many registered authors name it, linked to the persons' list filtered to them."""
        if obj.pk is None:
            return "None"
        count = Affiliation.objects.filter(institution_ref=obj).values("person_id").distinct().count()
        if not count:
            return "No registered author names it"
        url = f"{reverse('admin:catalogue_person_changelist')}?{AffiliatedWith.parameter_name}={obj.code}"
        return format_html(
            '<a href="{}">{} registered author{}</a> (their page: <a href="{}">{}</a>)',
            url,
            count,
            "" if count == 1 else "s",
            obj.get_absolute_url(),
            obj.get_absolute_url(),
        )


class AffiliatedWith(admin.SimpleListFilter):
    """Persons affiliated with one institution, named by its code (`?institution=yaleeus`): the
    link on the institution's change page. Lists only the institution chosen (15,000 would not
    make a filter)."""

    title = "affiliated with"
    parameter_name = "institution"

    def lookups(self, request, model_admin):
        code = (self.value() or "").lower()
        found = Institution.objects.filter(code=code).values_list("name", flat=True).first() if code else None
        return [(code, found)] if found else []

    def queryset(self, request, queryset):
        code = (self.value() or "").lower()
        if not code:
            return queryset
        return queryset.filter(pk__in=Affiliation.objects.filter(institution_ref__code=code).values("person_id"))
