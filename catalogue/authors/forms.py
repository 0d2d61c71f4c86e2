"""Forms of the author service; each validates on the server and names the field at fault."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory

from ..handles import handle_key, normalise_orcid
from ..models import Affiliation, Institution, Person
from .profiles import full_name


class VariantsField(forms.CharField):
    """Other spellings of a name, one a line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:  # type: ignore[override]  # one name a line
        lines = [" ".join(line.split()) for line in (value or "").splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def validate(self, value: list[str]) -> None:
        if len(value) > 30:
            raise forms.ValidationError("At most 30 name variants.")
        for line in value:
            if len(line) > 255:
                raise forms.ValidationError(f"“{line[:40]}…” is longer than 255 characters.")


class ProfileForm(forms.ModelForm):
    name_variants = VariantsField(
        required=False,
        label="Name variants",
        help_text="Other spellings of your name on your works, one a line (e.g. “Sorvik, J.”).",
    )
    homepage = forms.URLField(required=False, max_length=2000, assume_scheme="https")
    orcid = forms.CharField(
        required=False,
        max_length=60,
        label="ORCID iD",
        help_text="As 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097.",
    )

    class Meta:
        model = Person
        fields = ["name_first", "name_middle", "name_last", "name_variants", "homepage", "orcid"]
        labels = {"name_first": "First name", "name_middle": "Middle name", "name_last": "Family name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_first"].required = True
        self.fields["name_last"].required = True

    def clean_name_last(self) -> str:
        value = " ".join(self.cleaned_data["name_last"].split())
        if not any(c.isalpha() for c in value):
            raise forms.ValidationError("A family name needs at least one letter.")
        return value

    def clean_orcid(self) -> str:
        value = self.cleaned_data["orcid"].strip()
        if not value:
            return ""
        try:
            value = normalise_orcid(value)
        except ValueError as exc:
            raise forms.ValidationError(f"ORCID iD: {exc}.") from None
        other = Person.objects.filter(orcid=value).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise forms.ValidationError(
                f"ORCID iD: {value} is on the profile of {other.name_full} ({other.short_id}); "
                "write to us if it is yours."
            )
        return value

    def save(self, commit: bool = True) -> Person:
        person = super().save(commit=False)
        person.name_full = full_name(person.name_first, person.name_middle, person.name_last)
        if commit:
            person.save()
        return person


class BaseAffiliationFormSet(BaseInlineFormSet):
    def __init__(self, *args, queryset=None, **kwargs):
        """The affiliations with their institutions: one query for every form."""
        if queryset is None:
            queryset = Affiliation.objects.select_related("institution_ref")
        super().__init__(*args, queryset=queryset, **kwargs)

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        shares = [f.cleaned_data.get("share") for f in kept]
        given = [s for s in shares if s is not None]
        if given and (len(given) != len(kept) or sum(given) != 100):
            raise forms.ValidationError(
                f"Shares must be given for every affiliation and add up to 100 (they add up to {sum(given)})."
            )


#: the one <datalist> every affiliation's institution field shares (templates/me/profile.html)
INSTITUTION_CHOICES = "institution-choices"


class AffiliationForm(forms.ModelForm):
    """An affiliation: an institution of the directory, chosen by its EDIRC code (the page's
    script offers them by name as one types: /search/choices/institution.json), and/or a name
    as the author writes it; a code that names no imported institution is the field's error.
    A handle imported with the profile but not (yet) in the directory is kept as it was."""

    institution_code = forms.CharField(
        required=False,
        max_length=120,
        label="Institution",
        help_text="Type its name and choose it from the list (its EDIRC code, such as “esyoxuk”).",
        widget=forms.TextInput(
            attrs={"data-choices": "institution", "list": INSTITUTION_CHOICES, "autocomplete": "off"}
        ),
    )
    share = forms.IntegerField(required=False, min_value=1, max_value=100, label="Share (%)")

    class Meta:
        model = Affiliation
        fields = ["name", "share"]
        labels = {"name": "Name as you write it"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        affiliation = self.instance
        if affiliation.institution_ref_id is not None:
            self.initial.setdefault("institution_code", affiliation.institution_ref.code)
        elif affiliation.institution:
            self.initial.setdefault("institution_code", affiliation.institution)

    def clean_institution_code(self) -> Institution | str | None:
        """The institution chosen; the affiliation's own handle, unchanged, when not imported; None when empty."""
        text = " ".join(self.cleaned_data["institution_code"].split())
        if not text:
            return None
        key = handle_key(text)
        found = Institution.objects.filter(Q(code=key.removeprefix("repec:edi:")) | Q(handle_key=key)).first()
        if found is not None:
            return found
        if self.instance.institution and handle_key(self.instance.institution) == key:
            return self.instance.institution
        raise forms.ValidationError(
            f"No institution has the code “{text[:40]}”: choose one from the list as you type its name, "
            "or leave this empty and write the name."
        )

    def clean(self):
        cleaned = super().clean()
        if "institution_code" in self.errors:
            return cleaned
        chosen = cleaned.get("institution_code")
        name = " ".join((cleaned.get("name") or "").split())
        if isinstance(chosen, Institution):
            self.instance.institution_ref, self.instance.institution = chosen, chosen.handle
            name = name or chosen.full_name[:500]
        elif chosen is None:
            self.instance.institution_ref, self.instance.institution = None, ""
        # else a handle kept as it was imported: the affiliation keeps it
        if not name and not cleaned.get("DELETE"):
            self.add_error("name", "Choose an institution or write its name.")
        cleaned["name"] = name
        return cleaned


AffiliationFormSet = inlineformset_factory(
    Person,
    Affiliation,
    form=AffiliationForm,
    formset=BaseAffiliationFormSet,
    extra=2,
    max_num=10,
    validate_max=True,
    can_delete=True,
)


class ClaimSearchForm(forms.Form):
    q = forms.CharField(label="Title words or handle", max_length=300, required=False)
