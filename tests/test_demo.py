"""The demo catalogue (manage.py load_demo) rebuilds the IDEAS page of RePEc:ipt:iptwpa:jrc108028."""

import html
import re
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue.browse.institutions import live_works
from catalogue.models import Authorship, Institution, Item, MonthlyStat, NepAnnouncement, Reference, RelatedItem

SEED_URL = "/p/ipt/iptwpa/jrc108028.html"
CITATION = (
    "Fatime Barbara Hegyi & Ruslan Rakhmatullin, 2017. "
    '"Implementing smart specialisation - thematic platform on industrial modernisation," '
    "JRC Research Reports JRC108028, Joint Research Centre (Seville site)."
)
RELATED_TITLES = [
    "Exploitation of patent information in R&D output analysis for policymaking",
    "Smart Specialisation at work: The entrepreneurial discovery as a continuous process",
    "New tech spaces for old tech places?",
    "The innovative potential of scientific and research units in the process of entrepreneurial discovery",
    "Do Key Enabling Technologies shape regional Smart Specialization Strategies?",
    "Do digital skills foster green diversification? A study of European regions",
    "Smart Specialization Strategies and Key Enabling Technologies. Regional evidence from European patent data",
    "Good practices for smart specialisation in energy",
    "Planning strategies and practices in non-core regions: a critical response",
    "Sustainable development of agriculture based on the smart specialisation approach",
    "Unused potential for Smart Specialization development through collaboration: Lithuanian case",
    "Smart Specialisation at work: evidence from the Peer and eXchange and Learning workshops",
    "Quadruple Helix Models for Sustainable Regional Innovation",
    "Multilevel governance for smart specialisation: basic pillars for its construction",
    "Fast Growing and Key Enabling Technologies and their impact on regional growth",
    "Learning opportunities stemming from place-based transformative Smart Specialisation",
    "Digitalisation of Creative Industries Fostered by Collaborative Governance",
    "Smart systems of innovation for smart places",
    "Innovation Camps Methodology Handbook",
    "Leadership Impact on Motivation and Commitment in Interregional Collaboration",
]


def load_demo() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def text_of(response) -> str:
    """The page's visible text: tags dropped, entities unescaped, white space collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def section(response, name: str) -> str:
    """The HTML of the page's <section id=name>."""
    body = response.content.decode()
    match = re.search(rf'<section id="{name}"[^>]*>(.*?)</section>', body, flags=re.S)
    assert match, f"no section {name!r} on the page"
    return match.group(1)


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.fixture
def seed_page(db, client):
    load_demo()
    response = client.get(SEED_URL)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_load_demo_imports_cleanly_and_names_the_seed_page():
    out, err = load_demo()
    assert "errors 0; warnings 0" in out
    assert "warning" not in err.lower()
    assert "error" not in err.lower()
    assert SEED_URL in out


@pytest.mark.django_db
def test_load_demo_fails_loudly_and_writes_nothing_when_an_import_fails(tmp_path, monkeypatch):
    from catalogue.management.commands import load_demo as command

    demo = tmp_path / "demo"
    shutil.copytree(command.DEMO_DIR, demo)
    with open(demo / "ipt" / "iptwpa.rdf", "a", encoding="utf-8") as rdf:
        rdf.write("\nTemplate-Type: ReDIF-Paper 1.0\nTitle: A paper without handle or author\n")
    monkeypatch.setattr(command, "DEMO_DIR", demo)
    with pytest.raises(CommandError):
        load_demo()
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_seed_page_shows_the_item(seed_page):
    text = text_of(seed_page)
    assert "Implementing smart specialisation - thematic platform on industrial modernisation" in text
    assert "Fatime Barbara Hegyi" in text
    assert "Ruslan Rakhmatullin" in text
    assert "drive the development of transnational and macro-regional value chains" in text
    assert "RePEc:ipt:iptwpa:jrc108028" in text
    assert "https://publications.jrc.ec.europa.eu/" in text
    assert "application/pdf" in text


@pytest.mark.django_db
def test_suggested_citation_is_exact_and_escaped(seed_page):
    assert CITATION in text_of(seed_page)
    suggested = section(seed_page, "citation")
    assert "Hegyi &amp; Ruslan Rakhmatullin" in suggested  # escaped in the HTML, exact once unescaped
    assert CITATION not in suggested


