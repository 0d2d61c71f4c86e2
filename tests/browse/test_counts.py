"""Counts kept for the browse pages: exact after a refresh, refreshed by the importer for what it touched."""

import pytest

from catalogue.browse.counts import refresh_counts
from catalogue.ingest.importer import Importer
from catalogue.models import Archive, JelCode, Keyword, Series
from catalogue.redif.parser import parse_text

pytestmark = pytest.mark.django_db


def test_refresh_counts_every_list(series_factory, item_factory, keyword_factory, item_keyword_factory):
    a = series_factory(archive__code="ipt", code="iptwpa")
    b = series_factory(archive__code="ipt", code="iptbbb")
    keyword = keyword_factory(name="innovation")
    for item in item_factory.create_batch(3, series=a):
        item_keyword_factory(item=item, keyword=keyword)
        item.jel_codes.add("O31", "O32")
    item_factory(series=b).jel_codes.add("E52")
    refresh_counts()
    assert Series.objects.get(pk=a.pk).item_count == 3
    assert Series.objects.get(pk=b.pk).item_count == 1
    archive = Archive.objects.get(code="ipt")
    assert (archive.series_count, archive.item_count) == (2, 4)
    assert Keyword.objects.get(pk=keyword.pk).item_count == 3
    counts = dict(JelCode.objects.values_list("code", "item_count"))
    assert (counts["O31"], counts["O32"], counts["O3"], counts["O"], counts["E"], counts["A"]) == (3, 3, 3, 3, 1, 0)
    a.items.first().delete()
    refresh_counts()
    assert Series.objects.get(pk=a.pk).item_count == 2
    assert JelCode.objects.get(code="O").item_count == 2


ARCHIVE = """Template-Type: ReDIF-Archive 1.0
Handle: RePEc:ipt
Name: Joint Research Centre
URL: https://example.org/ipt/
Maintainer-Email: publications@example.org

Template-Type: ReDIF-Series 1.0
Name: JRC Research Reports
Type: ReDIF-Paper
Maintainer-Email: publications@example.org
Handle: RePEc:ipt:iptwpa
"""


def paper(number: int, keyword: str, jel: str) -> str:
    return f"""
Template-Type: ReDIF-Paper 1.0
Author-Name: Ann Author
Title: Paper {number}
Keywords: {keyword}
Classification-JEL: {jel}
Handle: RePEc:ipt:iptwpa:p{number}
"""


def test_the_importer_refreshes_what_it_touched():
    importer = Importer()
    importer.import_templates(parse_text(ARCHIVE + paper(1, "innovation", "O31") + paper(2, "growth", "O41"), "a.rdf"))
    assert importer.finish().ok
    series = Series.objects.get(code="iptwpa")
    assert series.item_count == 2
    assert series.archive.item_count == 2
    assert Keyword.objects.get(key="innovation").item_count == 1
    assert JelCode.objects.get(code="O").item_count == 2
    assert JelCode.objects.get(code="O31").name == "Innovation and Invention: Processes and Incentives"
    # a changed paper moves from one keyword to another: both are recounted
    importer = Importer()
    importer.import_templates(parse_text(ARCHIVE + paper(1, "growth", "Q99"), "b.rdf"))
    assert importer.finish().ok
    assert Keyword.objects.get(key="innovation").item_count == 0
    assert Keyword.objects.get(key="growth").item_count == 2
    assert JelCode.objects.get(code="Q99").name == "Other"  # the importer names the codes it creates
    assert JelCode.objects.get(code="Q").item_count == 1
    assert JelCode.objects.get(code="O").item_count == 1  # the code it left is recounted
    assert JelCode.objects.get(code="O31").item_count == 0


def test_the_release_step_counts_a_catalogue_never_counted(series_factory, item_factory):
    from django.core.management import call_command

    series = series_factory()
    item_factory.create_batch(2, series=series)
    call_command("refresh_counts", "--if-never-counted")
    assert Series.objects.get(pk=series.pk).item_count == 2
    item_factory(series=series)
    call_command("refresh_counts", "--if-never-counted")  # counted before: left to the importer
    assert Series.objects.get(pk=series.pk).item_count == 2
    call_command("refresh_counts")
    assert Series.objects.get(pk=series.pk).item_count == 3
