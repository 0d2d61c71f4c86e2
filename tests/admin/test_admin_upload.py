"""Uploading ReDIF files in the admin: who may, what lands, what is refused and why.

Users (`staff`, `publisher` and `reader` are the personas, tests/personas.py):
- `staff`: a superuser; `staff_by_permission`: staff flag and the change-item permission
  alone. Both are catalogue staff: may upload records of any archive.
- `publisher`: staff-flagged account named on archive `aaa`, no model permission: may upload
  records of `aaa` only.
- `reader`: logged in, not staff: never gets into the admin.
- `bystander`: staff flag only, neither catalogue staff nor a publisher: 403.
"""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse

from catalogue.ingest.uploads import safe_name
from catalogue.models import Archive, Authorship, Institution, Item, Person, Series

from .conftest import form_data

pytestmark = pytest.mark.django_db

URL = "/admin/catalogue/upload-redif/"


def archive(code: str) -> str:
    return (
        f"Template-Type: ReDIF-Archive 1.0\nName: Archive {code}\nURL: https://example.org/{code}/\n"
        f"Maintainer-Email: repec@{code}.example.org\nHandle: RePEc:{code}\n\n"
        f"Template-Type: ReDIF-Series 1.0\nName: Working papers of {code}\nType: ReDIF-Paper\n"
        f"Maintainer-Email: repec@{code}.example.org\nHandle: RePEc:{code}:wpaper\n\n"
    )


def paper(handle: str, title: str = "A paper", author: str = "Ana Autora") -> str:
    author_line = f"Author-Name: {author}\n" if author else ""
    return f"Template-Type: ReDIF-Paper 1.0\nTitle: {title}\n{author_line}Creation-Date: 2020\nHandle: {handle}\n\n"


def rdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/octet-stream")


def handles() -> list[str]:
    return sorted(Item.objects.values_list("handle", flat=True))


@pytest.fixture
def staff_by_permission(user_factory):
    return user_factory(username="staff", is_staff=True, permissions=["change_item"])


@pytest.fixture
def publisher_archive(archive_factory):
    return archive_factory(code="aaa", handle="RePEc:aaa")


@pytest.fixture
def bystander(user_factory):
    return user_factory(username="bystander", is_staff=True)


def upload(client, *files):
    return client.post(URL, {"files": list(files)})


def test_the_url_and_its_name():
    assert reverse("admin:catalogue_upload_redif") == URL
    # ATOMIC_REQUESTS, if it is ever turned on, leaves the importer's transactions alone
    assert "default" in resolve(URL).func._non_atomic_requests


def test_staff_upload_of_a_good_file(client, staff_by_permission, caplog):
    client.force_login(staff_by_permission)
    text = archive("zzz") + paper("RePEc:zzz:wpaper:1", "First") + paper("RePEc:zzz:wpaper:2", "Second")
    with caplog.at_level(logging.INFO, logger="catalogue.admin.upload"):
        response = upload(client, rdf("zzz papers.rdf", text))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Imported zzz_papers.rdf: created 4 (1 archive, 2 paper, 1 series)" in page  # the message
    assert '<th scope="row">created</th><td>4</td><td>1 archive, 2 paper, 1 series</td>' in page  # the report
    assert handles() == ["RePEc:zzz:wpaper:1", "RePEc:zzz:wpaper:2"]
    for item in Item.objects.all():
        assert client.get(item.get_absolute_url()).status_code == 200
    assert "ReDIF upload by staff (any archive) of zzz_papers.rdf: created 4" in caplog.text


def test_several_files_at_once_whatever_their_order(client, staff):
    client.force_login(staff)
    items = rdf("items.rdf", paper("RePEc:zzz:wpaper:1"))
    response = upload(client, items, rdf("series.rdf", archive("zzz")))
    assert response.status_code == 200
    assert handles() == ["RePEc:zzz:wpaper:1"]
    assert Item.objects.get().series.name == "Working papers of zzz"


