"""Exports of a reference at `/cite/<handle>.<ext>`, each parsed back by a well-known reader:
bibtexparser v2 (with its LaTeX decoding), rispy, json, and our own ReDIF importer."""

import json
import re

import bibtexparser
import pybtex.database
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.core.management import call_command
from pylatexenc.latex2text import LatexNodes2Text

from catalogue.formatting.citation import suggested_citation
from catalogue.ingest.importer import Importer
from catalogue.models import HandleAlias, Item, Keyword
from catalogue.redif import parse_text

pytestmark = pytest.mark.django_db

HANDLE = "RePEc:sor:wpaper:2017-01"
TITLE = 'Growth & {Braces}: 50% of Sörvik\'s "data" at $5 #1 in_a ~ C:\\ path'
ABSTRACT = "First paragraph: über & 100%.\n\nNote: this line looks like a ReDIF field.\n\n# and this like a comment."
PAGE = "http://testserver/p/sor/wpaper/2017-01.html"


@pytest.fixture
def item(
    archive_factory,
    series_factory,
    item_factory,
    authorship_factory,
    person_factory,
    keyword_factory,
    item_keyword_factory,
    jel_code_factory,
    file_factory,
):
    archive = archive_factory(code="sor", name="Sörvik Institute")
    series = series_factory(archive=archive, code="wpaper", name="Working Papers", provider_name="Sörvik & Co")
    item = item_factory(
        series=series,
        slug="2017-01",
        handle=HANDLE,
        title=TITLE,
        abstract=ABSTRACT,
        year=2017,
        creation_date="2017-10",
        revision_date="2018-02-03",
        number="2017-01",
        length="42 pages",
        doi="10.1234/sör.2017_01",
        language="en",
        publication_status="Published in Journal of Growth & Braces, 2019",
        note="50% revised",
    )
    authorship_factory(
        item=item,
        position=0,
        name="Jens Sörvik",
        email="jens@example.org",
        workplace="Lund University & Co",
        homepage="https://example.org/~jens",
    )
    person = person_factory(short_id="pva12", name_first="Ana María", name_last="van der Berg")
    authorship_factory(item=item, position=1, name="Ana María van der Berg", person=person)
    authorship_factory(item=item, position=2, name="UNESCO")
    for position, name in enumerate(["R&D", "smart specialisation", "Öresund region"]):
        item_keyword_factory(item=item, keyword=keyword_factory(name=name), position=position)
    item.jel_codes.add(jel_code_factory(code="O31"), jel_code_factory(code="R11", name="Regional growth"))
    file_factory(item=item, position=0, url="https://example.org/wp_2017-01.pdf", function="Full text")
    file_factory(item=item, position=1, url="https://example.org/data?id=1&v=2", format="text/csv", function="Data")
    return item


def get_export(client, extension, handle=HANDLE):
    return client.get(f"/cite/{handle}.{extension}")


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    assert len(library.entries) == 1
    return library.entries[0]


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [
        ("bib", "application/x-bibtex; charset=utf-8"),
        ("ris", "application/x-research-info-systems; charset=utf-8"),
        ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
        ("rdf", "text/plain; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
    ],
)
def test_each_format_is_a_download_named_after_the_handle(client, item, extension, content_type):
    response = get_export(client, extension)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="RePEc_sor_wpaper_2017-01.{extension}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_bibtex_parses_back_with_special_characters(client, item):
    text = get_export(client, "bib").content.decode()
    assert "Sörvik" in text  # accents stay UTF-8; only LaTeX's specials are escaped
    assert r"Growth \& \{Braces\}: 50\% of" in text
    entry = parse_bibtex(text)
    assert entry.entry_type == "techreport"
    assert entry.key == HANDLE
    assert entry["title"] == TITLE
    assert entry["author"] == "Sörvik, Jens and van der Berg, Ana María and UNESCO"
    assert entry["year"] == "2017"
    assert entry["institution"] == "Sörvik & Co"
    assert entry["type"] == "Working Papers"
    assert entry["number"] == "2017-01"
    assert entry["doi"] == "10.1234/sör.2017_01"
    assert entry["url"] == PAGE
    assert entry["keywords"] == "R&D, smart specialisation, Öresund region"
    assert entry["note"] == "Published in Journal of Growth & Braces, 2019"
    assert entry["abstract"] == " ".join(ABSTRACT.split())


