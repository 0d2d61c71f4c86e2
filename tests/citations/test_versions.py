"""Versions of a work (issue 20): the ReDIF fields that name other versions, the groups they make,
citations counted once for rankings, author pages and the h-index, the item page, and the
versions an author confirms or refuses on /me/works/. A hand-built set, imported as ReDIF."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.authors.versions import proposals
from catalogue.changes.versions import regroup
from catalogue.citations.counts import refresh_citation_counts
from catalogue.ingest.importer import Importer
from catalogue.models import Authorship, HandleAlias, Item, Person, PersonStatTotals, Reference, VersionLink
from catalogue.redif.parser import parse_text
from catalogue.redif.records import to_record
from catalogue.stats.rollups import refresh_all

pytestmark = pytest.mark.django_db

SERIES = "".join(
    f"Template-Type: ReDIF-Series 1.0\nName: {name}\nType: ReDIF-{kind} 1.0\nMaintainer-Email: m@example.org\n"
    f"Handle: RePEc:abc:{code}\n\n"
    for name, kind, code in (
        ("Working papers", "Paper", "wpaper"),
        ("Journal", "Article", "journl"),
        ("Books", "Book", "bookss"),
        ("Chapters", "Chapter", "chapts"),
    )
)


def import_text(text: str) -> None:
    importer = Importer()
    importer.import_templates(parse_text(SERIES + text, "versions.rdf"))
    report = importer.finish()
    assert not report.errors, report.errors


def paper(code: str, title: str, *extra: str, authors=("Ana Autora", "Bo Berg")) -> str:
    return template("Paper", f"wpaper:{code}", title, *extra, authors=authors)


def template(kind: str, handle: str, title: str, *extra: str, authors=("Ana Autora", "Bo Berg")) -> str:
    people = "".join(f"Author-Name: {a}\n" for a in authors)
    return (
        f"Template-Type: ReDIF-{kind} 1.0\nTitle: {title}\n{people}Handle: RePEc:abc:{handle}\nYear: 2019\n"
        + "".join(f"{line}\n" for line in extra)
        + "\n"
    )


def item(handle: str) -> Item:
    return Item.objects.get(handle_key=f"repec:abc:{handle}".lower())


def cite(citing: Item, target: Item, *, self_citation: bool = False) -> None:
    position = Reference.objects.filter(citing=citing).count()
    Reference.objects.create(
        citing=citing,
        target=target,
        position=position,
        raw_text=f"{target.title}.",
        status=Reference.Status.MATCHED,
        self_citation=self_citation,
    )


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def pair():
    """A working paper and the article it became (the paper says so), citers X (both), Y (the
    paper), Z and W (the article; W a self-citation): the work is cited by 4 items, 3 of them others."""
    import_text(
        paper("1", "Growth and trade in small economies", "Article-Handle: RePEc:abc:journl:v1i1p1")
        + template("Article", "journl:v1i1p1", "Growth, trade and small open economies")
        + "".join(paper(f"c{n}", f"Citing paper {n}", authors=("Carl Citer",)) for n in "XYZ")
        + paper("cW", "Citing paper W")
    )
    wp, article = item("wpaper:1"), item("journl:v1i1p1")
    x, y, z, w = (item(f"wpaper:c{n}") for n in "XYZW")
    cite(x, wp), cite(x, article), cite(y, wp), cite(z, article), cite(w, article, self_citation=True)
    refresh_citation_counts([wp.pk, article.pk])
    wp.refresh_from_db(), article.refresh_from_db()
    return wp, article


def test_the_version_fields_of_a_template_are_read_in_order_each_once():
    templates = list(
        parse_text(
            "Template-Type: ReDIF-Paper 1.0\nTitle: T\nAuthor-Name: A\nHandle: RePEc:abc:wpaper:1\n"
            "Article-Handle: RePEc:abc:journl:v1i1p1\nChapter-Handle: not a handle\nBook-Handle: RePEc:abc:bookss:1\n"
            "Article-Handle: REPEC:ABC:JOURNL:V1I1P1\nPaper-Handle: RePEc:abc:wpaper:1\n"
            "Software-Handle: RePEc:abc:softwr:9\n",
            "t.rdf",
        )
    )
    record, warnings = to_record(templates[0])
    assert record.versions == [
        ("article-handle", "RePEc:abc:journl:v1i1p1"),
        ("book-handle", "RePEc:abc:bookss:1"),
        ("software-handle", "RePEc:abc:softwr:9"),
    ]  # the same handle once whatever its case, its own handle never
    assert [w.line for w in warnings] == [6]  # the bad Chapter-Handle, by its line


def test_a_paper_and_its_article_are_one_group_with_one_count(pair):
    wp, article = pair
    assert wp.version_group == article.version_group == min(wp.pk, article.pk)
    assert (wp.citation_count, wp.self_citation_count) == (2, 0)
    assert (article.citation_count, article.self_citation_count) == (3, 1)
    # X cites both versions: once
    assert (wp.group_citation_count, wp.group_self_citation_count) == (4, 1)
    assert (article.group_citation_count, article.group_self_citation_count) == (4, 1)
    assert Item.objects.filter(version_group__isnull=False).count() == 2  # the citers stay alone
    link = VersionLink.objects.get()
    assert (link.item, link.other_key, link.field, link.source) == (wp, article.handle_key, "article-handle", "stated")


def test_each_page_lists_its_own_citers_and_the_count_across_versions(client, pair, django_assert_max_num_queries):
    wp, article = pair
    url = wp.get_absolute_url()
    with django_assert_max_num_queries(11):
        page = text_of(client.get(url))
    assert "Cited by 2 items" in page
    assert "Citing paper X" in page
    assert "Citing paper Y" in page
    assert "Citing paper Z" not in page
    assert "Cited 4 times across its versions" in page
    versions = page[page.index('id="versions"') : page.index('id="references"')]
    assert "Growth, trade and small open economies" in versions
    page = text_of(client.get(article.get_absolute_url()))
    assert "Cited by 3 items, 1 of them self-citation" in page
    assert "Citing paper Z" in page
    assert "Citing paper W" in page
    assert "Citing paper Y" not in page
    assert "Cited 4 times across its versions" in page
    cited = text_of(client.get(item("wpaper:cX").get_absolute_url()))
    assert "across its versions" not in cited  # a record without other versions says nothing of them


def test_rankings_and_the_author_count_the_work_once(client, pair, person_factory):
    wp, article = pair
    ana = person_factory(short_id="pau9", name_first="Ana", name_last="Autora", name_full="Ana Autora")
    Authorship.objects.filter(item__in=[wp, article], name="Ana Autora").update(person=ana)
    page = client.get("/stats/top/items.html?by=citations").content.decode()
    ranked = re.findall(
        r'<td class="rank">(\d+)</td><td>.*?<a href="[^"]+">([^<]+)</a>.*?<td class="figure">(\d+)</td>', page, re.S
    )
    # the work once, by its first record, with its citations by others: X, Y, Z (W is a self-citation)
    assert [(title, int(figure)) for _, title, figure in ranked] == [("Growth and trade in small economies", 3)]
    refresh_all(datetime.date(2025, 3, 15))
    assert PersonStatTotals.objects.get(person=ana).citations == 3  # not 2 + 2
    page = text_of(client.get("/e/pau9.html"))
    assert '<dd class="citations">4; 3 without self-citations</dd>' in page  # not 2 + 3
    assert '<dd class="h-index">1</dd>' in page  # one work cited 4 times, not two works
    assert "Growth and trade in small economies" in page
    assert "Growth, trade and small open economies" in page


def test_a_link_naming_an_old_handle_reaches_the_renumbered_item(django_capture_on_commit_callbacks):
    import_text(paper("7", "Renumbered paper"))
    renumbered = item("wpaper:7")
    with django_capture_on_commit_callbacks(execute=True):
        HandleAlias.objects.create(item=renumbered, handle="RePEc:abc:wpaper:old7")
    import_text(
        template("Article", "journl:v2i1p9", "The renumbered paper, published", "Paper-Handle: RePEc:abc:wpaper:old7")
    )
    article = item("journl:v2i1p9")
    renumbered.refresh_from_db()
    assert renumbered.version_group == article.version_group == renumbered.pk


def test_an_old_handle_given_after_the_link_joins_the_group(django_capture_on_commit_callbacks):
    import_text(
        paper("8", "Renumbered later")
        + template("Article", "journl:v2i1p8", "Renumbered later, published", "Paper-Handle: RePEc:abc:wpaper:old8")
    )
    renumbered, article = item("wpaper:8"), item("journl:v2i1p8")
    assert article.version_group is None  # the link names a handle nothing has yet
    with django_capture_on_commit_callbacks(execute=True):
        alias = HandleAlias.objects.create(item=renumbered, handle="RePEc:abc:wpaper:old8")
    article.refresh_from_db()
    assert article.version_group == renumbered.pk
    with django_capture_on_commit_callbacks(execute=True):
        alias.delete()
    article.refresh_from_db()
    assert article.version_group is None


def test_an_item_renamed_through_the_orm_to_the_handle_a_link_names_joins_it(django_capture_on_commit_callbacks):
    import_text(
        paper("9", "Renamed in the admin")
        + template("Article", "journl:v2i1p7", "Renamed in the admin, published", "Paper-Handle: RePEc:abc:wpaper:new9")
    )
    renamed, article = item("wpaper:9"), item("journl:v2i1p7")
    assert article.version_group is None
    renamed.handle = "RePEc:abc:wpaper:new9"
    with django_capture_on_commit_callbacks(execute=True):
        renamed.save()
    article.refresh_from_db()
    assert article.version_group == renamed.pk


def test_a_link_stated_before_the_other_record_comes_is_kept_and_a_reimport_can_drop_it():
    import_text(template("Article", "journl:v3i1p1", "Early article", "Paper-Handle: RePEc:abc:wpaper:late"))
    assert item("journl:v3i1p1").version_group is None
    import_text(paper("late", "Early article (working paper)"))
    article, wp = item("journl:v3i1p1"), item("wpaper:late")
    assert article.version_group == wp.version_group == article.pk
    import_text(template("Article", "journl:v3i1p1", "Early article"))  # the link dropped
    article.refresh_from_db(), wp.refresh_from_db()
    assert (article.version_group, wp.version_group, wp.group_citation_count) == (None, None, None)


def test_a_book_and_its_chapter_are_linked_but_counted_apart():
    """HasChapter and In-Book say what a book holds, not another version: a book's chapters (by
    several authors) are not one work. A chapter's own other version (Paper-Handle) is."""
    import_text(
        template("Book", "bookss:1", "Essays on trade", "HasChapter: RePEc:abc:chapts:1-1", authors=("Ed Editor",))
        + template(
            "Chapter", "chapts:1-1", "Trade costs", "In-Book: RePEc:abc:bookss:1", "Paper-Handle: RePEc:abc:wpaper:tc"
        )
        + paper("tc", "Trade costs (working paper)")
        + paper("cc", "Citing both", authors=("Carl Citer",))
    )
    book, chapter, wp, citer = item("bookss:1"), item("chapts:1-1"), item("wpaper:tc"), item("wpaper:cc")
    parts = sorted(VersionLink.objects.filter(relation="part").values_list("item__handle_key", "other_key", "field"))
    assert parts == [
        ("repec:abc:bookss:1", "repec:abc:chapts:1-1", "haschapter"),
        ("repec:abc:chapts:1-1", "repec:abc:bookss:1", "in-book"),
    ]
    assert book.version_group is None
    assert chapter.version_group == wp.version_group == chapter.pk
    cite(citer, book), cite(citer, chapter), cite(citer, wp)
    refresh_citation_counts([book.pk, chapter.pk, wp.pk])
    book.refresh_from_db(), chapter.refresh_from_db()
    assert (book.citation_count, book.group_citation_count) == (1, None)
    assert (chapter.citation_count, chapter.group_citation_count) == (1, 1)


