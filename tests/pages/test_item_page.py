"""The item page: each section of the IDEAS page, redirects, 404s, and a constant query count."""

import html

import pytest

from catalogue.citations.counts import refresh_citation_counts
from catalogue.models import Kind, Reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(item_factory, series_factory, archive_factory, authorship_factory, person_factory, file_factory):
    archive = archive_factory(
        code="ipt", name="Joint Research Centre (Seville site)", maintainer_email="po@example.org"
    )
    series = series_factory(
        archive=archive,
        code="iptwpa",
        handle="RePEc:ipt:iptwpa",
        name="JRC Research Reports",
        provider_name="Joint Research Centre (Seville site)",
        maintainer_name="Publication Officer",
        maintainer_email="po@example.org",
    )
    item = item_factory(
        series=series,
        slug="jrc108028",
        handle="RePEc:ipt:iptwpa:jrc108028",
        title="Implementing smart specialisation - thematic platform on industrial modernisation",
        abstract="This paper offers an overview of policy & economic reasons <b>behind</b> the launch.",
        year=2017,
        creation_date="2017-10",
        number="JRC108028",
        doi="10.2760/12345",
    )
    authorship_factory(item=item, position=0, name="Fatime Barbara Hegyi")
    person = person_factory(short_id="pra123", name_full="Ruslan Rakhmatullin")
    authorship_factory(item=item, position=1, name="Ruslan Rakhmatullin", person=person)
    file_factory(item=item, url="https://example.org/jrc108028.pdf", format="application/pdf", function="Full text")
    return item


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_sections_of_the_seed_page(
    client,
    seed,
    item_factory,
    authorship_factory,
    reference_factory,
    keyword_factory,
    item_keyword_factory,
    jel_code_factory,
    nep_announcement_factory,
    related_item_factory,
):
    cited = item_factory(
        series=seed.series, title="Preliminary report on KETs priorities", year=2013, number="JRC84659"
    )
    authorship_factory(item=cited, position=0, name="Jens Sörvik")
    reference_factory(
        citing=seed,
        position=0,
        raw_text="Sörvik J. (2013) Preliminary report",
        target=cited,
        status=Reference.Status.MATCHED,
    )
    reference_factory(citing=seed, position=1, raw_text="An unmatched book, 1999, Oxford.")
    citing = item_factory(series=seed.series, title="Developing an Evaluation Framework", year=2020)
    reference_factory(citing=citing, position=0, raw_text="Hegyi 2017", target=seed, status=Reference.Status.MATCHED)
    uncertain = item_factory(series=seed.series, title="Only uncertain citer")
    reference_factory(citing=uncertain, position=0, raw_text="Hegyi?", target=seed, status=Reference.Status.UNCERTAIN)
    refresh_citation_counts([seed.pk])
    item_keyword_factory(item=seed, keyword=keyword_factory(name="smart specialisation"), position=0)
    seed.jel_codes.add(jel_code_factory(code="O31"))
    nep_announcement_factory(
        item=seed, issue__report__code="nep-ino", issue__report__name="Innovation", issue__date="2017-11-20"
    )
    related = item_factory(title="Smart Specialisation at work")
    related_item_factory(item=seed, related=related, rank=0, score=0.9)

    response = client.get("/p/ipt/iptwpa/jrc108028.html")
    assert response.status_code == 200
    text = page_text(response)
    assert (
        '<h1 id="title">Implementing smart specialisation - thematic platform on industrial modernisation</h1>' in text
    )
    assert '<a href="/e/pra123.html" class="registered">Ruslan Rakhmatullin</a>' in text
    assert "Fatime Barbara Hegyi" in text
    assert (
        'Fatime Barbara Hegyi & Ruslan Rakhmatullin, 2017. "Implementing smart specialisation - thematic platform '
        'on industrial modernisation," JRC Research Reports JRC108028, Joint Research Centre (Seville site).'
    ) in text
    assert "RePEc:ipt:iptwpa:jrc108028" in text
    assert "https://doi.org/10.2760/12345" in text
    assert "https://example.org/jrc108028.pdf" in text
    assert "Download Restriction:" in text
    # references: the matched one links to its item, the full list has both
    assert f'"<a href="{cited.get_absolute_url()}">Preliminary report on KETs priorities</a>,"' in text
    assert "An unmatched book, 1999, Oxford." in text
    # cited by: the matched citer, not the uncertain one
    assert "Cited by 1 item:" in text
    assert "Developing an Evaluation Framework" in text
    assert "Only uncertain citer" not in text
    assert "Smart Specialisation at work" in text
    assert '<a href="/k/smart%20specialisation.html">smart specialisation</a>' in text
    assert '<a href="/j/O31.html">O31</a>' in text
    assert "NEP-INO-2017-11-20" in text
    assert "(Innovation)" in text
    assert "Publication Officer" in text
    assert "mailto:po@example.org" in text
    assert "/stats/p/ipt/iptwpa/jrc108028.html" in text