def test_bibtex_names_keep_multiword_family_names(client, item):
    """Without the decoding, the raw names are what BibTeX's name parser reads."""
    library = bibtexparser.parse_string(get_export(client, "bib").content.decode())
    assert library.entries[0]["author"] == "Sörvik, Jens and van der Berg, Ana María and {UNESCO}"


def test_bibtex_caret_is_escaped(client, item):
    item.title = "x^2 & y_1"
    item.save()
    text = get_export(client, "bib").content.decode()
    assert r"x\textasciicircum{}2 \& y\_1" in text
    # pylatexenc reads \textasciicircum as the modifier letter circumflex, not "^"
    assert parse_bibtex(text)["title"] == "xˆ2 & y_1"


#: Values that close the field early for a reader counting every brace, escaped or not (BibTeX,
#: biber's btparse, pybtex): the first is the audit's injection of a `url` field.
HOSTILE_BRACES = [
    'Growth}, url = "https://evil.example/", note = {x',
    "Growth}, url = {https://evil.example/}, note = {",
    "Sets {a, b} and {c",
    "}}} {{{ } {",
    "a \\} b \\{",
]


def bibtex_fields_as_written(text: str) -> set[str]:
    """The names of the fields as the export writes them: one `  name = {` per line."""
    return set(re.findall(r"^  (\w+) = \{", text, flags=re.MULTILINE))


def assert_counted_braces_balance(text: str) -> None:
    """BibTeX's own rule: inside a field's braces every `{` and `}` counts, a backslash before it
    or not, and the field ends where they balance; so each value must balance on its own."""
    for line in text.splitlines()[1:-1]:  # the fields, between `@type{key,` and `}`
        value = re.fullmatch(r"  \w+ = \{(.*)\},", line)[1]
        depth = 0
        for char in value:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, line
        assert depth == 0, line


@pytest.mark.parametrize("value", HOSTILE_BRACES)
def test_bibtex_braces_stay_inside_their_field_for_every_reader(client, item, value):
    item.title = value
    item.abstract = value
    item.save()
    text = get_export(client, "bib").content.decode()
    assert_counted_braces_balance(text)
    written = bibtex_fields_as_written(text)
    assert {"title", "abstract", "url"} <= written
    # bibtexparser 2, escaped braces not counted, LaTeX decoded: the original text
    entry = parse_bibtex(text)
    assert set(entry.fields_dict) == written
    assert (entry["title"], entry["abstract"], entry["url"]) == (value, value, PAGE)
    # pybtex, every brace counted: the same fields, which decode to the same text
    [(key, parsed)] = pybtex.database.parse_string(text, "bibtex").entries.items()
    assert key == HANDLE
    assert {name.lower() for name in parsed.fields} | set(parsed.persons) == written
    assert parsed.fields["url"] == PAGE
    decode = LatexNodes2Text().latex_to_text
    assert (decode(parsed.fields["title"]), decode(parsed.fields["abstract"])) == (value, value)


def test_ris_parses_back(client, item):
    text = get_export(client, "ris").content.decode()
    assert text.startswith("TY  - RPRT\n")
    assert text.endswith("ER  - \n")
    [entry] = rispy.loads(text)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["id"] == HANDLE
    assert entry["title"] == TITLE
    assert entry["authors"] == ["Sörvik, Jens", "van der Berg, Ana María", "UNESCO"]
    assert entry["year"] == "2017"
    assert entry["date"] == "2017/10"
    assert entry["secondary_title"] == "Working Papers"
    assert entry["number"] == "2017-01"
    assert entry["publisher"] == "Sörvik & Co"
    assert entry["doi"] == "10.1234/sör.2017_01"
    assert entry["keywords"] == ["R&D", "smart specialisation", "Öresund region"]
    assert entry["urls"] == [PAGE, "https://example.org/wp_2017-01.pdf", "https://example.org/data?id=1&v=2"]
    assert entry["abstract"] == " ".join(ABSTRACT.split())  # one line per tag


