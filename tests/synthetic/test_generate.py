"""The synthetic catalogue (manage.py generate_catalogue): deterministic, consistent, Zipf-shaped, browsable."""

import datetime
import hashlib
import re
import statistics
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q

from catalogue.models import (
    Affiliation,
    Archive,
    Authorship,
    Claim,
    File,
    Item,
    ItemKeyword,
    JelCode,
    Keyword,
    MonthlyStat,
    NepAnnouncement,
    NepIssue,
    NepReport,
    Person,
    Reference,
    SearchEntry,
    Series,
)

pytestmark = pytest.mark.django_db

N = 300
SEED = 7
JEL = Item.jel_codes.through
ITEM_FIELDS = (
    "handle", "kind", "slug", "series__handle", "title", "abstract", "year", "creation_date", "revision_date",
    "number", "length", "pages", "volume", "issue", "month", "book_title", "publisher", "isbn", "issn",
    "doi", "language", "publication_status", "programming_language", "version_key", "citation_count",
)  # fmt: skip
REFERENCE_FIELDS = (
    "citing__handle_key", "position", "raw_text", "title", "authors", "year", "doi", "status",
    "target__handle_key", "score",
)  # fmt: skip


def generate(items=N, seed=SEED):
    call_command("generate_catalogue", items=items, seed=seed, batch_size=70, verbosity=0)


@pytest.fixture
def generated():
    generate()


def digest() -> str:
    """A hash of everything generated but ids and timestamps, in a stable order."""
    h = hashlib.sha256()
    queries = [
        Archive.objects.order_by("code").values_list("code", "handle", "name", "maintainer_name", "maintainer_email"),
        Series.objects.order_by("handle").values_list("handle", "code", "name", "kind", "issn", "provider_name"),
        Item.objects.order_by("handle_key").values_list(*ITEM_FIELDS),
        Authorship.objects.order_by("item__handle_key", "position").values_list(
            "item__handle_key", "position", "role", "name", "workplace", "person__short_id"
        ),
        ItemKeyword.objects.order_by("item__handle_key", "position").values_list(
            "item__handle_key", "position", "keyword__key", "keyword__name"
        ),
        JEL.objects.order_by("item__handle_key", "jelcode_id").values_list("item__handle_key", "jelcode_id"),
        JelCode.objects.order_by("code").values_list("code", "parent_id", "name"),
        File.objects.order_by("item__handle_key", "position").values_list(
            "item__handle_key", "position", "url", "format", "function", "restriction"
        ),
        Reference.objects.order_by("citing__handle_key", "position").values_list(*REFERENCE_FIELDS),
        Person.objects.order_by("short_id").values_list(
            "short_id", "handle", "name_full", "name_first", "name_middle", "name_last", "name_variants", "email"
        ),
        Affiliation.objects.order_by("person__short_id", "position").values_list(
            "person__short_id", "position", "name", "share"
        ),
        Claim.objects.order_by("person__short_id", "handle_key").values_list(
            "person__short_id", "handle_key", "status"
        ),
        NepReport.objects.order_by("code").values_list("code", "name"),
        NepAnnouncement.objects.order_by("issue__report__code", "issue__date", "position").values_list(
            "issue__report__code", "issue__date", "position", "item__handle_key"
        ),
        MonthlyStat.objects.order_by("item__handle_key", "month").values_list(
            "item__handle_key", "month", "abstract_views", "downloads"
        ),
    ]
    for query in queries:
        for row in query:
            h.update(repr(row).encode())
        h.update(b"|")
    return h.hexdigest()


