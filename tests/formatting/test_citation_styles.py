"""'Cite this item': the reference in each style, compared with what the style's rules give.

Expected outputs are written down from the styles' own documented examples (APA 7 10.1, CMOS
author-date 15.9 and 15.46, Cite Them Right "journal article", a QJE reference list), with our
values put in. Where citeproc-py falls short of a style, the test says so in a comment."""

import pytest
from django.core.management import call_command

from catalogue.formatting import styles
from catalogue.formatting.exports import NameParts, name_parts
from catalogue.formatting.styles import STYLES, cite_this_item, formatted
from catalogue.models import Authorship, Item

pytestmark = pytest.mark.django_db

SEED = "RePEc:ipt:iptwpa:jrc108028"
SEED_URL = "https://econcat.example/p/ipt/iptwpa/jrc108028.html"


def texts(item, url):
    return {reference.style.key: reference.text for reference in cite_this_item(item, url)}


def loaded(pk):
    return Item.objects.for_export().get(pk=pk)


@pytest.fixture
def article(series_factory, item_factory, authorship_factory):
    series = series_factory(kind="article", name="Journal of Economic Growth", provider_name="Springer")
    item = item_factory(
        series=series,
        slug="v25y2020i3p1341-1353",
        title="The growth of nations",
        year=2020,
        publication_date="2020-10",
        volume="25",
        issue="3",
        pages="1341-1353",
        doi="10.1007/s10887-020-09181-7",
    )
    authorship_factory(item=item, position=0, name="Adam Smith")
    authorship_factory(item=item, position=1, name="Charles I. Jones")
    return loaded(item.pk)


def test_the_demo_paper_in_every_style():
    call_command("load_demo", verbosity=0)
    item = Item.objects.for_export().get(handle=SEED)
    title = "Implementing smart specialisation - thematic platform on industrial modernisation"
    assert texts(item, SEED_URL) == {
        # IDEAS's own, as the IDEAS page of the item prints it (the seed page in shared/seeds/)
        "ideas": f'Fatime Barbara Hegyi & Ruslan Rakhmatullin, 2017. "{title}," JRC Research Reports JRC108028, '
        "Joint Research Centre (Seville site).",
        # APA 10.4 (report with a number): initials, "&", title in sentence case and italics, the
        # number and series in parentheses, the publisher, the address
        "apa": f"Hegyi, F. B., & Rakhmatullin, R. (2017). {title} (Working Paper No. JRC108028; JRC Research Reports). "
        f"Joint Research Centre (Seville site). {SEED_URL}",
        # CMOS author-date: names in full, first inverted; the title of a report in headline case
        "chicago": "Hegyi, Fatime Barbara, and Ruslan Rakhmatullin. 2017. Implementing Smart Specialisation - "
        "Thematic Platform on Industrial Modernisation. Working Paper No. JRC108028. JRC Research Reports. "
        f"Joint Research Centre (Seville site). {SEED_URL}.",
        # Cite Them Right: initials without spaces, "and", year in parentheses, "Available at:"
        "harvard": f"Hegyi, F.B. and Rakhmatullin, R. (2017) {title}. Working paper JRC108028. "
        f"Joint Research Centre (Seville site). Available at: {SEED_URL}.",
        # QJE: names in full, the title in quotes with the comma inside, series and number, year
        "qje": f"Hegyi, Fatime Barbara, and Ruslan Rakhmatullin, “{title},” JRC Research Reports JRC108028, 2017 "
        "(Joint Research Centre (Seville site)).",
    }
    html = {reference.style.key: reference.html for reference in cite_this_item(item, SEED_URL)}
    assert html["apa"].startswith(f"Hegyi, F. B., &amp; Rakhmatullin, R. (2017). <i>{title}</i> (Working Paper")
    assert html["ideas"].startswith("Fatime Barbara Hegyi &amp; Ruslan Rakhmatullin, 2017.")


