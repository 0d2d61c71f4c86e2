"""Corrections through the admin: checked like an import, dated, on record, old handles kept."""

from __future__ import annotations

import pytest

from catalogue.citations.reports import can_moderate
from catalogue.corrections.rules import change_handle
from catalogue.models import Authorship, File, HandleAlias, Item

from .conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_form(client, publisher_a, worlds):
    """A's publisher logged in, and the POST data of A's item as its change page shows it."""
    client.force_login(publisher_a)
    url = f"/admin/catalogue/item/{worlds['A'].item.pk}/change/"
    response = client.get(url)
    assert "Amarker author" in response.content.decode()  # the inline authors
    return url, form_data(response)


def errors_after(client, url, data) -> dict:
    response = client.post(url, data)
    assert response.status_code == 200, "the form was accepted"
    return response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("handle", "RePEc:zqa:wpaper", "not an item handle"),
        ("handle", "RePEc:zqb:wpaper:1x", "must start with RePEc:zqa:wpaper:"),
        ("handle", "RePEc:zqa:wpaper:2", "another item has this handle"),
        ("handle", "nothing", "not a RePEc handle"),
        ("creation_date", "2001-02-30", "day out of range"),
        ("revision_date", "2020-13", "month out of range"),
        ("jel_codes", "O31 X99", "invalid JEL code"),
        ("jel_codes", "Z99", "not in the JEL classification: Z99"),
        ("doi", "nonsense", "not a DOI"),
    ],
)
def test_item_fields_are_checked_like_an_import(client, item_form, worlds, field, value, message):
    url, data = item_form
    data[field] = value
    errors = errors_after(client, url, data)
    assert message in " ".join(errors[field])
    assert Item.objects.get(pk=worlds["A"].item.pk).corrected_at is None


def test_the_error_is_printed_next_to_its_field(client, item_form):
    url, data = item_form
    data["creation_date"] = "2001-02-30"
    page = client.post(url, data).content.decode()
    field_row = page[page.index('class="form-row errors field-creation_date"') :][:600]
    assert "day out of range" in field_row


def test_file_urls_are_checked(client, item_form):
    url, data = item_form
    data["files-0-url"] = "javascript:alert(1)"
    response = client.post(url, data)
    assert response.status_code == 200
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "files")
    assert "url" in formset.forms[0].errors


def test_dates_are_written_as_the_importer_writes_them(client, item_form, worlds):
    url, data = item_form
    data.update(creation_date="20200105", jel_codes="o31, O31")
    assert client.post(url, data).status_code == 302
    item = Item.objects.get(pk=worlds["A"].item.pk)
    assert item.creation_date == "2020-01-05"
    assert list(item.jel_codes.values_list("code", flat=True)) == ["O31"]


def test_a_new_handle_leaves_the_old_one_redirecting(client, item_form, worlds):
    url, data = item_form
    data["handle"] = "repec:zqa:wpaper:1-revised"
    assert client.post(url, data).status_code == 302
    item = Item.objects.get(pk=worlds["A"].item.pk)
    assert (item.handle, item.slug, item.handle_key) == (
        "RePEc:zqa:wpaper:1-revised",
        "1-revised",
        "repec:zqa:wpaper:1-revised",
    )
    assert HandleAlias.objects.filter(item=item, handle="RePEc:zqa:wpaper:1").exists()
    response = client.get("/h/RePEc:zqa:wpaper:1")
    assert response.status_code == 301
    assert response["Location"] == item.get_absolute_url()
    # and back: the alias of the handle given back goes, the other one comes
    assert change_handle(item, "RePEc:zqa:wpaper:1").handle == "RePEc:zqa:wpaper:1-revised"
    assert not HandleAlias.objects.filter(handle_key="repec:zqa:wpaper:1").exists()


def test_an_old_handle_of_another_item_is_refused(client, item_form, worlds):
    url, data = item_form
    HandleAlias.objects.create(item=Item.objects.get(handle="RePEc:zqa:wpaper:2"), handle="RePEc:zqa:wpaper:gone")
    data["handle"] = "RePEc:zqa:wpaper:gone"
    assert "old handle of another item" in " ".join(errors_after(client, url, data)["handle"])


def test_corrections_are_dated_and_on_record_with_the_user(client, item_form, publisher_a, worlds):
    url, data = item_form
    item = worlds["A"].item
    data["title"] = "A corrected title"
    data["authorships-0-DELETE"] = "on"  # Amarker author goes
    data.update({"authorships-1-position": "1", "authorships-1-name": "New Author", "authorships-1-role": "author"})
    data["files-0-url"] = "https://zqa.example.org/1-v2.pdf"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "A corrected title"
    assert item.corrected_at is not None
    last = item.history.latest()
    assert last.history_user == publisher_a
    assert [c.field for c in last.diff_against(last.prev_record).changes if c.field == "title"] == ["title"]
    removed = Authorship.history.filter(item_id=item.pk, history_type="-").get()
    added = Authorship.history.filter(item_id=item.pk, history_type="+", name="New Author").get()
    changed = File.history.filter(item_id=item.pk, history_type="~").get()
    assert removed.history_user == added.history_user == changed.history_user == publisher_a
    assert changed.diff_against(changed.prev_record).changes[0].new == "https://zqa.example.org/1-v2.pdf"
    # the history page shows the field change and the parts' changes
    page = client.get(f"/admin/catalogue/item/{item.pk}/history/").content.decode()
    assert "A corrected title" in page
    assert "Amarker title" in page
    assert "author removed" in page
    assert "author added" in page
    assert "file changed" in page
    assert "1-v2.pdf" in page
    assert "publisher_a" in page


def test_a_change_of_the_parts_alone_dates_the_item(client, item_form, worlds):
    url, data = item_form
    data["authorships-0-name"] = "Amarker author, Jr."
    before = Item.objects.get(pk=worlds["A"].item.pk).updated_at
    assert client.post(url, data).status_code == 302
    item = Item.objects.get(pk=worlds["A"].item.pk)
    assert item.corrected_at is not None
    assert item.updated_at > before  # the OAI datestamp moves (catalogue/oai)


def test_saving_unchanged_writes_no_history(client, item_form, worlds):
    url, data = item_form
    before = worlds["A"].item.history.count()
    assert client.post(url, data).status_code == 302
    item = Item.objects.get(pk=worlds["A"].item.pk)
    assert item.history.count() == before
    assert item.corrected_at is None


def test_publishers_moderate_reports_of_their_items(publisher_a, publisher_b, reader, worlds):
    report = worlds["A"].report
    assert can_moderate(publisher_a, report)
    assert not can_moderate(publisher_b, report)
    assert not can_moderate(reader, report)


def test_publishers_see_the_reports_of_their_items(client, publisher_a, worlds):
    client.force_login(publisher_a)
    page = client.get("/admin/catalogue/citationreport/").content.decode()
    assert "Amarker report" in page or str(worlds["A"].report.pk) in page
    assert "Bmarker report" not in page


def test_kept_counts_follow_a_correction_on_commit(client, item_form, worlds, django_capture_on_commit_callbacks):
    from catalogue.browse.counts import refresh_counts
    from catalogue.models import JelCode

    refresh_counts()
    url, data = item_form
    data.update(jel_codes="R11")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert JelCode.objects.get(code="R11").item_count == 1
    assert JelCode.objects.get(code="R").item_count == 1