def test_csl_json_parses_back(client, item):
    [data] = json.loads(get_export(client, "json").content)
    assert data["id"] == HANDLE
    assert data["type"] == "report"
    assert data["title"] == TITLE
    assert data["author"] == [
        {"family": "Sörvik", "given": "Jens"},
        {"family": "van der Berg", "given": "Ana María"},
        {"literal": "UNESCO"},
    ]
    assert data["issued"] == {"date-parts": [[2017, 10]]}
    assert data["collection-title"] == "Working Papers"
    assert data["number"] == "2017-01"
    assert data["publisher"] == "Sörvik & Co"
    assert data["DOI"] == "10.1234/sör.2017_01"
    assert data["URL"] == PAGE
    assert data["abstract"] == ABSTRACT


@pytest.mark.parametrize(
    ("kind", "bibtex", "ris", "csl"),
    [
        ("article", "article", "JOUR", "article-journal"),
        ("chapter", "incollection", "CHAP", "chapter"),
        ("book", "book", "BOOK", "book"),
        ("software", "misc", "COMP", "software"),
    ],
)
def test_types_per_kind(client, item, kind, bibtex, ris, csl):
    Item.objects.filter(pk=item.pk).update(kind=kind, journal="Journal of Growth", book_title="A Book", volume="5")
    assert parse_bibtex(get_export(client, "bib").content.decode()).entry_type == bibtex
    assert rispy.loads(get_export(client, "ris").content.decode())[0]["type_of_reference"] == ris
    data = json.loads(get_export(client, "json").content)[0]
    assert data["type"] == csl
    if kind == "article":
        assert data["container-title"] == "Journal of Growth"
        assert data["volume"] == "5"


def test_plain_text_is_the_suggested_citation(client, item):
    text = get_export(client, "txt").content.decode()
    assert text == f"{suggested_citation(item)}\nHandle: {HANDLE}\n{PAGE}\n"
    assert 'Jens Sörvik & Ana María van der Berg & UNESCO, 2017. "Growth & {Braces}' in text


# -- ReDIF: what is exported imports back to the same record -------------------------------


def snapshot(handle=HANDLE) -> dict:
    item = Item.objects.for_export().get(handle_key=handle.lower())
    fields = {
        f.name: getattr(item, f.name)
        for f in Item._meta.concrete_fields
        if f.name not in ("id", "source", "fingerprint", "created_at", "updated_at", "citation_count")
    }
    # not the authors' e-mail addresses: a public export leaves them out (DECISIONS.md, D23)
    fields["authorships"] = [
        (a.position, a.role, a.name, a.workplace, a.homepage, a.person_id) for a in item.authorships.all()
    ]
    fields["keywords"] = [link.keyword.name for link in item.item_keywords.all()]
    fields["jel"] = sorted(j.code for j in item.jel_codes.all())
    fields["files"] = [(f.url, f.format, f.function, f.restriction, f.size) for f in item.files.all()]
    return fields


def reimport(text: str):
    importer = Importer()
    importer.import_templates(parse_text(text, "export.rdf"))
    report = importer.finish()
    assert not report.errors
    assert not report.warnings
    return report


def test_redif_export_imports_back_to_the_same_record(client, item):
    before = snapshot()
    text = get_export(client, "rdf").content.decode()
    assert text.startswith("Template-Type: ReDIF-Paper 1.0\n")
    assert item.authorships.exclude(email="").exists()
    assert "Author-Email" not in text
    Item.objects.get(pk=item.pk).delete()
    reimport(text)
    assert snapshot() == before


def test_redif_reimport_restores_a_changed_record(client, item):
    before = snapshot()
    text = get_export(client, "rdf").content.decode()
    item.title = "Something else"
    item.save()
    item.authorships.filter(position=0).delete()
    item.files.all().delete()
    item.item_keywords.all().delete()
    item.jel_codes.clear()
    reimport(text)
    assert snapshot() == before