def test_imported_text_is_escaped(client, seed):
    body = client.get(seed.get_absolute_url()).content.decode()
    assert "<b>behind</b>" not in body
    assert "&lt;b&gt;behind&lt;/b&gt;" in body


def test_google_scholar_meta_tags(client, seed):
    text = page_text(client.get(seed.get_absolute_url()))
    assert '<meta name="citation_title" content="Implementing smart specialisation' in text
    assert text.count('<meta name="citation_author"') == 2
    assert '<meta name="citation_author" content="Fatime Barbara Hegyi">' in text
    assert '<meta name="citation_publication_date" content="2017/10">' in text
    assert '<meta name="citation_technical_report_number" content="JRC108028">' in text
    assert '<meta name="citation_technical_report_institution" content="Joint Research Centre (Seville site)">' in text
    assert '<meta name="citation_pdf_url" content="https://example.org/jrc108028.pdf">' in text
    assert '<meta name="citation_doi" content="10.2760/12345">' in text


def test_article_citation_and_meta(client, item_factory, series_factory, authorship_factory):
    series = series_factory(
        code="regstd", name="Regional Studies", kind=Kind.ARTICLE, provider_name="Taylor & Francis Journals"
    )
    item = item_factory(
        series=series,
        kind=Kind.ARTICLE,
        slug="v54y2020i10p1341-1353",
        title="Cohesion Policy incentives",
        year=2020,
        volume="54",
        issue="10",
        pages="1341-1353",
        month="October",
    )
    authorship_factory(item=item, position=0, name="Riccardo Crescenzi")
    response = client.get(f"/a/{series.archive.code}/regstd/v54y2020i10p1341-1353.html")
    text = page_text(response)
    assert (
        'Riccardo Crescenzi, 2020. "Cohesion Policy incentives," Regional Studies, Taylor & Francis Journals, '
        "vol. 54(10), pages 1341-1353, October."
    ) in text
    assert '<meta name="citation_journal_title" content="Regional Studies">' in text
    assert '<meta name="citation_firstpage" content="1341">' in text
    assert '<meta name="citation_lastpage" content="1353">' in text


def test_noncanonical_addresses_redirect_permanently(client, seed):
    assert client.get("/p/IPT/IPTWPA/JRC108028.html").headers["Location"] == "/p/ipt/iptwpa/jrc108028.html"
    response = client.get("/a/ipt/iptwpa/jrc108028.html")
    assert response.status_code == 301
    assert response.headers["Location"] == "/p/ipt/iptwpa/jrc108028.html"


def test_handle_resolver(client, seed):
    response = client.get("/h/RePEc:ipt:iptwpa:jrc108028")
    assert response.status_code == 301
    assert response.headers["Location"] == seed.get_absolute_url()
    assert client.get("/h/repec:IPT:iptwpa:JRC108028").headers["Location"] == seed.get_absolute_url()
    seed.aliases.create(handle="RePEc:ipt:iptwpa:old-number")
    assert client.get("/h/RePEc:ipt:iptwpa:old-number").headers["Location"] == seed.get_absolute_url()
    assert client.get("/h/RePEc:ipt:iptwpa").headers["Location"] == "/s/ipt/iptwpa.html"


