"""Two independent harvesters, sickle and oaipmh-scythe, harvest /oai over real HTTP (a live
server on loopback) across several resumption pages, GET and POST, and get every item, withdrawn
ones as deleted records; records changing in the middle of a harvest are neither skipped nor
repeated."""

import pytest
from django.utils import timezone
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig
from sickle import Sickle

from catalogue.models import Item
from tests.factories import ArchiveFactory, AuthorshipFactory, ItemFactory, SeriesFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def harvestable(settings):
    """13 items in two archives, three withdrawn; pages of 4 records: 4 pages for a full list."""
    settings.OAI_PAGE_SIZE = 4
    first = SeriesFactory(archive=ArchiveFactory(code="ipt"), code="iptwpa")
    second = SeriesFactory(archive=ArchiveFactory(code="abc"), code="abcwps")
    for n in range(13):
        item = ItemFactory(series=first if n % 2 else second, slug=f"x{n}", handle=f"RePEc:ab:cd:x{n}")
        AuthorshipFactory(item=item, position=1, name=f"Author {n}")
        if n in (3, 6, 9):
            item.withdrawn_at = timezone.now()
            item.save()
    expected = {
        f"oai:econcat:{handle}": bool(withdrawn)
        for handle, withdrawn in Item.objects.values_list("handle", "withdrawn_at")
    }
    return expected


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sickle_harvests_every_record(live_server, harvestable, method):
    sickle = Sickle(f"{live_server.url}/oai", http_method=method, max_retries=0, timeout=10)
    assert sickle.Identify().deletedRecord == "persistent"
    got = [
        (r.header.identifier, r.header.deleted, getattr(r, "metadata", None))
        for r in sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False)
    ]
    assert {i: deleted for i, deleted, _ in got} == harvestable
    assert len(got) == len(harvestable)
    assert all(metadata["creator"][0].startswith("Author") for _, deleted, metadata in got if not deleted)
    headers = list(sickle.ListIdentifiers(metadataPrefix="redif", set="ipt", ignore_deleted=False))
    assert len(headers) == 6
    assert {s.setSpec for s in sickle.ListSets()} == {"ipt", "ipt:iptwpa", "abc", "abc:abcwps"}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_oaipmh_scythe_harvests_every_record(live_server, harvestable, method):
    with Scythe(f"{live_server.url}/oai", http_config=HTTPConfig(http_method=method, timeout=10)) as scythe:
        assert scythe.identify().deletedRecord == "persistent"
        records = list(scythe.list_records(metadata_prefix="oai_dc", ignore_deleted=False))
        assert {r.header.identifier: r.header.deleted for r in records} == harvestable
        assert len(records) == len(harvestable)
        redif = list(scythe.list_records(metadata_prefix="redif", set_="abc", ignore_deleted=True))
        assert len(redif) == 6  # abc: x0, x2, ... x12, of which x6 is withdrawn
        assert all(
            "Handle: RePEc:ab:cd:x" in r.xml.findtext(".//{https://econcat.example/oai/redif}redif") for r in redif
        )
        formats = [f.metadataPrefix for f in scythe.list_metadata_formats()]
        assert formats == ["oai_dc", "redif"]


def test_records_changing_mid_harvest_are_neither_skipped_nor_repeated(live_server, harvestable):
    sickle = Sickle(f"{live_server.url}/oai", max_retries=0, timeout=10)
    seen = []
    for n, header in enumerate(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False)):
        seen.append(header.identifier)
        if n == 1:  # the first page read: a new item, and a correction of one not reached yet
            ItemFactory(series=Item.objects.first().series, slug="new", handle="RePEc:ab:cd:new")
            last = Item.objects.order_by("updated_at", "id").last()
            last.title = "Corrected"
            last.save()
    assert len(seen) == len(set(seen))
    assert set(seen) == {*harvestable, "oai:econcat:RePEc:ab:cd:new"}