@pytest.mark.parametrize("kind", ["article", "chapter", "book", "software"])
def test_redif_round_trip_of_every_kind(client, item, authorship_factory, kind):
    Item.objects.filter(pk=item.pk).update(
        kind=kind,
        journal="Journal of Growth",
        volume="5",
        issue="2",
        pages="1-20",
        book_title="A Book",
        publisher="Press & Sons",
        edition="2",
        isbn="978-3-16-148410-0",
        issn="1234-5678",
        programming_language="Stata",
    )
    authorship_factory(item=item, position=3, role="editor", name="Eda Editor")
    before = snapshot()
    text = get_export(client, "rdf").content.decode()
    assert text.startswith(f"Template-Type: ReDIF-{kind.capitalize()} 1.0\n")
    Item.objects.get(pk=item.pk).delete()
    reimport(text)
    assert snapshot() == before


def test_redif_keeps_a_lone_keyword_with_a_comma(client, item):
    item.item_keywords.exclude(position=0).delete()
    Keyword.objects.filter(name="R&D").update(name="growth, regional")
    before = snapshot()
    assert before["keywords"] == ["growth, regional"]
    text = get_export(client, "rdf").content.decode()
    Item.objects.get(pk=item.pk).delete()
    reimport(text)
    assert snapshot()["keywords"] == ["growth, regional"]


# -- addresses -----------------------------------------------------------------------------


def test_export_takes_five_queries_and_redif_six(client, item, django_assert_num_queries):
    # 1 the item with series and archive, 2 authorships with persons, 3 keywords, 4 JEL, 5 files
    with django_assert_num_queries(5):
        assert get_export(client, "bib").status_code == 200
    with django_assert_num_queries(6):  # and 6 its version links, which ReDIF writes
        assert get_export(client, "rdf").status_code == 200


def test_unknown_handle_and_format_are_404(client, item):
    response = get_export(client, "bib", handle="RePEc:sor:wpaper:nope")
    assert response.status_code == 404
    assert "RePEc:sor:wpaper:nope" in response.content.decode()
    response = get_export(client, "docx")
    assert response.status_code == 404
    assert ".docx" in response.content.decode()
    assert get_export(client, "", handle=HANDLE).status_code == 404


def test_old_handle_and_other_case_redirect_to_the_current_handle(client, item):
    HandleAlias.objects.create(item=item, handle="RePEc:sor:wpaper:old-1")
    response = get_export(client, "ris", handle="RePEc:sor:wpaper:old-1")
    assert response.status_code == 301
    assert response["Location"] == f"/cite/{HANDLE}.ris"
    response = get_export(client, "ris", handle=HANDLE.lower())
    assert response.status_code == 301
    assert response["Location"] == f"/cite/{HANDLE}.ris"


def test_handle_with_dots_keeps_them(client, item_factory, authorship_factory):
    dotted = item_factory(handle="RePEc:abc:wpaper:v.1.2", slug="v.1.2", title="Dotted")
    authorship_factory(item=dotted, name="Al Dot")
    response = client.get("/cite/RePEc:abc:wpaper:v.1.2.bib")
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"] == 'attachment; filename="RePEc_abc_wpaper_v.1.2.bib"'


def test_item_page_links_every_export(client, item):
    body = client.get(item.get_absolute_url()).content.decode()
    for extension in ("bib", "ris", "json", "rdf", "txt"):
        assert f'href="/cite/{HANDLE}.{extension}"' in body
    assert "Export reference" in body


def test_demo_item_bibtex(client):
    call_command("load_demo", verbosity=0)
    response = client.get("/cite/RePEc:ipt:iptwpa:jrc108028.bib")
    assert response.status_code == 200
    entry = parse_bibtex(response.content.decode())
    assert entry.key == "RePEc:ipt:iptwpa:jrc108028"
    assert entry["title"] == "Implementing smart specialisation - thematic platform on industrial modernisation"
    assert entry["author"] == "Hegyi, Fatime Barbara and Rakhmatullin, Ruslan"
    assert entry["year"] == "2017"