@pytest.mark.django_db
def test_registered_authors_are_linked(seed_page, client):
    authors = section(seed_page, "authors")
    assert re.search(r'<a href="/e/pra123\.html"[^>]*>Ruslan Rakhmatullin</a>', authors)
    assert "<li>Fatime Barbara Hegyi</li>" in authors  # left for a newcomer to claim
    person = client.get("/e/pra123.html")
    assert person.status_code == 200
    listed = text_of(person)
    for title in [
        "Implementing smart specialisation - thematic platform on industrial modernisation",
        "Implementing Smart Specialisation Strategies: A Handbook",
        "Preliminary report on KETs priorities",
        "Developing an Evaluation Framework",
    ]:
        assert title in listed


@pytest.mark.django_db
def test_references_both_matched_and_unmatched(seed_page):
    refs = section(seed_page, "references")
    matched = refs.split('id="full-references"')[0]
    assert 'href="/p/ipt/iptwpa/jrc84659.html"' in matched
    assert 'href="/p/ipt/iptwpa/jrc102764.html"' in matched
    assert "Preliminary report on KETs priorities declared by regions" in plain(matched)
    assert "Implementing Smart Specialisation Strategies: A Handbook" in plain(matched)
    seed = Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028")
    statuses = list(seed.references.order_by("position").values_list("status", flat=True))
    assert statuses.count(Reference.Status.MATCHED) == 2
    assert 2 <= statuses.count(Reference.Status.UNMATCHED) <= 3
    assert "Foray, D. (2015)" in plain(refs)  # an unmatched one is in the full list


@pytest.mark.django_db
def test_cited_by_three_items(seed_page):
    cited = section(seed_page, "cited-by")
    assert "Cited by 3 items" in plain(cited)
    for url in [
        "/p/ipt/iptwpa/jrc120392.html",
        "/a/taf/regstd/v54y2020i10p1341-1353.html",
        "/p/ipt/iptwpa/jrc114273.html",
    ]:
        assert f'href="{url}"' in cited
    assert "Regional Studies, Taylor & Francis Journals, vol. 54(10), pages 1341-1353, October." in plain(cited)
    assert Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028").citation_count == 3


@pytest.mark.django_db
def test_a_working_paper_and_its_article_are_one_work(seed_page, client):
    """The demo's version pair (issue 20): the article states `Paper-Handle`, one working paper
    cites both, another the article only; each page lists its own citers, the work counts once."""
    paper = client.get("/p/ipt/iptwpa/jrc120392.html")
    versions = plain(section(paper, "versions"))
    assert "Evaluating the thematic approach to smart specialisation" in versions
    cited = plain(section(paper, "cited-by"))
    assert "Cited by 1 item" in cited
    assert "Monitoring smart specialisation" in cited
    assert "Thematic partnerships" not in cited
    assert "Cited 2 times across its versions" in cited
    article = client.get("/a/gam/jsusta/v13y2021i9p1-18.html")
    assert "Developing an Evaluation Framework" in plain(section(article, "versions"))
    assert "Cited by 2 items" in plain(section(article, "cited-by"))
    ruslan = client.get("/e/pra123.html")
    works = Item.objects.filter(authorships__person__short_id="pra123").distinct()
    groups = {(w.version_group or w.pk): (w.group_citation_count or w.citation_count) for w in works}
    assert len(groups) == works.count() - 1  # the paper and its article: one work
    assert f'<dd class="citations">{sum(groups.values())}' in ruslan.content.decode()


@pytest.mark.django_db
def test_most_related_items_come_from_the_reference_graph(seed_page):
    related = plain(section(seed_page, "related"))
    found = [title for title in RELATED_TITLES if title in related]
    assert len(found) >= 10, f"only {len(found)} of the 20 related items: {found}"
    assert "Scientometrics, Springer;Akadémiai Kiadó, vol. 121(3), pages 1717-1736, December." in related
    # the works it cites and the works citing it are not "related" to it
    assert "A Handbook" not in related
    assert "Arctic" not in related


