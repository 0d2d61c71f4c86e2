"""What the open-data tests share: a small catalogue with e-mail addresses everywhere one can
be (authors registered or not, persons, maintainers), and reading a dump back."""

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from catalogue.models import Affiliation, Institution, Reference

SECRET_EMAILS = (
    "unregistered@secret.example",
    "registered@secret.example",
    "maintainer@secret.example",
    "institution@secret.example",
)


@pytest.fixture
def catalogue_rows(
    item_factory,
    authorship_factory,
    person_factory,
    item_keyword_factory,
    jel_code_factory,
    file_factory,
    reference_factory,
    nep_announcement_factory,
):
    """Two items in one series, one by a registered author, who works at a department of a
    university (EDIRC) and somewhere not imported; a matched, an unmatched and a rejected
    reference; a NEP issue announcing both."""
    first = item_factory(handle="RePEc:tst:wpaper:1", title="First paper", abstract="About growth.", year=2020)
    second = item_factory(handle="RePEc:tst:wpaper:2", title="Second paper", series=first.series, year=2021)
    archive = first.series.archive
    archive.maintainer_email = SECRET_EMAILS[2]
    archive.save()
    person = person_factory(short_id="pte1", name_full="Tess Example", email=SECRET_EMAILS[1])
    authorship_factory(item=first, position=1, name="Example, Tess", email=SECRET_EMAILS[1], person=person)
    authorship_factory(item=first, position=2, name="Stranger, Una", email=SECRET_EMAILS[0])
    authorship_factory(item=second, position=1, name="Example, Tess", person=person)
    item_keyword_factory(item=first, position=1, keyword__name="Growth", keyword__key="growth")
    first.jel_codes.add(jel_code_factory(code="O4"))
    file_factory(item=first, position=1, url="https://example.org/1.pdf", format="application/pdf")
    reference_factory(
        citing=second, position=1, raw_text="Example (2020) First paper", target=first, status=Reference.Status.MATCHED
    )
    reference_factory(citing=second, position=2, raw_text="Unmatched (1999)", status=Reference.Status.UNMATCHED)
    reference_factory(citing=first, position=1, raw_text="Rejected", target=second, status=Reference.Status.REJECTED)
    issue = nep_announcement_factory(item=first, position=1).issue
    nep_announcement_factory(item=second, position=2, issue=issue)
    university = Institution.objects.create(
        handle="RePEc:edi:tuniius", handle_key="repec:edi:tuniius", code="tuniius", name="Test University",
        levels=[{"name": "Test University"}], country="US", location="Testville", email=SECRET_EMAILS[3],
    )  # fmt: skip
    department = Institution.objects.create(
        handle="RePEc:edi:tdepous", handle_key="repec:edi:tdepous", code="tdepous", name="Department of Economics",
        levels=[{"name": "Test University"}, {"name": "Department of Economics"}], country="US",
        homepage="https://econ.test.example/", postal="1 Test Road", parent=university, email=SECRET_EMAILS[3],
    )  # fmt: skip
    Affiliation.objects.create(
        person=person, position=0, name="Economics, Test U", institution="RePEc:edi:tdepous",
        institution_ref=department, share=70,
    )  # fmt: skip
    Affiliation.objects.create(person=person, position=1, name="Elsewhere", institution="RePEc:edi:zzzzzzz", share=30)
    return first, second, person


def read_dump(folder: Path) -> tuple[dict, dict[str, list[dict]]]:
    """The manifest and every file's records, each file checked against the manifest."""
    manifest = json.loads((folder / "manifest.json").read_text())
    found = {}
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert len(data) == entry["bytes"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        lines = gzip.decompress(data).decode("utf-8").splitlines()
        assert len(lines) == entry["records"]
        found[entry["kind"]] = [json.loads(line) for line in lines]
    sums = (folder / "SHA256SUMS").read_text().splitlines()
    assert sums == [f"{entry['sha256']}  {entry['name']}" for entry in manifest["files"]]
    return manifest, found