def test_family_names_in_capitals_are_family_names():
    """The Joint Research Centre writes "MARINELLI Elisabetta" and "Inmaculada PERIANEZ FORTE"."""
    call_command("load_demo", verbosity=0)
    handbook = Item.objects.for_export().get(handle="RePEc:ipt:iptwpa:jrc102764")
    found = texts(handbook, "URL")
    assert found["apa"].startswith(
        "Perianez Forte, I., Marinelli, E., Foray, D., Edwards, J. H., Pertoldi, M., Morgan, K., Mieszkowski, K., "
        "Gomez Prieto, J., Nauwelaers, C., & Rakhmatullin, R. (2016). Implementing Smart Specialisation Strategies: "
        "A Handbook (Working Paper No. JRC102764; JRC Research Reports)."
    )
    # CMOS: more than six authors, the first three and "et al."; Cite Them Right: four or more, the first
    chicago = "Perianez Forte, Inmaculada, Elisabetta Marinelli, Dominique Foray, et al. 2016. Implementing"
    assert found["chicago"].startswith(chicago)
    assert found["harvard"].startswith("Perianez Forte, I. et al. (2016) Implementing")


@pytest.mark.parametrize(
    ("name", "given", "family"),
    [
        ("MARINELLI Elisabetta", "Elisabetta", "Marinelli"),
        ("Javier GOMEZ PRIETO", "Javier", "Gomez Prieto"),
        ("John F. KENNEDY", "John F.", "Kennedy"),  # an initial is no family name
        ("Manuel PALAZUELOS-MARTINEZ", "Manuel", "Palazuelos-Martinez"),
        ("JOHN SMITH", "JOHN", "SMITH"),  # one case throughout: the last word, as before
        ("Jean DUPONT Marie", "Jean DUPONT", "Marie"),  # capitals in the middle: no rule says
        ("Ana María van der Berg", "Ana María", "van der Berg"),
    ],
)
def test_name_parts(name, given, family):
    assert name_parts(Authorship(name=name)) == NameParts(given, family)


def test_an_article_with_volume_issue_pages_and_doi(article):
    url = f"https://econcat.example{article.get_absolute_url()}"
    doi = "https://doi.org/10.1007/s10887-020-09181-7"
    assert texts(article, url) == {
        "ideas": 'Adam Smith & Charles I. Jones, 2020. "The growth of nations," Journal of Economic Growth, '
        "Springer, vol. 25(3), pages 1341-1353.",
        # APA 10.1: "Grady, J. S., Her, M., ... (2019). Title. Journal, 8(3), 207–217. https://doi.org/..."
        "apa": f"Smith, A., & Jones, C. I. (2020). The growth of nations. Journal of Economic Growth, 25(3), "
        f"1341–1353. {doi}",
        # CMOS 15.46: "Journal 11 (1): 1–34."; the period inside the quotes; pages abbreviated
        "chicago": f"Smith, Adam, and Charles I. Jones. 2020. “The Growth of Nations.” Journal of Economic Growth "
        f"25 (3): 1341–53. {doi}.",
        # Cite Them Right: "Barke, M. and Mowl, G. (2016) ‘Title’, Journal, 2(3), pp. 187–212. Available at: ..."
        "harvard": "Smith, A. and Jones, C.I. (2020) ‘The growth of nations’, Journal of Economic Growth, 25(3), "
        f"pp. 1341–1353. Available at: {doi}.",
        # QJE: "Acemoglu, Daron, ..., and James A. Robinson, “Title,” Journal, 91 (2001), 1369–1401."
        "qje": "Smith, Adam, and Charles I. Jones, “The growth of nations,” Journal of Economic Growth, 25 (2020), "
        "1341–1353.",
    }
    html = {reference.style.key: reference.html for reference in cite_this_item(article, url)}
    assert "<i>Journal of Economic Growth</i>, <i>25</i>(3)" in html["apa"]
    assert "“The Growth of Nations.” <i>Journal of Economic Growth</i> 25 (3)" in html["chicago"]


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        (
            "chapter",
            {"book_title": "Handbook of Growth", "pages": "10-20", "publisher": "Elsevier", "number": "3"},
            {
                # APA 10.3: "In E. E. Editor (Ed.), Title of book (pp. 10-20). Publisher." (the label
                # title-cased: citeproc-py's labels are made to follow text-case on loading)
                "apa": "Smith, A. (2020). The growth of nations. In J. Roe (Ed.), Handbook of Growth (pp. 10–20). "
                "Elsevier. URL",
                "chicago": "Smith, Adam. 2020. “The Growth of Nations.” Chap. 3 in Handbook of Growth, edited by "
                "Jane Roe. Elsevier. URL.",
                "harvard": "Smith, A. (2020) ‘The growth of nations’, in J. Roe (ed.) Handbook of Growth. Elsevier, "
                "pp. 10–20. Available at: URL.",
                "qje": "Smith, Adam, “The growth of nations,” in Handbook of Growth, Jane Roe, ed. (Elsevier, 2020).",
            },
        ),
        (
            "book",
            {"publisher": "MIT Press", "edition": "2", "number": "7"},
            {
                "apa": "Smith, A. (2020). The growth of nations (2nd ed.). MIT Press. URL",
                "chicago": "Smith, Adam. 2020. The Growth of Nations. 2nd ed. Books 7. MIT Press. URL.",
                "harvard": "Smith, A. (2020) The growth of nations. 2nd edn. MIT Press (Books, 7). Available at: URL.",
                "qje": "Smith, Adam, “The growth of nations,” Books (MIT Press, 2020).",
            },
        ),
        (
            "software",
            {"number": "S458"},
            {
                "apa": "Smith, A. (2020). The growth of nations [Computer software]. Boston College. URL",
                # the style's "released" waits for a full date of release, which RePEc does not give
                "chicago": "Smith, Adam. 2020. The Growth of Nations. Statistical Software Components S458. "
                "Boston College, released. URL.",
                "harvard": "Smith, A. (2020) ‘The growth of nations’. Boston College (Statistical Software Components, "
                "S458). Available at: URL.",
                "qje": "Smith, Adam, “The growth of nations,” Statistical Software Components, 2020 (Boston College).",
            },
        ),
    ],
)
def test_a_chapter_a_book_and_software(kind, fields, expected, series_factory, item_factory, authorship_factory):
    name = {"book": "Books", "software": "Statistical Software Components"}.get(kind, "Chapters")
    series = series_factory(kind=kind, name=name, provider_name="Boston College")
    item = item_factory(series=series, title="The growth of nations", year=2020, **fields)
    authorship_factory(item=item, position=0, name="Adam Smith")
    authorship_factory(item=item, position=1, name="Jane Roe", role="editor")
    if kind != "chapter":
        item.authorships.filter(role="editor").delete()
    found = texts(loaded(item.pk), "URL")
    del found["ideas"]
    assert found == expected


