"""The RePEc archive files harvested back: every archive of the demo and the hard one served by
the views, followed by their index pages, then harvested by the project's own harvester
(catalogue.harvest) over HTTP on loopback into a database emptied of every record, which then
holds the same archives, series and items, field by field (withdrawn items left out)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from catalogue.harvest import harvest_archive
from catalogue.models import Archive, Item, Keyword, Person, Series

from .conftest import mirror

pytestmark = pytest.mark.django_db(transaction=True)

ITEM_SKIPPED = {
    "id", "series", "citation_count", "self_citation_count", "withdrawn_at", "withdrawal_note", "replaced_by",
    "corrected_at", "source", "fingerprint", "created_at", "updated_at",
    "version_group", "group_citation_count", "group_self_citation_count",  # derived: ids and counts (issue 20)
}  # fmt: skip
SERIES_FIELDS = ["code", "handle", "name", "kind", "description", "provider_name", "provider_homepage",
                 "provider_institution", "maintainer_name", "homepage", "issn"]  # fmt: skip
ARCHIVE_FIELDS = ["code", "handle", "name", "homepage", "maintainer_name", "description"]


@pytest.fixture(autouse=True)
def _harvest_settings(settings):
    settings.HARVEST_DELAY = 0.001
    settings.HARVEST_TIMEOUT = 5
    settings.HARVEST_RETRIES = 1
    settings.HARVEST_ALLOW_PRIVATE = True  # the files are served on loopback
    settings.HARVEST_ALLOW_NETWORKS = []
    settings.OAI_ADMIN_EMAIL = "catalogue@example.org"


def item_snapshot(item: Item) -> dict:
    """Every column of the item that the archive files carry, and its rows: authors and editors
    (without their e-mail addresses, which the public files leave out, nor their registered person,
    which RePEc's author service, not an archive, holds), keywords, JEL codes and files, in order."""
    row = {f.attname: getattr(item, f.attname) for f in Item._meta.concrete_fields if f.name not in ITEM_SKIPPED}
    row["series"] = item.series.handle
    row["authorships"] = [(a.position, a.role, a.name, a.workplace, a.homepage) for a in item.authorships.all()]
    row["keywords"] = [k.keyword.name for k in item.item_keywords.all()]
    row["jel"] = sorted(j.code for j in item.jel_codes.all())
    row["files"] = [(f.url, f.format, f.function, f.restriction, f.size) for f in item.files.all()]
    return row


def snapshot(codes: list[str]) -> dict:
    items = Item.objects.filter(series__archive__code__in=codes, withdrawn_at__isnull=True).for_export()
    archives = {a.code: a for a in Archive.objects.filter(code__in=codes)}
    series = {}
    for s in Series.objects.filter(archive__code__in=codes).select_related("archive"):
        row = {name: getattr(s, name) for name in SERIES_FIELDS}
        # RePEc requires a maintainer's address: the archive's, else the site's, stands in
        row["maintainer_email"] = s.maintainer_email or s.archive.maintainer_email or "catalogue@example.org"
        series[s.handle] = row
    return {
        "archives": {c: {name: getattr(a, name) for name in ARCHIVE_FIELDS} for c, a in archives.items()},
        "series": series,
        "items": {i.handle: item_snapshot(i) for i in items},
    }


def empty_the_catalogue() -> None:
    for model in (Item, Keyword, Series, Archive, Person):
        model.objects.all().delete()


def test_every_archive_harvested_back_holds_the_same_records(hard_archive, files_server, client):
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    codes = sorted(Archive.objects.values_list("code", flat=True))
    assert "hrd" in codes
    assert len(codes) > 5
    before = snapshot(codes)
    assert "RePEc:hrd:hrdwpa:gone" not in before["items"]
    assert "RePEc:hrd:hrdwpa:hard1" in before["items"]
    for code in codes:  # the files, as the views serve them on the host the harvester will ask
        files_server.files.update(mirror(client, files_server.host, code))

    empty_the_catalogue()
    assert Item.objects.count() == Archive.objects.count() == 0
    for code in codes:  # what an operator adds: the code and where its files are
        url = f"http://{files_server.host}/repec/{code}/"
        archive = Archive.objects.create(code=code, handle=f"RePEc:{code}", name=code, url=url)
        run = harvest_archive(archive)
        assert (run.status, run.errors, run.files_failed) == ("ok", "", 0), code

    after = snapshot(codes)
    assert after["archives"] == before["archives"]
    assert after["series"] == before["series"]
    assert sorted(after["items"]) == sorted(before["items"])
    for handle, row in before["items"].items():
        assert after["items"][handle] == row, handle
    for archive in Archive.objects.all():  # the URL registered with RePEc is the one read back
        assert archive.url == f"http://{files_server.host}/repec/{archive.code}/"
    assert not Item.objects.exclude(authorships__email="").filter(authorships__isnull=False).exists()
    assert all(path.startswith("/repec/") for path in files_server.asked)
