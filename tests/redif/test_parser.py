"""The ReDIF syntax layer: bytes -> templates (catalogue.redif.parser)."""

import codecs
import pickle
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.redif.parser import (
    Field,
    ReDIFError,
    ReDIFWarning,
    Template,
    decode,
    parse_bytes,
    parse_file,
    parse_text,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "redif"
PERL = DATA / "redif-perl-t"
ALL_SAMPLES = sorted(p for p in DATA.rglob("*") if p.is_file())


def parse(path):
    return list(parse_file(path))


def templates(path):
    return [x for x in parse(path) if isinstance(x, Template)]


def errors(path):
    return [x for x in parse(path) if isinstance(x, ReDIFError)]


def only(path):
    (t,) = templates(path)
    return t


# --------------------------------------------------------------------------
# decoding


def test_decode_utf8_without_bom():
    assert decode("Title: Sjöström\n".encode()) == "Title: Sjöström\n"


def test_decode_strips_utf8_bom():
    assert decode(codecs.BOM_UTF8 + b"Title: x\n") == "Title: x\n"


def test_decode_utf16_with_bom_both_byte_orders():
    text = "Template-Type: ReDIF-Person 1.0\nName-Full: LéVY\n"
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == text
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == text


def test_decode_utf16_le_without_bom():
    data = (PERL / "unicode" / "DOMINIQUE_16LE.rdf").read_bytes()
    assert data[:2] == b"t\x00"  # really no BOM
    text = decode(data)
    assert text.startswith("template-type: ReDIF-Person 1.0\nname-full: LéVY, DOMINIQUE\n")


def test_decode_cp1252_curly_quotes_and_dash():
    assert decode(b"Title: \x93Quoted\x94 \x96 caf\xe9\n") == "Title: “Quoted” – café\n"


def test_decode_undefined_cp1252_bytes_fall_back_to_latin1():
    assert decode(b"x \x81\x8d\x8f\x90\x9d y \xe9") == "x \x81\x8d\x8f\x90\x9d y é"


def test_decode_latin1_file():
    text = decode((PERL / "unicode" / "DOMINIQUE_2.rdf").read_bytes())
    assert "Name-Full: LéVY, DOMINIQUE" in text


def test_decode_mixed_file_line_by_line():
    data = "Title: Université\n".encode() + b"Author-Name: Fran\xe7ois\n"
    assert decode(data) == "Title: Université\nAuthor-Name: François\n"


def test_decode_normalises_line_ends_and_removes_controls():
    assert decode(b"a\r\nb\rc\n\x1a") == "a\nb\nc\n"
    assert decode(b"a\x00b\x1ac\td") == "abc\td"


def test_decode_all_three_dominique_encodings_agree():
    names = ["DOMINIQUE_16LE.rdf", "DOMINIQUE_2.rdf", "DOMINIQUE_utf8.rdf"]
    fields = [only(PERL / "unicode" / n).fields for n in names]
    simple = [[(f.name, f.value) for f in fs] for fs in fields]
    assert simple[0] == simple[1] == simple[2]
    assert ("name-last", "LéVY") in simple[0]


# --------------------------------------------------------------------------
# the sample files


def test_1995_latin1_papers():
    ts = templates(PERL / "1995.rdf")
    assert [t.line for t in ts] == [2, 24, 42, 67, 86]
    assert {t.kind for t in ts} == {"paper"}
    assert ts[0].version == "1.0"
    first = ts[0]
    assert first.value("handle") == "RePEc:cre:uqamwp:9501"
    assert first.value("Author-Workplace-Name") == "Université du Québec à Montréal"
    assert first.first("author-email") == Field("author-email", "merrigan.philip@uqam.ca", 4)
    abstract = first.value("abstract")
    assert abstract.startswith("This paper estimates a reduced form neoclassical model of Canadian\n")
    assert abstract.endswith("the sixties and seventies.")
    assert abstract.count("\n") == 7
    third = ts[2]
    assert third.value("classification-jel") == "D82, H57"
    keywords = third.value("keywords")
    assert "asymétrique. Incentives, multi-period" in keywords  # continuation joined with a space
    assert [f.line for f in third.all("handle")] == [62, 65]


def test_1995_clusters():
    ts = templates(PERL / "1995.rdf")
    authors = ts[2].clusters("author")
    assert [a["name"].value for a in authors] == ["Georges Dionne", "Claude Fluet"]
    assert "email" not in authors[0]
    assert authors[1]["email"].value == "fluet.claude-denys@uqam.ca"
    assert authors[1]["workplace-homepage"].line == 48
    (pdf,) = ts[3].clusters("file", key="url")
    assert pdf["url"].value == "http://deneg.net/main.pdf"
    assert pdf["format"].value == "application/pdf"
    (word,) = ts[4].clusters("FILE", key="URL")  # File-Url / file-format spelling
    assert word["url"].value == "ftp://files.domain/dir/filename.ext"
    assert word["format"].value == "application/ms-word"


def test_comments_and_case_insensitive_names():
    t = only(PERL / "comments.rdf")
    assert t.kind == "paper"
    assert t.line == 3
    assert [f.name for f in t.fields] == [
        "author-name",
        "author-name",
        "title",
        "creation-date",
        "handle",
    ]
    assert t.value("TITLE") == "some title"  # "title" on its own line continues, past a comment
    assert t.value("Handle") == "RePEc:zzz:series:paper09090"


def test_ctrl_z_file():
    assert not errors(PERL / "ctrl-z.rdf")
    t = only(PERL / "ctrl-z.rdf")
    assert t.fields[-1] == Field("handle", "RePEc:cep:cepdps:0060", 17)
    assert t.value("author-email") is None  # empty counts as missing
    assert t.value("author-email", "") == ""
    assert t.first("author-email").value == ""


def test_x_fields_are_dropped_with_their_continuations():
    ts = templates(PERL / "x_test.rdf")
    assert len(ts) == 3
    assert ts[0].value("title") == (
        "Ursprungslandprinzip versus Bestimmungslandprinzip: Perspektiven europäischer Konsumbesteuerung"
    )
    assert ts[0].value("abstract").endswith("model by KEEN/SMITH (1996).")
    assert ts[1].value("abstract") is None
    assert ts[1].value("creation-date") == "19991010"
    assert all(not f.name.startswith("x-") for t in ts for f in t.fields)
    assert "author-x-character" not in [f.name for f in ts[2].fields]
    assert ts[2].value("series") == "Working Paper - Series B, No. 99/06"


def test_bad_template_reports_unknown_type_and_keeps_going():
    items = parse(PERL / "bad_template.rdf")
    err = items[0]
    assert isinstance(err, ReDIFError)
    assert err.line == 1
    assert "bad_template.rdf:1:" in str(err)
    assert "ReDIF-eries" in str(err)
    assert [(t.kind, t.line) for t in items[1:]] == [
        ("series", 14),
        ("paper", 27),
        ("series", 39),
    ]
    assert not any(f.name.startswith("x-") for t in items[1:] for f in t.fields)


def test_sloppy_continuation_lines_without_indent():
    ts = templates(PERL / "sloppy_test.rdf")
    assert not errors(PERL / "sloppy_test.rdf")
    assert len(ts) == 4
    first = ts[0]
    assert first.value("description") == "Discussion papers on Macroeconomics and Labour Economics"
    assert first.value("editor-workplace-name") == "Centre for Economic Performance and ESRC"
    assert first.value("publisher-name") == "Centre for Economic Performance and ESRC"
    assert first.first("publisher-name").line == 10
    assert ts[2].value("description") == "Occasional papers on Macroeconomics and Labour Economics"
    assert ts[3].value("description") == "Papers on Macroeconomics and Labour Economics"
    assert ts[1].first("order-email") == Field("order-email", "----wrong_email---", 23)


def test_single_bad_template_parses():
    t = only(PERL / "single_bad_template.rdf")
    assert t.kind == "paper"
    assert t.value("handle") == "RePEc:cep:cepdps:0060"
    assert t.clusters("author") == []


def test_person_with_crlf_inside_and_lower_case_names():
    t = only(PERL / "RePEc_per_1900-11-11_JOE_BLACK.rdf")
    assert t.kind == "person"
    assert t.line == 2
    assert t.value("postal") == "Minsk\nBelarus"
    assert t.value("workplace-share") == "98"
    assert [f.value for f in t.all("author-paper")][-1] == "RePEc:mit:worpap:297"


def test_ras_person_workplace_clusters():
    t = only(DATA / "ras" / "pbe27.redif")
    assert t.line == 2  # after the BOM and a blank line
    places = t.clusters("workplace")
    assert len(places) == 6
    assert places[0]["name"].value == "Princeton University / Department of Economics"
    assert places[0]["institution"].value == "RePEc:edi:deprius"
    assert [p["share"].value for p in places] == ["21", "21", "21", "21", "12", "4"]
    assert places[4]["name"].value == (
        "Canadian Institute for Advanced Research (CIFAR) / Program in Institutions, Organizations and Growth"
    )
    assert t.value("last-login-date") == "2016-08-21 12:38:57 -0500"  # no final newline
    assert len(t.all("author-paper")) == 99


def test_ras_person_postal_keeps_lines():
    t = only(DATA / "ras" / "pry5.redif")
    assert t.value("postal").split("\n") == [
        "Solvay Brussels School of Economics and Management (SBS-EM), CEB and DULBEA",
        "Université Libre de Bruxelles",
        "CP114/02, Avenue F.D. Roosevelt 50",
        "B-1050 Brussels - Belgium",
    ]


def test_utf8_with_bom_cyrillic():
    ts = templates(PERL / "unicode" / "test_utf8_3.rdf")
    assert [t.line for t in ts] == [2, 10]
    assert ts[0].value("title") == "Республика БЕЛАРУСЬ"
    assert [a["name"].value for a in ts[0].clusters("author")] == [
        "Петр МИХНИЦКИЙ",
        "Tomas Sjöström",
    ]
    assert ts[0].value("handle") == "RePEc:wop:epruwp:"


def test_names_test_utf8_bom():
    t = only(PERL / "names_test.rdf")
    assert [f.value for f in t.all("author-name")] == [
        "Christian Schultz",
        "Tomas Sjöström",
    ]


def test_institutions_latin1_and_trailing_space_in_type():
    ts = templates(PERL / "institutions.rdf")
    assert [t.kind for t in ts] == ["institution"] * 3
    assert ts[0].value("primary-name") == "Universität für Bodenkultur"
    assert ts[0].value("secondary-name") == "Institut für Agrarökonomik"
    assert ts[0].value("secondary-postal") == "Peter Jordan Straße 82, A-1190 Wien"
    assert ts[2].value("handle") == "RePEc:edi:absgvau"  # no final newline


def test_lower_case_template_type_field():
    assert only(DATA / "ucdavis_cdaarch.rdf").kind == "archive"
    t = only(DATA / "ucdavis_cdaseri.rdf")
    assert t.kind == "series"
    assert t.value("type") == "ReDIF-Paper"


def test_cp1252_quotes_file():
    t = only(DATA / "handwritten" / "cp1252_quotes.rdf")
    assert t.value("title") == "“Quoted” title – with a dash"
    assert t.value("author-name") == "François Café"


def test_every_sample_parses_the_same_from_text_bytes_and_file():
    for path in ALL_SAMPLES:
        data = path.read_bytes()
        by_file = parse_file(path)
        by_bytes = parse_bytes(data, str(path))
        by_text = parse_text(decode(data), str(path))
        a, b, c = (list(map(_comparable, x)) for x in (by_file, by_bytes, by_text))
        assert a == b == c, path


def _comparable(x):
    if isinstance(x, ReDIFError):
        return ("error", x.line, x.message)
    return (x.kind, x.version, x.line, x.fields)


def test_no_sample_gives_parse_errors_except_bad_template():
    noisy = {p.name for p in ALL_SAMPLES if errors(p)}
    assert noisy == {"bad_template.rdf"}


# --------------------------------------------------------------------------
# syntax rules on small texts


def test_text_before_first_template_is_reported_once():
    text = "# comment\n\nsome junk\nmore junk\nTemplate-Type: ReDIF-Paper 1.0\nTitle: T\n"
    items = list(parse_text(text, "x.rdf"))
    assert [type(x) for x in items] == [ReDIFError, Template]
    assert str(items[0]).startswith("x.rdf:3: ")
    assert items[1].line == 5


def test_junk_field_before_first_template_is_reported():
    items = list(parse_text("Title: orphan\nTemplate-Type: ReDIF-Paper 1.0\n", "y.rdf"))
    assert items[0].line == 1
    assert isinstance(items[1], Template)


def test_unknown_type_skips_to_next_template():
    text = (
        "Template-Type: ReDIF-Paper 1.0\nTitle: one\n"
        "Template-Type: ReDIF-Poster 1.0\nTitle: lost\n"
        "Template-Type: redif-ARTICLE\nTitle: two\n"
        "Template-Type:\nTitle: lost too\n"
    )
    items = list(parse_text(text))
    kinds = [x.kind if isinstance(x, Template) else x.line for x in items]
    assert kinds == ["paper", 3, "article", 7]
    assert items[2].version == "1.0"  # missing version taken as 1.0
    assert items[2].value("title") == "two"


def test_blank_lines_anywhere_and_paragraphs_in_abstract():
    text = (
        "\n\nTemplate-Type: ReDIF-Paper 1.0\n\nTitle: A\n\n  title\n"
        "Abstract: one\n two\n\n\n three\n\nHandle: RePEc:a:b:c\n"
    )
    t = next(parse_text(text))
    assert t.value("title") == "A title"
    assert t.value("abstract") == "one\ntwo\n\nthree"
    assert t.first("handle").line == 14


def test_urls_on_continuation_lines_are_not_fields():
    text = "Template-Type: ReDIF-Paper 1.0\nAbstract: see\nhttp://example.org/x\nHandle: h\n"
    t = next(parse_text(text))
    assert t.value("abstract") == "see\nhttp://example.org/x"
    assert [f.name for f in t.fields] == ["abstract", "handle"]


def test_indented_field_like_line_is_a_continuation():
    t = next(parse_text("Template-Type: ReDIF-Paper 1.0\nTitle: A\n  Note: b\n"))
    assert t.value("title") == "A Note: b"
    assert t.first("note") is None


def test_line_continuing_no_field_is_reported_and_template_kept():
    items = list(parse_text("Template-Type: ReDIF-Paper 1.0\nstray words\nTitle: T\n", "z"))
    assert isinstance(items[0], ReDIFWarning)  # a warning: nothing was lost
    assert items[0].line == 2
    assert items[1].value("title") == "T"


def test_empty_first_line_value_joins_continuation():
    t = next(parse_text("Template-Type: ReDIF-Paper 1.0\nTitle:\n   Late title   \n"))
    assert t.fields == [Field("title", "Late title", 2)]


def test_cr_only_line_ends_and_mid_file_bom():
    data = b"Template-Type: ReDIF-Paper 1.0\rTitle: a\r\xef\xbb\xbfHandle: RePEc:x:y:z\r"
    t = next(parse_bytes(data))
    assert t.fields == [Field("title", "a", 2), Field("handle", "RePEc:x:y:z", 3)]


def test_clusters_orphans_and_repeats():
    text = (
        "Template-Type: ReDIF-Paper 1.0\n"
        "Author-Email: first@example.org\n"
        "Author-Name: First\n"
        "Author-Workplace-Name: A\n"
        "Author-Workplace-Name: B\n"
        "Author-Name: Second\n"
        "Author-Name:\n"
        "Publisher-Homepage: http://p.example\n"
    )
    t = next(parse_text(text))
    first, second, empty = t.clusters("author")
    assert first["email"].value == "first@example.org"
    assert first["workplace-name"].value == "A"
    assert [f.value for f in first.all("workplace-name")] == ["A", "B"]
    assert first.value("WORKPLACE-NAME") == "A"
    assert first.line == 2
    assert second["name"].value == "Second"
    assert "email" not in second
    assert empty["name"].value == ""
    (keyless,) = t.clusters("publisher")  # no Publisher-Name at all
    assert keyless == {"homepage": Field("publisher-homepage", "http://p.example", 8)}
    assert t.clusters("editor") == []


def test_template_accessors_are_case_insensitive_and_see_appended_fields():
    t = Template("paper", "1.0", "p", 1, [Field("title", "T", 2)])
    assert t.first("TITLE").value == "T"
    t.fields.append(Field("handle", " RePEc:a:b:c ", 3))
    assert t.value("Handle") == "RePEc:a:b:c"
    assert t.all("nothing") == []
    assert t.value("nothing", "dflt") == "dflt"


def test_redif_error_str_and_pickle():
    err = ReDIFError("some/file.rdf", 12, "bad thing")
    assert str(err) == "some/file.rdf:12: bad thing"
    again = pickle.loads(pickle.dumps(err))
    assert (again.path, again.line, again.message) == ("some/file.rdf", 12, "bad thing")


def test_missing_file_gives_an_error_not_an_exception(tmp_path):
    (err,) = parse_file(tmp_path / "nope.rdf")
    assert isinstance(err, ReDIFError)
    assert "nope.rdf:0:" in str(err)


def test_big_synthetic_file_parses(tmp_path):
    one = (
        "Template-Type: ReDIF-Paper 1.0\n"
        "Title: Paper {i}\n"
        "Author-Name: Author {i}\n"
        "Author-Workplace-Name: Somewhere\n"
        "Abstract: Line one of the abstract\n  line two of the abstract\n"
        "Classification-JEL: C10, D82\n"
        "File-URL: https://example.org/{i}.pdf\n"
        "Handle: RePEc:abc:wpaper:{i}\n\n"
    )
    text = "".join(one.format(i=i) for i in range(20000))
    count = 0
    for t in parse_text(text):
        assert isinstance(t, Template)
        count += 1
    assert count == 20000
    path = tmp_path / "big.rdf"
    path.write_bytes(text.encode("cp1252"))
    last = None
    *_, last = parse_file(path)
    assert last.value("handle") == "RePEc:abc:wpaper:19999"
    assert last.line == 10 * 19999 + 1


# --------------------------------------------------------------------------
# properties

redif_lines = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Template-Type: ReDIF-Paper 1.0",
                "template-type: ReDIF-Person 1.0",
                "Template-Type: ReDIF-Nonsense 1.0",
                "Template-Type:",
                "Author-Name: A",
                "X-Foo: bar",
                "# comment",
                "",
                "  continued",
                "http://example.org",
                "Handle: RePEc:a:b:c",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=30,
)