def wipe() -> None:
    """Delete everything the generator wrote (children first)."""
    models = [
        SearchEntry, MonthlyStat, NepAnnouncement, NepIssue, NepReport, Reference, Claim, ItemKeyword, JEL, File,
        Authorship, Item, Affiliation, Person, Keyword, Series, Archive,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    for length in (3, 2, 1):  # JEL codes: children before their parents
        JelCode.objects.filter(code__regex=rf"^.{{{length}}}$").delete()


def test_same_seed_gives_the_same_catalogue_and_another_seed_another():
    generate()
    first = digest()
    assert Item.objects.count() == N
    wipe()
    assert not Item.objects.exists()
    assert not Person.objects.exists()
    generate()
    assert digest() == first
    wipe()
    generate(seed=SEED + 1)
    assert digest() != first


def test_batch_size_does_not_change_the_catalogue():
    call_command("generate_catalogue", items=120, seed=3, batch_size=120, verbosity=0)
    whole = digest()
    wipe()
    call_command("generate_catalogue", items=120, seed=3, batch_size=7, verbosity=0)
    assert digest() == whole


def test_refuses_a_catalogue_that_has_items(generated):
    with pytest.raises(CommandError, match="already has 300 items"):
        generate()
    assert Item.objects.count() == N


def test_handles_codes_and_kinds(generated):
    handles = list(Item.objects.values_list("handle", "handle_key", "slug", "kind", "series__handle", "series__kind"))
    assert len({h.lower() for h, *_ in handles}) == N  # unique, whatever the case
    article = re.compile(r"^v\d+y\d{4}i\d+p\d+-\d+$")
    for handle, key, slug, kind, series_handle, series_kind in handles:
        assert key == handle.lower()
        assert kind == series_kind
        assert handle.startswith(series_handle + ":")
        assert slug == handle[len(series_handle) + 1 :].replace(":", "").lower()
        if kind == "article":
            assert article.match(slug), handle
    kinds = Counter(kind for *_, kind, _, _ in handles)
    assert kinds["paper"]
    assert kinds["article"]
    assert all(re.fullmatch(r"[a-z]{3}", code) for code in Archive.objects.values_list("code", flat=True))
    assert all(re.fullmatch(r"[a-z0-9]{6}", code) for code in Series.objects.values_list("code", flat=True))
    years = list(Item.objects.order_by("pk").values_list("year", flat=True))
    assert years == sorted(years)
    assert years[0] >= 1970
    assert years[-1] <= 2025
    assert statistics.median(years) > 1997  # skewed towards recent years


def test_references_and_citation_counts_agree(generated):
    matched = Reference.objects.filter(status=Reference.Status.MATCHED)
    assert matched.count() > 5 * N
    assert not matched.filter(target__isnull=True).exists()
    assert not matched.filter(target_id__gte=F("citing_id")).exists()  # targets are earlier items
    assert not matched.filter(target__year__gt=F("citing__year")).exists()
    assert not Reference.objects.filter(status=Reference.Status.UNMATCHED, target__isnull=False).exists()
    assert set(Reference.objects.values_list("status", flat=True)) == {"matched", "unmatched"}
    unmatched_share = Reference.objects.filter(status="unmatched").count() / Reference.objects.count()
    assert 0.15 < unmatched_share < 0.3
    per_item = Reference.objects.values("citing").annotate(n=Count("pk")).values_list("n", flat=True)
    assert 7 <= sum(per_item) / N <= 13  # about ten references an item
    counted = dict(matched.values("target").annotate(n=Count("citing", distinct=True)).values_list("target", "n"))
    assert dict(matched.values("target").annotate(n=Count("pk")).values_list("target", "n")) == counted
    for pk, count in Item.objects.values_list("pk", "citation_count"):
        assert count == counted.get(pk, 0)
    for text, title in matched.values_list("raw_text", "target__title")[:50]:
        assert title in text


def test_citations_are_zipf_shaped(generated):
    counts = sorted(Item.objects.values_list("citation_count", flat=True), reverse=True)
    median = statistics.median(counts)
    assert counts[0] >= 10 * max(median, 1)
    assert sum(counts[: N // 10]) > sum(counts) / 2  # the top tenth gets most citations
    assert counts.count(0) > N // 10


def test_authors_keywords_jel_and_files(generated):
    positions: dict[int, list[int]] = {}
    for item, position in Authorship.objects.order_by("item", "position").values_list("item", "position"):
        positions.setdefault(item, []).append(position)
    assert len(positions) == N
    assert all(1 <= len(p) <= 5 and p == list(range(len(p))) for p in positions.values())
    names = Counter(Authorship.objects.values_list("name", flat=True))
    assert names.most_common(1)[0][1] >= 5  # productive authors
    assert any(c in "".join(names) for c in "öüéí")  # real-looking, accented names
    linked = Authorship.objects.filter(person__isnull=False)
    assert linked.exists()
    assert all(re.fullmatch(r"p[a-z]{2}\d+", s) for s in Person.objects.values_list("short_id", flat=True))
    for person, key in linked.values_list("person", "item__handle_key"):
        assert Claim.objects.filter(person=person, handle_key=key, status="accepted").exists()
    keywords = Counter(ItemKeyword.objects.values_list("item", flat=True))
    assert len(keywords) == N
    assert all(2 <= n <= 6 for n in keywords.values())
    assert Keyword.objects.count() > 20
    jel = Counter(JEL.objects.values_list("item", flat=True))
    assert len(jel) == N
    assert all(1 <= n <= 3 for n in jel.values())
    for code, parent in JelCode.objects.values_list("code", "parent_id"):
        assert parent == (code[:-1] if len(code) > 1 else None)
    assert set("ABCDEFGHIJKLMNOPQRYZ") <= set(JelCode.objects.filter(parent=None).values_list("code", flat=True))
    with_files = File.objects.values("item").distinct().count()
    assert 0.75 * N < with_files < N
    assert all(url.startswith("https://example.org/") for url in File.objects.values_list("url", flat=True))


def test_nep_issues_and_statistics(generated):
    assert NepReport.objects.count() >= 30
    announced = NepAnnouncement.objects.select_related("issue", "item")
    assert announced.exists()
    for a in announced:
        assert a.item.kind == "paper"
        assert a.issue.date.weekday() == 6  # weekly issues, on Sundays
        assert a.issue.date.year >= a.item.year
    assert not NepIssue.objects.filter(announcements__isnull=True).exists()
    months = Counter(MonthlyStat.objects.values_list("item", flat=True))
    assert N // 5 < len(months) < N // 2
    old = set(Item.objects.filter(year__lt=2023).values_list("pk", flat=True))
    assert all(12 <= n <= 24 for item, n in months.items() if item in old)
    assert MonthlyStat.objects.filter(~Q(month__day=1)).count() == 0
    assert max(MonthlyStat.objects.values_list("month", flat=True)) == datetime.date(2025, 12, 1)


def test_item_pages_of_generated_items(generated, client, django_assert_max_num_queries):
    most_cited = Item.objects.order_by("-citation_count").first()
    most_references = Item.objects.annotate(n=Count("references")).order_by("-n").first()
    book = Item.objects.filter(kind__in=["chapter", "book", "software"]).first()
    for item in filter(None, [most_cited, most_references, book, Item.objects.last()]):
        url = item.get_absolute_url()
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200, item.handle
        assert item.title.replace("&", "&amp;").replace("'", "&#x27;") in response.content.decode()
