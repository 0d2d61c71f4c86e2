"""Two archives with one of everything each, and the people who may (not) correct them.

Users (what each may see in the admin; `staff` and `reader` are the personas, tests/personas.py):
- `staff`: a superuser; everything.
- `publisher_a` / `publisher_b`: staff-flagged accounts without any permission, named among
  the publishers of archive A (zqa) / B (zqb): only their archive's records.
- `reader`: a logged-in account without the staff flag; nothing (the admin sends it to log in).
Every record of B carries "Bmarker" or the handle prefix RePEc:zqb, so a page that leaks
B's records to A's publisher shows one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from catalogue.models import (
    Archive,
    Authorship,
    CitationReport,
    File,
    HandleAlias,
    Item,
    ItemKeyword,
    JelCode,
    Reference,
    Series,
)


@dataclass
class World:
    archive: Archive
    series: Series
    item: Item
    authorship: Authorship
    file: File
    item_keyword: ItemKeyword
    reference: Reference
    alias: HandleAlias
    report: CitationReport


def build(prefix: str, code: str, factories, submitter) -> World:
    archive = factories["archive"](code=code, handle=f"RePEc:{code}", name=f"{prefix}marker archive")
    series = factories["series"](
        archive=archive, code="wpaper", handle=f"RePEc:{code}:wpaper", name=f"{prefix}marker series"
    )
    item = factories["item"](series=series, slug="1", handle=f"RePEc:{code}:wpaper:1", title=f"{prefix}marker title")
    other = factories["item"](series=series, slug="2", handle=f"RePEc:{code}:wpaper:2", title=f"{prefix}marker other")
    authorship = factories["authorship"](item=item, position=0, name=f"{prefix}marker author")
    file = factories["file"](item=item, position=0, url=f"https://{code}.example.org/1.pdf")
    # keywords are one vocabulary for every archive (public words): no marker on the word itself
    item_keyword = factories["item_keyword"](item=item, position=0, keyword__name=f"{prefix} keyword")
    reference = factories["reference"](citing=item, position=0, raw_text=f"{prefix}marker reference")
    alias = HandleAlias.objects.create(item=item, handle=f"RePEc:{code}:wpaper:old1")
    report = CitationReport.objects.create(
        kind=CitationReport.Kind.CITES, citing=other, cited=item, text=f"{prefix}marker report", submitted_by=submitter
    )
    return World(archive, series, item, authorship, file, item_keyword, reference, alias, report)


@pytest.fixture
def worlds(archive_factory, series_factory, item_factory, authorship_factory, file_factory, item_keyword_factory,
           reference_factory, reader) -> dict[str, World]:  # fmt: skip
    JelCode.objects.get_or_create(code="O", defaults={"name": "Development"})
    JelCode.objects.get_or_create(code="O3", defaults={"name": "Innovation", "parent_id": "O"})
    JelCode.objects.get_or_create(code="O31", defaults={"name": "Innovation and Invention", "parent_id": "O3"})
    factories = {
        "archive": archive_factory,
        "series": series_factory,
        "item": item_factory,
        "authorship": authorship_factory,
        "file": file_factory,
        "item_keyword": item_keyword_factory,
        "reference": reference_factory,
    }
    return {"A": build("A", "zqa", factories, reader), "B": build("B", "zqb", factories, reader)}


@pytest.fixture
def publisher_a(user_factory, worlds):
    return user_factory(username="publisher_a", is_staff=True, archives=[worlds["A"].archive])


@pytest.fixture
def publisher_b(user_factory, worlds):
    return user_factory(username="publisher_b", is_staff=True, archives=[worlds["B"].archive])


def leaks_b(response) -> bool:
    text = response.content.decode()
    return "Bmarker" in text or "RePEc:zqb" in text or "zqb.example.org" in text


def form_data(response) -> dict:
    """The POST data of an admin change page as it stands (main form and inline formsets)."""
    data: dict = {}

    def put(form, name):
        value = form[name].value()
        if value is None or value is False:
            return
        key = form.add_prefix(name)
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            put(formset.management_form, name)
        for child in formset.forms:
            for name in child.fields:
                put(child, name)
    return data
