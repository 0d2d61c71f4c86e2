"""Forms of the author service; each validates on the server and names the field at fault."""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from ..handles import normalise_orcid
from ..models import Affiliation, Person
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


class AffiliationForm(forms.ModelForm):
    share = forms.IntegerField(required=False, min_value=1, max_value=100, label="Share (%)")

    class Meta:
        model = Affiliation
        fields = ["name", "share"]
        labels = {"name": "Institution"}


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