def test_a_deleted_record_that_joined_two_others_splits_them(django_capture_on_commit_callbacks):
    import_text(
        paper("m", "Middle", "Article-Handle: RePEc:abc:journl:m1", "Chapter-Handle: RePEc:abc:chapts:m2")
        + template("Article", "journl:m1", "Middle, the article")
        + template("Chapter", "chapts:m2", "Middle, the chapter")
    )
    middle, a, c = item("wpaper:m"), item("journl:m1"), item("chapts:m2")
    assert {middle.version_group, a.version_group, c.version_group} == {min(middle.pk, a.pk, c.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        middle.delete()
    a.refresh_from_db(), c.refresh_from_db()
    assert (a.version_group, c.version_group) == (None, None)


def test_a_group_that_loses_a_record_is_recounted_without_its_citers():
    import_text(
        paper("s", "Shrinking", "Article-Handle: RePEc:abc:journl:s1", "Chapter-Handle: RePEc:abc:chapts:s2")
        + template("Article", "journl:s1", "Shrinking, the article")
        + template("Chapter", "chapts:s2", "Shrinking, the chapter")
        + paper("sx", "Citing the chapter", authors=("Carl Citer",))
        + paper("sy", "Citing the paper", authors=("Carl Citer",))
    )
    wp, article, chapter = item("wpaper:s"), item("journl:s1"), item("chapts:s2")
    cite(item("wpaper:sx"), chapter), cite(item("wpaper:sy"), wp)
    refresh_citation_counts([wp.pk, chapter.pk])
    assert set(Item.objects.filter(version_group=wp.pk).values_list("group_citation_count", flat=True)) == {2}
    import_text(paper("s", "Shrinking", "Article-Handle: RePEc:abc:journl:s1"))  # the chapter is no longer named
    wp.refresh_from_db(), article.refresh_from_db(), chapter.refresh_from_db()
    assert (chapter.version_group, chapter.group_citation_count, chapter.group_self_citation_count) == (None,) * 3
    assert wp.version_group == article.version_group == wp.pk  # the group's id stays: its counts still move
    assert (wp.group_citation_count, article.group_citation_count) == (1, 1)


@pytest.mark.parametrize("size", [2, 8])
def test_pages_keep_their_query_counts_whatever_the_group_size(
    client, size, person_factory, django_assert_max_num_queries
):
    names = "".join(f"Article-Handle: RePEc:abc:journl:g{n}\n" for n in range(size - 1)).strip().split("\n")
    import_text(
        paper("g", "A work in many versions", *names)
        + "".join(template("Article", f"journl:g{n}", f"A work in many versions, part {n}") for n in range(size - 1))
        + paper("gc", "Citing them all", authors=("Carl Citer",))
    )
    versions = list(Item.objects.filter(version_group__isnull=False))
    assert len(versions) == size
    assert len({v.version_group for v in versions}) == 1
    citer = item("wpaper:gc")
    for v in versions:
        cite(citer, v)
    refresh_citation_counts([v.pk for v in versions])
    ana = person_factory(short_id="pau8", name_first="Ana", name_last="Autora", name_full="Ana Autora")
    Authorship.objects.filter(item__in=versions, name="Ana Autora").update(person=ana)
    url = versions[0].get_absolute_url()
    with django_assert_max_num_queries(11):
        page = text_of(client.get(url))
    assert page.count("A work in many versions") >= size
    with django_assert_max_num_queries(6):
        page = text_of(client.get("/e/pau8.html"))
    assert '<dd class="citations">1</dd>' in page
    assert '<dd class="h-index">1</dd>' in page
    with django_assert_max_num_queries(4):
        page = client.get("/stats/top/items.html?by=citations").content.decode()
    assert page.count('<td class="figure">') == 1


def test_regrouping_a_batch_takes_a_few_statements_whatever_its_size(django_assert_max_num_queries):
    import_text(
        "".join(
            paper(f"b{n}", f"Batch paper {n}", f"Article-Handle: RePEc:abc:journl:b{n}")
            + template("Article", f"journl:b{n}", f"Batch paper {n}, published")
            for n in range(40)
        )
    )
    ids = list(Item.objects.values_list("pk", flat=True))
    Item.objects.update(version_group=None)
    # groups before (2), items still there (1), one hop of links (5) and the next (5) that finds
    # nothing new, the groups now (1), their update (1), the group counts (2)
    with django_assert_max_num_queries(20):
        moved = regroup(ids)
    assert len(moved) == 80
    assert Item.objects.filter(version_group__isnull=False).values("version_group").distinct().count() == 40


# -- proposals on /me/works/ -----------------------------------------------------------------


@pytest.fixture
def alike(author):
    """Two works of the `author` persona with alike titles and no stated link, and one unlike."""
    import_text(
        paper("p1", "Regional innovation systems in Andalusia", authors=("Ana Autora",))
        + template(
            "Article", "journl:p1", "Regional Innovation Systems in Andalusia", authors=("Ana Autora", "Bo Berg")
        )
        + paper("p2", "Fisheries and the sea", authors=("Ana Autora",))
    )
    person = Person.objects.get(user=author)
    works = [item("wpaper:p1"), item("journl:p1"), item("wpaper:p2")]
    Authorship.objects.filter(item__in=works, name="Ana Autora").update(person=person)
    return works


def logged_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def test_alike_works_are_proposed_and_confirmed_by_their_author(author, alike, django_capture_on_commit_callbacks):
    wp, article, _other = alike
    client = logged_in(author)
    page = text_of(client.get(reverse("my_works")))
    section = page[page.index('id="versions"') : page.index('id="search"')]
    assert "Other versions of your works (1)" in section
    assert "Regional innovation systems in Andalusia" in section
    assert "Fisheries" not in section
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("work_versions"), {"item": article.pk, "other": wp.pk, "same": "yes"})
    assert response.status_code == 302
    link = VersionLink.objects.get()
    assert (link.source, link.person.user, link.item, link.other_key) == ("confirmed", author, article, wp.handle_key)
    wp.refresh_from_db(), article.refresh_from_db()
    assert wp.version_group == article.version_group == min(wp.pk, article.pk)
    page = text_of(client.get(reverse("my_works")))
    assert "Other versions of your works (0)" in page  # one work now: nothing left to propose


def test_a_refused_proposal_is_not_proposed_again_and_groups_nothing(author, alike, django_capture_on_commit_callbacks):
    wp, article, _ = alike
    client = logged_in(author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("work_versions"), {"item": wp.pk, "other": article.pk, "same": "no"})
    assert VersionLink.objects.get().source == "refused"
    assert not Item.objects.filter(version_group__isnull=False).exists()
    assert "Other versions of your works (0)" in text_of(client.get(reverse("my_works")))
    with django_capture_on_commit_callbacks(execute=True):  # a change of mind
        client.post(reverse("work_versions"), {"item": wp.pk, "other": article.pk, "same": "yes"})
    assert list(VersionLink.objects.values_list("source", flat=True)) == ["confirmed"]
    wp.refresh_from_db()
    assert wp.version_group is not None


def test_records_that_state_their_versions_are_not_proposed(author, alike):
    wp, _article, _ = alike
    VersionLink.objects.create(item=wp, other_key="repec:abc:journl:elsewhere", field="article-handle")
    assert "Other versions of your works (0)" in text_of(logged_in(author).get(reverse("my_works")))


def test_only_the_author_of_both_works_decides(author, alike, user_factory, person_factory, client):
    wp, article, _other = alike
    url = reverse("work_versions")
    data = {"item": article.pk, "other": wp.pk, "same": "yes"}
    someone = user_factory(username="someone")
    person_factory(user=someone, short_id="psm1", name_first="Sam", name_last="Meone")
    page = text_of(logged_in(someone).post(url, data, follow=True))
    assert "Both works must be among your claimed works." in page
    assert client.post(url, data).status_code == 302
    assert client.post(url, data)["Location"].startswith("/accounts/login")
    mine = logged_in(author)
    assert mine.get(url).status_code == 405
    assert mine.post(url, {**data, "same": "maybe"}).status_code == 400
    assert mine.post(url, {**data, "item": "x"}).status_code == 400
    assert "A work is not another version of itself." in text_of(
        mine.post(url, {**data, "other": article.pk}, follow=True)
    )
    unclaimed = item("wpaper:p2")
    Authorship.objects.filter(item=unclaimed).update(person=None)
    assert "Both works must be" in text_of(mine.post(url, {**data, "other": unclaimed.pk}, follow=True))
    assert logged_in(author, enforce_csrf_checks=True).post(url, data).status_code == 403
    assert not VersionLink.objects.exists()


@pytest.mark.parametrize("n", [2, 40])
def test_proposals_take_two_queries_whatever_the_number_of_works(author, n, django_assert_num_queries):
    import_text(
        "".join(paper(f"w{i}", f"Study number {i} of regional growth", authors=("Ana Autora",)) for i in range(n))
        + "".join(template("Article", f"journl:w{i}", f"Study number {i} of regional growth") for i in range(n))
    )
    person = Person.objects.get(user=author)
    Authorship.objects.filter(name="Ana Autora").update(person=person)
    with django_assert_num_queries(2):
        found = proposals(person)
    # each working paper with its article (the same title key), never with another study
    assert (
        sorted((p.item.handle_key[-3:], p.other.handle_key[-3:]) for p in found)[:2]
        == [
            (":w0", ":w0"),
            (":w1", ":w1"),
        ][: min(n, 2)]
    )
    assert len(found) == n