def test_a_publisher_writes_their_archive_and_nothing_of_another(client, publisher):
    client.force_login(publisher)
    text = archive("aaa") + paper("RePEc:aaa:wpaper:1") + archive("bbb") + paper("RePEc:bbb:wpaper:7")
    response = upload(client, rdf("mixed.rdf", text))
    assert response.status_code == 200
    page = response.content.decode()
    # six lines a template: aaa's on lines 1, 7 and 13, bbb's archive on 19, series 25, paper 31
    for line, handle in [(19, "RePEc:bbb"), (25, "RePEc:bbb:wpaper"), (31, "RePEc:bbb:wpaper:7")]:
        assert f"mixed.rdf:{line}: {handle} is not in your archives (aaa): nothing of it was written" in page
    assert "Imported mixed.rdf in part: 3 template(s) were not written" in page
    assert handles() == ["RePEc:aaa:wpaper:1"]
    assert not Archive.objects.filter(code="bbb").exists()
    assert not Series.objects.filter(archive__code="bbb").exists()
    corrected = Archive.objects.get(code="aaa")
    assert corrected.name == "Archive aaa"
    assert corrected.history.latest().history_user == publisher  # on record


def test_a_bad_template_is_named_by_its_line_and_the_good_ones_land(client, staff):
    client.force_login(staff)
    text = archive("zzz") + paper("RePEc:zzz:wpaper:1") + paper("RePEc:zzz:wpaper:2", author="")
    text += paper("RePEc:zzz:wpaper:3")
    response = upload(client, rdf("zzz.rdf", text))
    page = response.content.decode()
    assert "zzz.rdf:19: missing required field Author-Name" in page  # six lines a template
    assert "redif-upload-" not in page  # the temporary folder is not shown
    assert handles() == ["RePEc:zzz:wpaper:1", "RePEc:zzz:wpaper:3"]


def test_a_binary_file_is_refused_next_to_the_field(client, staff):
    client.force_login(staff)
    png = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    response = upload(client, rdf("good.rdf", archive("zzz") + paper("RePEc:zzz:wpaper:1")), png)
    assert response.status_code == 200
    page = response.content.decode()
    assert "logo.png: it is not ReDIF text" in page
    assert 'class="form-row errors"' in page
    assert handles() == []
    assert not Archive.objects.exists()  # nothing of the submission is imported