def test_a_title_that_ends_in_a_period_gets_no_second_one(series_factory, item_factory, authorship_factory):
    series = series_factory(kind="book", name="Books")
    book = item_factory(series=series, title="Growth, etc.", year=2020, publisher="MIT Press", number="")
    authorship_factory(item=book, position=0, name="Adam Smith")
    apa = formatted(loaded(book.pk), "URL", STYLES["apa"])
    # the style's period after the italic title falls where the title has one already
    assert apa.html == "Smith, A. (2020). <i>Growth, etc.</i> MIT Press. URL"
    assert apa.text == "Smith, A. (2020). Growth, etc. MIT Press. URL"


def test_a_style_that_fails_on_an_item_leaves_the_others(article, monkeypatch, caplog):
    def fail(style, data):
        if style.key == "chicago":
            raise ValueError("a bug in citeproc")
        return render(style, data)

    render = styles._render
    monkeypatch.setattr(styles, "_render", fail)
    assert [reference.style.key for reference in cite_this_item(article, "v")] == ["ideas", "apa", "harvard", "qje"]
    assert "citeproc failed on" in caplog.text


def test_hostile_metadata_is_escaped_in_every_style(article):
    article.title = 'Growth <script>alert("x")</script> & <i>trust</i>\ue000'
    article.journal = "<b>Journal</b>"
    authorship = article.authorships.all()[0]
    authorship.name = "Adam <img src=x onerror=alert(1)> Smith"
    for reference in cite_this_item(article, "https://econcat.example/a?b=1&c=<2>"):
        for tag in ("<script", "<img", "<b>", "<i>trust"):
            assert tag not in reference.html, reference.style.key
        assert "&lt;script&gt;" in reference.html, reference.style.key
        if reference.style.csl:  # a character that marks italics in citeproc's output is dropped from the data
            assert "\ue000" not in reference.html + reference.text
    apa = formatted(article, "u", STYLES["apa"])
    assert "<i>&lt;b&gt;Journal&lt;/b&gt;</i>" in apa.html  # the style's italics, around the escaped value
    assert "<script>" in apa.text  # plain text is text: escaping is the HTML's own


