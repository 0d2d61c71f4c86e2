"""Forms readers fill in: reports of missing citations (the rules are in citations/reports.py)."""

from __future__ import annotations

from django import forms

from ..models import CitationReport, Item, Reference
from . import reports

HANDLE_HELP = "Its handle, such as RePEc:ipt:iptwpa:jrc108028, or the address of its page on this site."


class ItemField(forms.CharField):
    """An item named by its handle or the address of its page; cleans to the Item."""

    def __init__(self, **kwargs):
        super().__init__(max_length=1000, help_text=HANDLE_HELP, **kwargs)

    def clean(self, value) -> Item:
        item = reports.find_item(super().clean(value))
        if item is None:
            raise forms.ValidationError(reports.UNKNOWN, code="unknown")
        return item


class LinkReportForm(forms.Form):
    """LINK: this reference (of the item it belongs to) cites that item."""

    item = ItemField(label="The item this reference cites")

    def __init__(self, *args, reference: Reference, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.reference, self.user = reference, user

    def clean_item(self) -> Item:
        cited = self.cleaned_data["item"]
        problem = reports.link_problem(self.reference, cited, self.user)
        if problem:
            raise forms.ValidationError(problem)
        return cited

    def save(self) -> CitationReport | None:
        """The pending report; None (with the error on the field) when it was just submitted twice."""
        report = reports.submit_report(
            self.user,
            CitationReport.Kind.LINK,
            self.reference.citing,
            self.cleaned_data["item"],
            reference=self.reference,
        )
        if report is None:
            self.add_error("item", reports.DUPLICATE)
        return report


class CitesReportForm(forms.Form):
    """CITES: that item cites this one, with the reference as it prints it."""

    item = ItemField(label="The item citing this one")
    text = forms.CharField(
        label="The reference to this item, as the citing item prints it",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
    )

    def __init__(self, *args, cited: Item, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.cited, self.user = cited, user

    def clean_item(self) -> Item:
        citing = self.cleaned_data["item"]
        problem = reports.cites_problem(citing, self.cited, self.user)
        if problem:
            raise forms.ValidationError(problem)
        return citing

    def save(self) -> CitationReport | None:
        """The pending report; None (with the error on the field) when it was just submitted twice."""
        report = reports.submit_report(
            self.user,
            CitationReport.Kind.CITES,
            self.cleaned_data["item"],
            self.cited,
            text=self.cleaned_data["text"],
        )
        if report is None:
            self.add_error("item", reports.DUPLICATE)
        return report