@given(st.binary(max_size=400))
@settings(max_examples=300)
def test_decode_never_raises(data):
    text = decode(data)
    assert "\r" not in text
    assert "\x00" not in text
    assert "\x1a" not in text


@given(st.binary(max_size=400))
@settings(max_examples=200)
def test_parse_bytes_never_raises(data):
    for x in parse_bytes(data):
        assert isinstance(x, Template | ReDIFError)


@given(st.text(max_size=400))
@settings(max_examples=200)
def test_parse_text_never_raises_on_any_text(text):
    for x in parse_text(text):
        assert isinstance(x, Template | ReDIFError)


@given(redif_lines, st.sampled_from(["\n", "\r\n", "\r"]))
@settings(max_examples=300)
def test_parse_text_never_raises_on_redif_like_text(lines, newline):
    text = newline.join(lines)
    items = list(parse_text(text))
    for x in items:
        assert isinstance(x, Template | ReDIFError)
        if isinstance(x, Template):
            assert all(f.name == f.name.lower() and not f.name.startswith("x-") for f in x.fields)
            assert all(f.value == f.value.strip() for f in x.fields)
    # the same text as UTF-8 bytes parses the same (NULs could look like UTF-16)
    if "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text):
        from_bytes = parse_bytes(text.encode("utf-8"))
        assert list(map(_comparable, from_bytes)) == list(map(_comparable, items))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
def test_decode_round_trips_utf8_text(text):
    assert decode(text.encode("utf-8")) == text.replace("\ufeff", "")
