"""The admin's forms check a correction as the importer checks a record (catalogue.redif.values,
through catalogue.corrections.rules); each error shows next to its field."""

from __future__ import annotations

from django import forms
from django.db import models

from ..corrections import rules as corrections
from ..handles import archive_handle, archive_key, handle_key, series_handle, series_key
from ..models import Archive, File, HandleAlias, Item, JelCode, Series
from ..redif.values import check_mime, check_url, normalise_doi, parse_jel


def _checked(form: forms.BaseForm, name: str, check) -> str:
    """cleaned_data[name] through `check` (a values.py checker), its ValueError as the field's error."""
    value = form.cleaned_data.get(name, "")
    if not value:
        return value
    try:
        return check(value)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None


def https_by_default(field, **kwargs):
    """Model form fields as usual, but an address typed without a scheme is https (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ItemForm(forms.ModelForm):
    # the JEL codes as the importer reads them ("O31, R11 R58"), not a list of 900 choices
    jel_codes = forms.CharField(
        required=False, label="JEL codes", help_text="Separated by spaces or commas: O31, R11", max_length=500
    )

    class Meta:
        model = Item
        fields = "__all__"  # noqa: DJ007 (the admin chooses the fields: its fieldsets, minus read-only ones)
        formfield_callback = https_by_default
        # a title of 200 characters shows whole (a one-line box cut it off)
        widgets = {"title": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # as text, bound or not: has_changed() compares the posted text with it
        codes = self.instance.jel_codes.values_list("code", flat=True) if self.instance.pk else []
        self.initial["jel_codes"] = " ".join(codes)

    def clean_jel_codes(self) -> list[JelCode]:
        try:
            codes = parse_jel(self.cleaned_data.get("jel_codes", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        found = JelCode.objects.in_bulk(codes)
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(f"not in the JEL classification: {', '.join(unknown)}")
        return [found[code] for code in codes]

    def clean_creation_date(self) -> str:
        return _checked(self, "creation_date", corrections.check_date)

    def clean_revision_date(self) -> str:
        return _checked(self, "revision_date", corrections.check_date)

    def clean_publication_date(self) -> str:
        return _checked(self, "publication_date", corrections.check_date)

    def clean_doi(self) -> str:
        return _checked(self, "doi", normalise_doi)

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and not 1000 <= year <= 2100:
            raise forms.ValidationError("not a year between 1000 and 2100")
        return year

    def clean(self):
        cleaned = super().clean()
        series, handle = cleaned.get("series"), cleaned.get("handle")
        if series is not None and handle:
            try:
                cleaned["handle"] = corrections.check_item_handle(handle, series, self.instance)
            except ValueError as error:
                self.add_error("handle", str(error))
        replaced_by = cleaned.get("replaced_by")
        if replaced_by is not None and replaced_by.pk == self.instance.pk:
            self.add_error("replaced_by", "an item cannot replace itself")
        return cleaned


class FileForm(forms.ModelForm):
    class Meta:
        model = File
        fields = "__all__"  # noqa: DJ007 (the admin chooses the fields: its fieldsets, minus read-only ones)
        formfield_callback = https_by_default
        # a title of 200 characters shows whole (a one-line box cut it off)
        widgets = {"title": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}

    def clean_url(self) -> str:
        return _checked(self, "url", check_url)

    def clean_format(self) -> str:
        return _checked(self, "format", check_mime)


class HandleAliasForm(forms.ModelForm):
    class Meta:
        model = HandleAlias
        fields = "__all__"  # noqa: DJ007 (the admin chooses the fields: its fieldsets, minus read-only ones)
        formfield_callback = https_by_default
        # a title of 200 characters shows whole (a one-line box cut it off)
        widgets = {"title": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}

    def clean(self):
        cleaned = super().clean()
        item, handle = cleaned.get("item"), cleaned.get("handle")
        if item is not None and handle:
            try:
                cleaned["handle"] = corrections.check_alias_handle(handle, item)
            except ValueError as error:
                self.add_error("handle", str(error))
                return cleaned
            taken = HandleAlias.objects.filter(handle_key=handle_key(cleaned["handle"])).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("handle", "this old handle is already recorded")
        return cleaned


class SeriesForm(forms.ModelForm):
    """The code and handle are set once, when the series is added (item handles contain them)."""

    class Meta:
        model = Series
        fields = "__all__"  # noqa: DJ007 (the admin chooses the fields: its fieldsets, minus read-only ones)
        formfield_callback = https_by_default
        # a title of 200 characters shows whole (a one-line box cut it off)
        widgets = {"title": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}

    def clean(self):
        cleaned = super().clean()
        archive, code, handle = cleaned.get("archive"), cleaned.get("code"), cleaned.get("handle")
        if self.instance.pk or archive is None or not code or not handle:
            return cleaned
        try:
            cleaned["handle"] = series_handle(handle)
        except ValueError as error:
            self.add_error("handle", str(error))
            return cleaned
        if series_key(cleaned["handle"]) != (archive.code, code.lower()):
            self.add_error("handle", f"must be {archive.handle}:{code.lower()}")
        cleaned["code"] = code.lower()
        if Series.objects.filter(archive=archive, code=cleaned["code"]).exists():
            self.add_error("code", "the archive has a series with this code")
        return cleaned


class ArchiveForm(forms.ModelForm):
    class Meta:
        model = Archive
        fields = "__all__"  # noqa: DJ007 (the admin chooses the fields: its fieldsets, minus read-only ones)
        formfield_callback = https_by_default
        # a title of 200 characters shows whole (a one-line box cut it off)
        widgets = {"title": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}

    def clean(self):
        cleaned = super().clean()
        code, handle = cleaned.get("code"), cleaned.get("handle")
        if self.instance.pk or not code or not handle:
            return cleaned
        try:
            cleaned["handle"] = archive_handle(handle)
        except ValueError as error:
            self.add_error("handle", str(error))
            return cleaned
        if archive_key(cleaned["handle"]) != code.lower():
            self.add_error("handle", f"must be RePEc:{code.lower()}")
        cleaned["code"] = code.lower()
        return cleaned