@pytest.mark.django_db
def test_keywords_jel_and_nep(seed_page, client):
    more = section(seed_page, "more")
    for keyword in [
        "Regional innovation policy",
        "smart specialisation",
        "industrial policy",
        "trans-regional cooperation",
        "Thematic Smart Specialisation Platform on Industrial Modernisation",
    ]:
        assert re.search(rf'<a href="(/k/[^"]+)">{re.escape(keyword)}</a>', more), keyword
    link = re.search(r'<a href="(/k/[^"]+)">smart specialisation</a>', more).group(1)
    assert "Implementing smart specialisation - thematic platform" in text_of(client.get(link))
    assert 'href="/j/O31.html"' in more
    text = plain(more)
    for report in ["NEP-INO-2017-11-20", "NEP-URE-2017-11-20", "NEP-TID-2017-11-20"]:
        assert report in text
    issue = client.get("/n/nep-ino/2017-11-20.html")
    assert issue.status_code == 200
    assert "Smart Specialisation at work: The entrepreneurial discovery" in text_of(issue)


@pytest.mark.django_db
def test_maintainer_contact_and_statistics(seed_page, client):
    corrections = plain(section(seed_page, "corrections"))
    assert "Publication Officer" in corrections
    assert "jrc-publications@example.org" in corrections
    stats = client.get("/stats/p/ipt/iptwpa/jrc108028.html")
    assert stats.status_code == 200
    seed = Item.objects.get(handle_key="repec:ipt:iptwpa:jrc108028")
    assert seed.monthly_stats.count() == 12


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing():
    load_demo()

    def counts():
        return {
            model.__name__: model.objects.count()
            for model in (Item, Reference, Authorship, RelatedItem, NepAnnouncement, MonthlyStat)
        } | {"linked": Authorship.objects.filter(person__isnull=False).count()}

    first = counts()
    stats = list(MonthlyStat.objects.order_by("item__handle_key", "month").values_list("abstract_views", "downloads"))
    out, _ = load_demo()
    assert counts() == first
    assert (
        list(MonthlyStat.objects.order_by("item__handle_key", "month").values_list("abstract_views", "downloads"))
        == stats
    )
    assert "created 0; updated 0;" in out
    assert first["Item"] == 29  # 26 of the seed page, and a version pair's article and two citers (issue 20)


@pytest.mark.django_db
def test_demo_accounts_only_in_debug(settings, django_user_model):
    settings.DEBUG = False
    call_command("load_demo", verbosity=0)
    assert not django_user_model.objects.exists()
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    publisher = django_user_model.objects.get(username="publisher")
    assert publisher.is_staff
    assert not publisher.is_superuser
    assert publisher.check_password("demo-publisher-pass")
    assert [a.code for a in publisher.published_archives.all()] == ["ipt"]
    assert django_user_model.objects.get(username="staff").is_superuser


@pytest.mark.django_db
def test_an_institution_with_two_registered_authors_and_its_ranking(client):
    """Issue 20: the demo's Seville site of the JRC, its two authors, its parent, the directory and the ranking."""
    load_demo()
    page = client.get("/i/jrcsees.html")
    assert page.status_code == 200
    authors = section(page, "authors")
    assert re.findall(r'<a href="/e/(\w+)\.html">([^<]+)</a>', authors) == [
        ("pma456", "Elisabetta Marinelli"),
        ("pra123", "Ruslan Rakhmatullin"),
    ]
    assert "(60%)" in authors
    listed = text_of(page)
    assert "Part of Joint Research Centre (JRC)" in listed
    assert "Implementing smart specialisation - thematic platform on industrial modernisation" in listed
    assert re.search(r"Rank 1</a> by citations", page.content.decode())
    # its works come from the kept list load_demo built: the same as read live, and counted
    seville = Institution.objects.get(code="jrcsees")
    works = [item_id for _, item_id in live_works(seville.pk)]
    assert works
    assert seville.work_count == len(works)
    assert list(seville.works.order_by("-year", "-item_id").values_list("item_id", flat=True)) == works
    assert f"{len(works)} work" in listed
    assert "Spain (1)" in text_of(client.get("/i/"))
    ranking = text_of(client.get("/stats/top/institutions.html?by=citations&period=all"))
    assert "1 Joint Research Centre (Seville site) 2" in ranking