def test_an_item_with_no_author_and_no_year(article):
    article.year = None
    article.publication_date = ""
    article.authorships.all()._result_cache.clear()  # loaded, no author left
    found = texts(article, "u")
    assert found["ideas"].startswith('Anonymous, n.d.. "The growth of nations,"')
    assert found["harvard"] == (
        "(no date) ‘The growth of nations’, Journal of Economic Growth, 25(3), pp. 1341–1353. "
        "Available at: https://doi.org/10.1007/s10887-020-09181-7."
    )
    assert found["qje"] == "“The growth of nations,” Journal of Economic Growth, 25 (n.d.), 1341–1353."
    # APA 9.12 and CMOS 15.42: the title moves to the author's place, and is not printed again
    # (citeproc-py printed it twice: formatting/substitutes.py)
    assert found["apa"] == (
        "The growth of nations. (n.d.). Journal of Economic Growth, 25(3), 1341–1353. "
        "https://doi.org/10.1007/s10887-020-09181-7"
    )
    assert found["chicago"] == (
        "“The Growth of Nations.” n.d. Journal of Economic Growth 25 (3): 1341–53. "
        "https://doi.org/10.1007/s10887-020-09181-7."
    )


def test_a_rendering_is_kept_under_what_went_in(article, monkeypatch):
    first = texts(article, "u")
    calls = []
    render = styles._render
    monkeypatch.setattr(styles, "_render", lambda style, data: calls.append(style.key) or render(style, data))
    assert texts(article, "u") == first
    assert calls == []  # from the cache
    article.title = "The decline of nations"  # a correction: new input, new key
    assert "The decline of nations" in texts(article, "u")["apa"]
    assert calls == ["apa", "chicago", "harvard", "qje"]


def test_apa_capitalises_the_editors_label(series_factory, item_factory, authorship_factory):
    """APA 7, 10.2 and 10.3: "Roe, J. (Ed.). (2020)." for an edited book, "(Eds.)" for two editors,
    "In J. Roe & K. Doe (Eds.)," for a chapter; Cite Them Right keeps its lower-case "(eds)"."""
    series = series_factory(kind="book", name="Books", provider_name="MIT Press")
    book = item_factory(series=series, title="Handbook of growth", year=2020, publisher="MIT Press", number="")
    authorship_factory(item=book, position=0, name="Jane Roe", role="editor")
    # the editor in the author's place is not named again after the title, "(J. Roe, Ed.)", in
    # APA nor, "Edited by Jane Roe", in Chicago (formatting/substitutes.py)
    found = texts(loaded(book.pk), "URL")
    assert found["apa"] == "Roe, J. (Ed.). (2020). Handbook of growth. MIT Press. URL"
    assert "Edited by" not in found["chicago"]
    authorship_factory(item=book, position=1, name="Kim Doe", role="editor")
    assert formatted(loaded(book.pk), "URL", STYLES["apa"]).text.startswith("Roe, J., & Doe, K. (Eds.). (2020).")
    chapters = series_factory(kind="chapter", name="Chapters")
    chapter = item_factory(series=chapters, title="Growth", year=2020, book_title="Handbook", publisher="MIT Press")
    authorship_factory(item=chapter, position=0, name="Adam Smith")
    authorship_factory(item=chapter, position=1, name="Jane Roe", role="editor")
    authorship_factory(item=chapter, position=2, name="Kim Doe", role="editor")
    found = texts(loaded(chapter.pk), "URL")
    assert "In J. Roe & K. Doe (Eds.), Handbook" in found["apa"]
    assert "in J. Roe and K. Doe (eds)" in found["harvard"]
    source = styles._labels_title_cased((styles.CSL_DIR / "apa.csl").read_bytes())
    assert b'text-case="title"/>' not in source.split(b"<label")[1]


def test_styles_are_loaded_once_a_process():
    style = STYLES["chicago"]
    assert styles._loaded(style) is styles._loaded(style)
    # Chicago's names say initialize="false", which citeproc-py ignores: the style's initialize-with
    # moved onto the other names (the in-text citations' short names keep theirs)
    source = styles._initials_where_wanted((styles.CSL_DIR / style.csl).read_bytes())
    assert b'initialize-with=". " page-range-format' not in source
    assert b'initialize="false"' in source