def test_unknown_handle_and_item_get_a_404_that_says_so(client, seed):
    response = client.get("/h/RePEc:ipt:iptwpa:nope")
    assert response.status_code == 404
    assert "No item, series or archive has the handle RePEc:ipt:iptwpa:nope." in page_text(response)
    response = client.get("/p/ipt/iptwpa/nope.html")
    assert response.status_code == 404
    assert "There is no item at /p/ipt/iptwpa/nope.html." in page_text(response)


def test_query_count_is_constant_with_200_references_and_500_citations(
    client,
    seed,
    item_factory,
    authorship_factory,
    reference_factory,
    related_item_factory,
    django_assert_max_num_queries,
):
    # 1 item + 2 authorships + 3 keywords + 4 JEL + 5 files + 6 NEP + 7 references + 8 citing items
    # + 9 related + 10 other versions + 11 authorships of every listed item = 11 queries.
    def page():
        with django_assert_max_num_queries(11):
            response = client.get(seed.get_absolute_url())
        assert response.status_code == 200
        return page_text(response)

    small = page()
    assert "No item in the catalogue is known to cite this one yet." in small
    targets = item_factory.create_batch(200, series=seed.series)
    for i, target in enumerate(targets):
        authorship_factory(item=target, position=0)
        authorship_factory(item=target, position=1)
        reference_factory(citing=seed, position=i, target=target, status=Reference.Status.MATCHED)
    citers = item_factory.create_batch(500)
    Reference.objects.bulk_create(
        Reference(citing=c, position=0, raw_text="x", target=seed, status=Reference.Status.MATCHED) for c in citers
    )
    for c in citers[:50]:
        authorship_factory(item=c, position=0)
    for rank, target in enumerate(targets[:20]):
        related_item_factory(item=seed, related=target, rank=rank)
    refresh_citation_counts([seed.pk])
    big = page()
    assert "Cited by 500 items:" in big
    # the newest 50 citing items are listed, with a link to all of them
    assert f'<a href="{citers[-1].get_absolute_url()}">' in big
    assert f'<a href="{citers[0].get_absolute_url()}">' not in big
    assert '<a href="/citations/p/ipt/iptwpa/jrc108028.html">All 500 citing items</a>' in big
    assert big.count(f'<a href="{targets[0].get_absolute_url()}">') >= 2  # in references and related items


def test_cited_by_page_lists_every_citing_item_paginated(
    client, seed, item_factory, authorship_factory, django_assert_max_num_queries
):
    citers = item_factory.create_batch(60)
    Reference.objects.bulk_create(
        Reference(citing=c, position=0, raw_text="x", target=seed, status=Reference.Status.MATCHED) for c in citers
    )
    # the same item citing twice is listed once; an uncertain citation is not listed
    Reference.objects.create(citing=citers[0], position=1, raw_text="y", target=seed, status="confirmed")
    doubter = item_factory(title="A doubtful citer")
    Reference.objects.create(citing=doubter, position=0, raw_text="z", target=seed, status="uncertain")
    for c in citers:
        authorship_factory(item=c, position=0)
    # item, count, page of items, their authorships
    with django_assert_max_num_queries(4):
        first = page_text(client.get("/citations/p/ipt/iptwpa/jrc108028.html"))
    assert "60 items, page 1 of 2" in first
    second = page_text(client.get("/citations/p/ipt/iptwpa/jrc108028.html?page=2"))
    listed = [c for c in citers if f'<a href="{c.get_absolute_url()}">' in first + second]
    assert len(listed) == 60
    assert "A doubtful citer" not in first + second
    assert client.get("/citations/p/IPT/iptwpa/jrc108028.html").status_code == 301
    assert client.get("/citations/p/ipt/iptwpa/nope.html").status_code == 404