def test_an_empty_submission(client, staff):
    client.force_login(staff)
    response = client.post(URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors == {"files": ["This field is required."]}
    assert 'class="form-row errors"' in response.content.decode()


def test_an_empty_file(client, staff):
    client.force_login(staff)
    response = upload(client, rdf("empty.rdf", ""))
    assert response.context["form"].errors == {"files": ["The submitted file is empty."]}


def test_too_big(client, staff, settings):
    settings.REDIF_UPLOAD_MAX_BYTES = 100
    client.force_login(staff)
    response = upload(client, rdf("zzz.rdf", archive("zzz") + paper("RePEc:zzz:wpaper:1")))
    [error] = response.context["form"].errors["files"]
    assert error.startswith("The files add up to ")
    assert error.endswith("at most 100\xa0bytes may be uploaded at once.")
    assert not Archive.objects.exists()


def test_a_reader_and_an_anonymous_user_are_sent_to_log_in(client, reader):
    text = archive("zzz") + paper("RePEc:zzz:wpaper:1")
    response = upload(client, rdf("zzz.rdf", text))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    client.force_login(reader)
    response = upload(client, rdf("zzz.rdf", text))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert not Archive.objects.exists()


def test_a_staff_user_who_is_neither_catalogue_staff_nor_a_publisher_is_refused(client, bystander):
    client.force_login(bystander)
    assert client.get(URL).status_code == 403
    assert upload(client, rdf("zzz.rdf", archive("zzz"))).status_code == 403
    assert not Archive.objects.exists()
    assert "Upload ReDIF files" not in client.get("/admin/").content.decode()


def test_csrf_is_enforced(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert upload(client, rdf("zzz.rdf", archive("zzz"))).status_code == 403
    assert not Archive.objects.exists()


def test_the_form_and_the_link_on_the_index(client, staff, publisher):
    client.force_login(publisher)
    assert f'href="{URL}"' in client.get("/admin/").content.decode()
    page = client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "multiple" in page
    assert "You may upload records of your archives (aaa)" in page
    client.force_login(staff)
    assert f'href="{URL}"' in client.get("/admin/").content.decode()
    assert "You may upload records of any archive" in client.get(URL).content.decode()


def test_safe_names():
    taken: set[str] = set()
    assert safe_name("../../etc/passwd", taken) == "passwd"
    assert safe_name("my papers (2020).rdf", taken) == "my_papers_2020_.rdf"
    assert safe_name("My_Papers_2020_.RDF", taken) == "My_Papers_2020_-2.RDF"
    assert safe_name("...", taken) == "upload.rdf"
    assert safe_name("", taken) == "upload-2.rdf"


@pytest.mark.django_db(transaction=True)
def test_outside_a_test_transaction_as_in_production(client, staff):
    """As on a real request: no transaction around the view, so on PostgreSQL the importer
    indexes on its second connection while it writes, and the items are found by search."""
    client.force_login(staff)
    response = upload(client, rdf("zzz.rdf", archive("zzz") + paper("RePEc:zzz:wpaper:1", "Quokka habitats")))
    assert "Imported zzz.rdf: created 3" in response.content.decode()
    assert handles() == ["RePEc:zzz:wpaper:1"]
    assert "Quokka habitats" in client.get("/search/", {"q": "quokka"}).content.decode()


def test_a_publisher_uploads_every_template_type_and_the_report_tells_each_ones_fate(client, publisher, data_dir):
    """Issue 14, defect 2: an Institution template raised in the archive check (a 500, the
    templates before it written, the items after it dropped). Every template type is handled:
    what is not the publisher's (a person, an institution: issue 20) is refused by its line, and
    everything else lands."""
    client.force_login(publisher)
    institution = (data_dir / "redif" / "ras" / "iiheide.rdf").read_text(encoding="utf-8-sig")
    person = (
        "Template-Type: ReDIF-Person 1.0\nName-Full: Ana Autora\nShort-Id: pau1\n"
        "Handle: RePEc:per:2020-01-01:ana_autora\n\n"
    )
    text = archive("aaa") + paper("RePEc:aaa:wpaper:1") + institution + "\n" + paper("RePEc:aaa:wpaper:2") + person
    text += paper("RePEc:aaa:wpaper:3")
    response = upload(client, rdf("mixed.rdf", text))
    assert response.status_code == 200
    page = response.content.decode()
    report = response.context["report"]
    assert report.created == {"series": 1, "paper": 3}
    assert report.updated == {"archive": 1}
    assert not report.skipped
    institution_refused, person_refused = report.errors
    assert institution_refused.startswith("mixed.rdf:20: RePEc:edi:iiheide is not in your archives (aaa)")
    assert person_refused.startswith("mixed.rdf:43: RePEc:per:2020-01-01:ana_autora is not in your archives (aaa)")
    assert "RePEc:edi:iiheide is not in your archives" in page
    assert handles() == ["RePEc:aaa:wpaper:1", "RePEc:aaa:wpaper:2", "RePEc:aaa:wpaper:3"]
    assert not Person.objects.exists()
    assert not Institution.objects.exists()


def test_a_report_of_many_lines_lists_the_first_thousand_of_each(client, staff):
    """20 MB of stray lines would list some 800,000 warnings: the page lists 1,000 and counts the rest."""
    client.force_login(staff)
    stray = "".join(f"  stray line {n}\n" for n in range(1500))
    text = (
        archive("zzz")
        + "Template-Type: ReDIF-Paper 1.0\n"
        + stray  # lines that continue no field, each a warning
        + "Title: T\nAuthor-Name: A. B\nHandle: RePEc:zzz:wpaper:1\n"
    )
    page = upload(client, rdf("many.rdf", text)).content.decode()
    warnings = page[page.index('id="redif-warnings"') :]
    assert warnings.count("line continues no field") == 1000
    assert "… and 500 more, not listed" in warnings
    assert "<td>1500</td>" in page  # the count is of every warning


@pytest.mark.django_db(transaction=True)
def test_an_internal_error_mid_upload_is_a_report_and_what_landed_is_counted(client, staff, monkeypatch, caplog):
    """Fault injection (a bug cannot be provoked with real input once it is fixed): the batch
    writing item `boom` raises. The page is the report, not a 500; the templates before it
    landed whole and are counted and searchable; nothing of its batch is written."""
    from catalogue.ingest import importer

    real_item_values = importer.item_values

    def item_values(record, *args):
        if record.handle.endswith(":boom"):
            raise RuntimeError("an unexpected bug")
        return real_item_values(record, *args)

    monkeypatch.setattr(importer, "item_values", item_values)
    client.force_login(staff)
    second_series = (
        "Template-Type: ReDIF-Series 1.0\nName: Other papers\nType: ReDIF-Paper\n"
        "Maintainer-Email: repec@zzz.example.org\nHandle: RePEc:zzz:otherp\n\n"
    )
    text = (
        archive("zzz")
        + paper("RePEc:zzz:wpaper:1", "Quokka habitats")
        + paper("RePEc:zzz:wpaper:2", "Wombat burrows")
        + second_series
        + paper("RePEc:zzz:otherp:boom", "Never written")
        + paper("RePEc:zzz:otherp:3", "Also not written")
    )
    with caplog.at_level(logging.ERROR, logger="catalogue.ingest.importer"):
        response = upload(client, rdf("zzz.rdf", text))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "zzz.rdf:31: the import stopped on an internal error (RuntimeError): 2 item template(s) from here on "
        "and everything after zzz.rdf:37 were not written"
    ) in page
    assert "redif-upload-" not in page  # the report names the file, not where it was kept
    assert "an unexpected bug" in caplog.text  # the traceback goes to the log
    assert handles() == ["RePEc:zzz:wpaper:1", "RePEc:zzz:wpaper:2"]
    counts = dict(Series.objects.values_list("code", "item_count"))
    assert counts == {"wpaper": 2, "otherp": 0}
    assert Archive.objects.get(code="zzz").item_count == 2
    assert "Wombat burrows" in client.get("/search/", {"q": "wombat"}).content.decode()


def test_the_item_page_names_the_file_as_uploaded_not_a_server_path(client, staff):
    """Issue 18: a publisher saw `Source: /srv/.../iptwpa.rdf:6`."""
    client.force_login(staff)
    upload(client, rdf("papers.rdf", archive("zzz") + paper("RePEc:zzz:wpaper:1")))
    item = Item.objects.get()
    assert item.source == "papers.rdf:13"
    page = client.get(f"/admin/catalogue/item/{item.pk}/change/").content.decode()
    assert "papers.rdf:13" in page
    # an item imported before kept the server's path: the page shows the name alone
    Item.objects.filter(pk=item.pk).update(source="/srv/econcat/tmp/upload-x1y2/papers.rdf:13")
    page = client.get(f"/admin/catalogue/item/{item.pk}/change/").content.decode()
    assert "papers.rdf:13" in page
    assert "/srv/econcat" not in page


def test_the_first_correction_of_an_imported_item_has_a_before_and_an_after(client, staff):
    """Issue 18: the import left no history, so the first correction showed an empty "Changes"
    column and "None" as its reason."""
    client.force_login(staff)
    upload(client, rdf("papers.rdf", archive("zzz") + paper("RePEc:zzz:wpaper:1", "Imported title")))
    item = Item.objects.get()
    assert not item.history.exists()  # imports write in bulk
    url = f"/admin/catalogue/item/{item.pk}/change/"
    data = form_data(client.get(url))
    data["title"] = "Corrected title"
    data["authorships-0-name"] = "Ana Autora-Corrigida"
    assert client.post(url, data).status_code == 302
    first, correction = item.history.order_by("history_date", "history_id")
    assert (first.history_type, first.title, first.history_change_reason) == (
        "+",
        "Imported title",
        "As imported from papers.rdf:13",
    )
    assert correction.history_change_reason == "Correction in the admin"
    assert [(c.field, c.old, c.new) for c in correction.diff_against(first).changes if c.field == "title"] == [
        ("title", "Imported title", "Corrected title")
    ]
    author_before, author_after = Authorship.history.filter(item_id=item.pk).order_by("history_date", "history_id")
    assert author_before.name == "Ana Autora"
    assert author_after.name == "Ana Autora-Corrigida"
    page = client.get(f"/admin/catalogue/item/{item.pk}/history/").content.decode()
    assert "As imported from papers.rdf:13" in page
    assert "Correction in the admin" in page
    assert "None" not in page.split("<table", 1)[1].split("</table>", 1)[0]
