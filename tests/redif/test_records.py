"""Templates -> validated, typed records (catalogue.redif.records)."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.redif.parser import Field, ReDIFError, Template, parse_file, parse_text
from catalogue.redif.records import (
    LIMITS,
    ArchiveRecord,
    AuthorRecord,
    FileRecord,
    InstitutionRecord,
    ItemRecord,
    PartialDate,
    PersonRecord,
    SeriesRecord,
    WorkplaceRecord,
    handle_parts,
    normalise_doi,
    normalise_handle,
    parse_date,
    parse_jel,
    split_keywords,
    to_record,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "redif"
PERL = DATA / "redif-perl-t"
ALL_SAMPLES = sorted(p for p in DATA.rglob("*") if p.is_file())


def results(path):
    """(record or the ReDIFError that skipped it, warnings) per template."""
    out = []
    for t in parse_file(path):
        if isinstance(t, ReDIFError):
            continue
        try:
            out.append(to_record(t))
        except ReDIFError as exc:
            out.append((exc, []))
    return out


def records(path):
    return [r for r, _ in results(path)]


def one(text, path="t.rdf"):
    (t,) = [x for x in parse_text(text, path) if isinstance(x, Template)]
    return to_record(t)


def messages(warnings):
    return [str(w) for w in warnings]


# --------------------------------------------------------------------------
# single values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017", PartialDate(2017)),
        ("2017-05", PartialDate(2017, 5)),
        ("2017-05-14", PartialDate(2017, 5, 14)),
        ("201705", PartialDate(2017, 5)),
        ("20170514", PartialDate(2017, 5, 14)),
        (" 1995 ", PartialDate(1995)),
        ("2016-08-21 12:38:57 -0500", PartialDate(2016, 8, 21)),
        ("2016-08-21 12:38", PartialDate(2016, 8, 21)),
        ("2016-08-21T12:38:57Z", PartialDate(2016, 8, 21)),
        ("2000-02-29", PartialDate(2000, 2, 29)),
    ],
)
def test_parse_date_accepts(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "January, 2001",
        "",
        "95",
        "2017-13",
        "2017-00",
        "1900-02-29",
        "2017-04-31",
        "0999",
        "2101-01-01",
        "2017-05-14 noon",
        "2017/05/14",
        "2017-05-14 12:00 -0500 extra",
    ],
)
def test_parse_date_rejects(value):
    with pytest.raises(ValueError, match=r"not a date|out of range"):
        parse_date(value)


def test_partial_date_str():
    assert str(PartialDate(2017)) == "2017"
    assert str(PartialDate(2017, 5)) == "2017-05"
    assert str(PartialDate(2017, 5, 14)) == "2017-05-14"


@st.composite
def partial_dates(draw):
    year = draw(st.integers(1000, 2100))
    month = draw(st.none() | st.integers(1, 12))
    day = None
    if month is not None:
        day = draw(st.none() | st.integers(1, 28))
    return PartialDate(year, month, day)


@given(partial_dates())
def test_parse_date_round_trips(d):
    assert parse_date(str(d)) == d
    assert parse_date(str(d).replace("-", "")) == d


@given(st.text(max_size=30))
def test_parse_date_only_raises_value_error(text):
    try:
        d = parse_date(text)
    except ValueError:
        return
    assert 1000 <= d.year <= 2100


def test_parse_jel():
    assert parse_jel("O31, R11; R58 O38") == ["O31", "R11", "R58", "O38"]
    assert parse_jel("d82,h57. d82") == ["D82", "H57"]
    assert parse_jel("C") == ["C"]
    assert parse_jel("D820") == ["D82"]  # four-character form, as ReDIF-perl
    assert parse_jel("") == []
    assert parse_jel("312 421") == []  # obsolete numeric codes


@pytest.mark.parametrize("value", ["O31, X12", "O31 JEL", "D8a", "O3111", "ÿ1"])
def test_parse_jel_rejects_naming_the_token(value):
    with pytest.raises(ValueError, match=repr(value.replace(",", "").split()[-1])):
        parse_jel(value)


def test_split_keywords():
    assert split_keywords("a, b ,c") == ["a", "b", "c"]
    assert split_keywords("growth, cycles; search,  match") == [
        "growth, cycles",
        "search, match",
    ]
    assert split_keywords("Innovation;  regional\n growth; innovation;;") == [
        "Innovation",
        "regional growth",
    ]
    assert split_keywords("  ") == []


def test_normalise_handle():
    assert normalise_handle(" repec:cpm:cepmap:8622 ") == "RePEc:cpm:cepmap:8622"
    assert normalise_handle("REPEC:Abc") == "RePEc:Abc"
    assert normalise_handle("relis:abc:defghi") == "ReLIS:abc:defghi"
    for bad in ["", "cpm:cepmap:8622", "RePEc:", "RePEc:a b", "RePEc"]:
        with pytest.raises(ValueError, match="handle"):
            normalise_handle(bad)


def test_handle_parts():
    assert handle_parts("RePEc:ipt:iptwpa:jrc108028") == ("ipt", "iptwpa", "jrc108028")
    assert handle_parts("RePEc:taf:regstd:v:54:y:2020:i:10:p:1341-1353") == (
        "taf",
        "regstd",
        "v54y2020i10p1341-1353",
    )
    assert handle_parts("repec:CDA:WPaper:0001") == ("CDA", "WPaper", "0001")
    assert handle_parts("RePEc:cda:wpaper") == ("cda", "wpaper", "")
    assert handle_parts("RePEc:cda") == ("cda", "", "")
    for bad in [
        "RePEc:ab:wpaper:1",
        "RePEc:abcd:wpaper:1",
        "RePEc:abc:wpape:1",
        "RePEc:abc:wpaper:",
        "RePEc:abc:wpaper:a#b",
        "RePEc:abc:wpaper:é",
        "hello",
    ]:
        with pytest.raises(ValueError, match="handle"):
            handle_parts(bad)


def test_normalise_doi():
    assert normalise_doi("https://doi.org/10.1080/0034.2020") == "10.1080/0034.2020"
    assert normalise_doi("doi: 10.1/x") == "10.1/x"
    assert normalise_doi("http://dx.doi.org/10.1/x") == "10.1/x"
    with pytest.raises(ValueError, match="not a DOI"):
        normalise_doi("not a doi")


# --------------------------------------------------------------------------
# the sample files


def test_1995_papers():
    (a, wa), (b, wb), (c, wc), (d, wd), (e, we) = results(PERL / "1995.rdf")
    assert isinstance(a, ItemRecord)
    assert a.kind == "paper"
    assert a.handle == "RePEc:cre:uqamwp:9501"
    assert a.line == 2
    assert a.path.endswith("1995.rdf")
    assert a.title.startswith("A Neoclassical and Econometric analysis of the Timing")
    assert a.authors == [
        AuthorRecord(
            "Philip Merrigan",
            email="merrigan.philip@uqam.ca",
            workplace="Université du Québec à Montréal",
        ),
        AuthorRecord("Yvan St-Pierre", workplace="University of Western Ontario"),
    ]
    assert a.abstract.startswith("This paper estimates a reduced form neoclassical model of Canadian fertility")
    assert "\n" not in a.abstract  # hard wrapping is not kept
    assert a.number == "9501"
    assert a.note == "To receive copy, email author"
    assert a.creation_date == PartialDate(1995, 1)
    assert a.effective_year == 1995
    assert wa == []
    assert b.creation_date == PartialDate(1995)
    assert b.revision_date is None
    assert "l'oeuvre de François Quesnay" in b.abstract
    assert messages(wb) == [f"{PERL / '1995.rdf'}:37: Revision-Date: not a date: 'January, 2001'; dropped"]
    assert c.handle == "RePEc:cre:uqamwp:9511"  # given twice, identically
    assert c.jel == ["D82", "H57"]
    assert c.keywords[:3] == [
        "Incitations",
        "contrats à plusieurs périodes",
        "réglementations",
    ]
    assert c.creation_date == PartialDate(1995, 10, 1)
    assert d.authors[1] == AuthorRecord("François Pannequin", workplace="École Normale Supérieure (Cachan) et GRID")
    assert d.files == [FileRecord("http://deneg.net/main.pdf", format="application/pdf")]
    assert e.files == [FileRecord("ftp://files.domain/dir/filename.ext", format="application/ms-word")]
    assert e.keywords[-1] == "Progrès technique."
    assert (e.creation_date, e.revision_date) == (
        PartialDate(1993, 12),
        PartialDate(1995, 7),
    )
    assert wc == wd == we == []


def test_bad_template_records():
    (series, ws), (paper_error, _), (last, wl) = results(PERL / "bad_template.rdf")
    assert isinstance(series, SeriesRecord)
    assert series.handle == "RePEc:tst:tests2"
    assert series.order_email == ""
    assert series.provider_name == "Centre for Economic Performance and ESRC"  # from Publisher-
    assert series.provider_homepage == "http://cep.lse.ac.uk/"
    (w,) = ws
    assert "bad_template.rdf:19: Order-Email" in str(w)
    assert isinstance(paper_error, ReDIFError)
    assert "bad_template.rdf:37: Handle" in str(paper_error)
    assert last.handle == "RePEc:cep:cepwps"
    assert wl == []


def test_single_bad_template_has_no_author():
    ((err, _),) = results(PERL / "single_bad_template.rdf")
    assert isinstance(err, ReDIFError)
    assert err.line == 1
    assert "single_bad_template.rdf:1:" in str(err)
    assert "Author-Name" in str(err)


def test_sloppy_series():
    rs = results(PERL / "sloppy_test.rdf")
    assert [r.handle for r, _ in rs] == [
        "RePEc:tst:testse",
        "RePEc:tst:tests2",
        "RePEc:cep:cepops",
        "RePEc:cep:cepwps",
    ]
    first = rs[0][0]
    assert first.description == "Discussion papers on Macroeconomics and Labour Economics"
    assert first.provider_name == "Centre for Economic Performance and ESRC"
    assert first.maintainer_name == "Lucy Matthew"
    assert first.maintainer_email == "L.Matthew@lse.ac.uk"
    assert first.kind == "paper"
    warnings = [w for _, ws in rs for w in ws]
    assert messages(warnings) == [
        f"{PERL / 'sloppy_test.rdf'}:23: Order-Email: not an e-mail address: '----wrong_email---'; dropped"
    ]


def test_test_rdf_series_use_provider_fields():
    rs = records(PERL / "test.rdf")
    assert [r.name for r in rs] == [
        "CEP Discussion Papers",
        "CEP Discussion Papers",
        "CEP Occasional Papers",
        "CEP Work in Progress",
    ]
    assert rs[0].provider_homepage == "http://cep.lse.ac.uk/"
    (r,) = records(PERL / "test2.rdf")
    assert r.handle == "RePEc:tst:testse"


def test_latin1_series_names():
    rs = results(PERL / "test_lat.rdf")
    assert [r.name for r, _ in rs] == [
        "CEP Discussion PÁpersqué no",
        "CEP Discussion PÁpersö",
        "CEP Occasional PÁpersö",
        "CEP WÏork in Progressö",
    ]
    assert rs[2][0].provider_name == ""  # empty Publisher-Name
    assert "test_lat.rdf:19: Order-Email" in str(rs[1][1][0])


def test_ctlseri_type_and_deprecated_publisher():
    rs = results(PERL / "ctlseri.rdf")
    assert [r.handle for r, _ in rs] == [
        "RePEc:ctl:louvco",
        "RePEc:ctl:louvec",
        "RePEc:ctl:louvir",
        "RePEc:ctl:louvis",
    ]
    stat, warnings = rs[3]
    assert stat.kind == "paper"
    assert messages(warnings) == [
        f"{PERL / 'ctlseri.rdf'}:24: Type: not a ReDIF item type: 'ReDIF-pdf'; taken as ReDIF-Paper"
    ]
    assert stat.provider_name == "Institut de Statistique (STAT)"
    assert stat.provider_institution == "RePEc:edi:louvius"
    assert rs[0][0].maintainer_name == "Pascal FRISQUE"


def test_pap_ser():
    paper, *series = records(PERL / "pap-ser.rdf")
    assert paper.handle == "RePEc:ctl:louvco:0001"
    assert paper.title == "the title"
    assert paper.authors == [AuthorRecord("Henry")]
    assert [s.handle for s in series] == [
        "RePEc:ctl:louvco",
        "RePEc:ctl:louvec",
        "RePEc:ctl:louvir",
        "RePEc:ctl:louvis",
    ]


def test_ucdavis_archive_and_series():
    ((archive, wa),) = results(DATA / "ucdavis_cdaarch.rdf")
    assert archive == ArchiveRecord(
        handle="RePEc:cda",
        path=str(DATA / "ucdavis_cdaarch.rdf"),
        line=1,
        name="Department of Economics, University of California, Davis",
        url="http://repec.econ.ucdavis.edu/RePEc/cda/",
        maintainer_email="sadyer@ucdavis.edu",
        description="This archive collects working papers from the Departments of Economics",
    )
    assert wa == []
    ((series, ws),) = results(DATA / "ucdavis_cdaseri.rdf")
    assert series.handle == "RePEc:cda:wpaper"
    assert series.kind == "paper"
    assert series.name == "Working Papers"
    assert series.provider_name == "University of California, Davis, Department of Economics"
    assert series.provider_homepage == "http://www.econ.ucdavis.edu"
    assert series.provider_institution == "RePEc:edi:educdus"
    assert series.maintainer_name == "Scott Dyer"
    assert ws == []


def test_books():
    ((err, _),) = results(PERL / "book.rdf")  # X-Author-Name only: no author, no editor
    assert isinstance(err, ReDIFError)
    assert err.line == 1
    ((book, warnings),) = results(PERL / "book2.rdf")
    assert book.kind == "book"
    assert book.handle == "RePEc:rrr:rrrrrr:rr60"
    assert book.authors == [AuthorRecord("B. Amerogli")]
    assert book.publisher == "John Wiley & Sons, Inc."  # Publisher-Name, not the commented Provider
    assert book.language == "en"
    assert book.creation_date == PartialDate(1990, 12)
    assert book.abstract.startswith("This paper presents a one-sided incomplete (asymmetric) information")
    assert warnings == []


def test_dp0060_and_ctrl_z_agree():
    (a, wa), (b, wb) = results(PERL / "dp0060.rdf")[0], results(PERL / "ctrl-z.rdf")[0]
    assert a.title == b.title == "Incomplete Information Bargaining And Business Cycles"
    assert a.authors == b.authors == [AuthorRecord("D. Acemoglu")]
    assert a.publication_status == ""  # "discussion Paper" is not a publication status
    assert [w.line for w in wa] == [w.line for w in wb] == [15]
    assert "Publication-Status" in str(wa[0])
    assert a.creation_date == PartialDate(1992, 1)


def test_comments_paper():
    ((paper, warnings),) = results(PERL / "comments.rdf")
    assert paper.title == "some title"
    assert [a.name for a in paper.authors] == ["Vasya PUPKIN", "Gena ZHUHKIN"]
    assert paper.handle == "RePEc:zzz:series:paper09090"
    assert paper.creation_date == PartialDate(2002, 8, 17)
    assert warnings == []


def test_x_test_papers():
    rs = records(PERL / "x_test.rdf")
    assert [r.handle for r in rs] == [
        "RePEc:jen:jenavo:9906-01",
        "RePEc:jen:jenavo:9906-02",
        "RePEc:jen:jenavo:9906-03",
    ]
    assert rs[0].title == (
        "Ursprungslandprinzip versus Bestimmungslandprinzip: Perspektiven europäischer Konsumbesteuerung"
    )
    assert rs[0].abstract.endswith("model by KEEN/SMITH (1996).")
    assert rs[1].abstract == ""
    assert rs[2].authors == [
        AuthorRecord(
            "Gregor A. Larbig",
            workplace="University of Jena, Faculty of Economics",
        )  # Author-Workplace-Homepage is the workplace's, not the author's
    ]
    assert rs[0].keywords == [
        "origin principle",
        "destination principle",
        "fiscal autonomy",
    ]
    assert rs[0].creation_date == PartialDate(1999, 10, 10)


def test_utf8_papers():
    for name in ["names_test.rdf", "unicode/test_utf8_0_valid.rdf"]:
        (paper,) = records(PERL / name)
        assert [a.name for a in paper.authors] == [
            "Christian Schultz",
            "Tomas Sjöström",
        ]
        assert paper.handle == "RePEc:wop:epruwp:some_handle"
        assert paper.title == "Public Debt, Property Values and Migration."
    (bad, _), (good, _) = results(PERL / "unicode" / "test_utf8_3.rdf")
    assert isinstance(bad, ReDIFError)
    assert "test_utf8_3.rdf:8: Handle" in str(bad)  # "RePEc:wop:epruwp:" has no item part
    assert good.title == "BELARUS REPUBLIC"
    assert [a.name for a in good.authors] == ["Peter MIHNITSKIY", "Tomas Sjöström"]


def test_dominique_in_three_encodings():
    people = [records(PERL / "unicode" / n)[0] for n in ("DOMINIQUE_16LE.rdf", "DOMINIQUE_2.rdf", "DOMINIQUE_utf8.rdf")]
    for p in people:
        p.path = ""
    assert people[0] == people[1] == people[2]
    p = people[0]
    assert isinstance(p, PersonRecord)
    assert p.handle == "RePEc:per:1946-07-11:DOMINIQUE_LEVY"
    assert (p.name_full, p.name_first, p.name_last) == (
        "LéVY, DOMINIQUE",
        "DOMINIQUE",
        "LéVY",
    )
    assert p.short_id == ""
    assert p.email == "dominique.levy@cepremap.cnrs.fr"
    assert p.homepage == "http://www.cepremap.cnrs.fr/~levy/"
    assert p.workplaces == [WorkplaceRecord(institution="RePEc:edi:ceprefr")]
    assert p.claimed == [
        ("article", "RePEc:oup:cambje:v:11:y:1987:i:2:p:133-64"),
        ("article", "RePEc:oup:cambje:v:15:y:1991:i:3:p:359-64"),
        ("paper", "RePEc:cpm:cepmap:9601"),
        ("paper", "RePEc:cpm:cepmap:9510"),
        ("paper", "RePEc:cpm:cepmap:8422"),
        ("paper", "RePEc:lev:wrkpap:10"),
    ]


def test_joe_black():
    ((p, warnings),) = results(PERL / "RePEc_per_1900-11-11_JOE_BLACK.rdf")
    assert p.handle == "RePEc:per:1900-11-11:JOE_BLACK"
    assert p.name_full == "BLACK, JOE"
    assert p.workplaces == [WorkplaceRecord("Federal Reserve Board", "RePEc:edi:bofgvfi", 98)]
    assert len(p.claimed) == 4
    assert p.claimed[0] == ("paper", "RePEc:boc:bocoec:384")
    assert p.homepage == "http://homepage.com"
    assert warnings == []


def test_ras_benabou():
    ((p, warnings),) = results(DATA / "ras" / "pbe27.redif")
    assert p.short_id == "pbe27"
    assert p.handle == "RePEc:per:1958-01-07:roland_benabou"
    assert (p.name_first, p.name_middle, p.name_last) == ("Roland", "J.", "Benabou")
    assert p.name_full == "Roland Benabou"
    assert p.workplaces[0] == WorkplaceRecord("Princeton University / Department of Economics", "RePEc:edi:deprius", 21)
    assert [w.share for w in p.workplaces] == [21, 21, 21, 21, 12, 4]
    kinds = [k for k, _ in p.claimed]
    assert (
        kinds.count("paper"),
        kinds.count("article"),
        kinds.count("chapter"),
        kinds.count("book"),
    ) == (
        99,
        38,
        3,
        1,
    )
    assert ("book", "RePEc:oxp:obooks:9780195305203") in p.claimed
    assert p.claimed[0] == ("paper", "RePEc:cpm:cepmap:8622")  # prefix case normalised
    assert warnings == []


def test_ras_other_people():
    ((rycx, w1),) = results(DATA / "ras" / "pry5.redif")
    assert rycx.workplaces[1].name == (
        "Université Libre de Bruxelles / Solvay Brussels School of Economics and Management"
        " / Département d'Économie Appliquée (DULBEA)"
    )
    assert [w.share for w in rycx.workplaces] == [34, 33, 33]
    assert rycx.email == "frycx@ulb.ac.be"
    assert w1 == []
    ((ryab, w2),) = results(DATA / "ras" / "pry53.redif")
    assert ryab.name_middle == "Vsevolodovych"
    assert ryab.workplaces == [
        WorkplaceRecord(
            'University of "Kiev-Mohyla Academy" / Economic Sciences Faculty / Department of Economics',
            "RePEc:edi:deukmua",
        )
    ]
    assert ryab.claimed == []
    assert w2 == []
    ((ryck, w3),) = results(DATA / "ras" / "pry55.redif")
    assert ryck.homepage == "https://vub.academia.edu/WouterRyckbosch"
    assert ryck.workplaces == [
        WorkplaceRecord("Vrije Universiteit Brussel, HOST (Historical Research into Urban Transformation Processes)")
    ]
    assert ryck.claimed[1] == ("article", "RePEc:oup:ereveh:v:20:y:2016:i:1:p:1-22.")
    assert w3 == []


def test_institutions():
    abo, aaw, abs_ = records(PERL / "institutions.rdf")
    assert isinstance(abo, InstitutionRecord)
    assert abo.handle == "RePEc:edi:abokuat"
    assert abo.name == "Institut für Agrarökonomik"
    assert abo.name_english == "Institute for Agricultural Economics"
    assert abo.parents == ["Universität für Bodenkultur"]
    assert abo.location == "Wien"
    assert abo.homepage == "http://www.boku.ac.at:80/iao/"
    assert abo.postal == "Peter Jordan Straße 82, A-1190 Wien"
    assert aaw.name == "Algemene Agrarische Economie"
    assert abs_.email == "client.services@abs.gov.au"
    ((heid, warnings),) = results(DATA / "ras" / "iiheide.rdf")
    assert heid.name == "Institut für internationale vergleichende Wirtschafts- und Sozialstatistik"
    assert heid.parents == [
        "Alfred-Weber-Institut für Wirtschaftswissenschaften",
        "Fakultät für Wirtschafts- und Sozialwissenschaften",
        "Ruprecht-Karls-Universität Heidelberg",
    ]
    assert heid.homepage == "http://wss.uni-hd.de/"
    assert heid.location == "Heidelberg, Germany"
    assert warnings == []
    (yale,) = records(DATA / "ras" / "yciasus.rdf")
    assert yale.parents == ["Yale University"]
    (zef,) = records(DATA / "ras" / "zefbnde.rdf")
    assert zef.name == "Zentrum für Entwicklungsforschung (ZEF)"
    assert zef.postal == "Walter-Flex-Straße 3, D - 53113 Bonn"


def test_handwritten_article():
    path = DATA / "handwritten" / "article.rdf"
    ((a, warnings),) = results(path)
    assert a.kind == "article"
    assert a.line == 3
    assert a.handle == "RePEc:taf:regstd:v:54:y:2020:i:10:p:1341-1353"
    assert handle_parts(a.handle)[2] == "v54y2020i10p1341-1353"
    assert a.title == "Regional innovation systems and growth"
    assert a.abstract == "First paragraph, wrapped over two lines.\n\nSecond paragraph."
    assert a.authors == [
        AuthorRecord(
            "José García",
            email="jose.garcia@example.es",
            workplace="Universidad de Sevilla",
            homepage="https://example.es/~jgarcia",
            person="pga123",
        ),
        AuthorRecord("Anna Müller", workplace="Universität Wien"),
    ]
    assert a.jel == ["O31", "R11", "R58", "O38"]
    assert a.keywords == ["innovation", "regional growth"]
    assert (a.journal, a.volume, a.issue, a.pages, a.year, a.month) == (
        "Regional Studies",
        "54",
        "10",
        "1341-1353",
        2020,
        "October",
    )
    assert a.doi == "10.1080/00343404.2020.1712345"
    assert a.language == "en"
    assert a.publication_status == "Published in Regional Studies"
    assert a.creation_date is None
    assert a.publication_date == PartialDate(2020, 10, 2)
    assert a.effective_year == 2020
    assert a.files == [
        FileRecord(
            "https://www.example.org/rs/54/10.pdf",
            format="application/pdf",
            function="Full text",
            restriction="Subscription required",
        ),
        FileRecord("ftp://ftp.example.org/rs.zip"),
    ]
    lines = [(w.line, w.message.split(":")[0]) for w in warnings]
    assert lines == [
        (12, "Author-Email"),
        (19, "Classification-JEL"),
        (30, "Creation-Date"),
        (36, "File-URL"),
        (39, "File-Format"),
    ]
    assert all(str(w).startswith(f"{path}:") for w in warnings)
    assert "'X99'" in warnings[1].message


def test_handwritten_other_kinds():
    (chapter, wc), (book, wb), (software, ws) = results(DATA / "handwritten" / "kinds.rdf")
    assert chapter.kind == "chapter"
    assert chapter.book_title == "Handbook of Economic Growth"
    assert [e.name for e in chapter.editors] == ["Philippe Aghion", "Steven Durlauf"]
    assert chapter.publisher == "Elsevier"
    assert chapter.in_book == "RePEc:eee:grobks:1"
    assert chapter.authors[0].person == "RePEc:per:1958-01-07:roland_benabou"
    assert (chapter.pages, chapter.year, chapter.isbn) == (
        "1-25",
        2005,
        "978-0-444-52041-8",
    )
    assert book.authors == []
    assert book.editors == [AuthorRecord("Jane Editor")]
    assert book.publisher == "Oxford University Press"
    assert book.edition == "2"
    assert book.effective_year == 2008  # publication date before creation date
    assert software.programming_language == "Stata"
    assert software.creation_date == PartialDate(2004, 4, 1)
    assert software.revision_date == PartialDate(2019, 3, 15)  # the latest
    assert software.files[0].size == "12 kB"
    assert software.files[0].function == "program code"
    assert wc == wb == ws == []


def test_cp1252_paper():
    ((p, warnings),) = results(DATA / "handwritten" / "cp1252_quotes.rdf")
    assert p.title == "“Quoted” title – with a dash"
    assert p.authors == [AuthorRecord("François Café")]
    assert warnings == []


def test_every_sample_gives_records_or_redif_errors():
    counts = {"ok": 0, "skipped": 0}
    for path in ALL_SAMPLES:
        for rec, warnings in results(path):
            if isinstance(rec, ReDIFError):
                counts["skipped"] += 1
                assert path.name in str(rec)
            else:
                counts["ok"] += 1
                assert rec.path == str(path)
                assert all(isinstance(w, ReDIFError) and w.line >= rec.line for w in warnings)
    assert counts == {"ok": 60, "skipped": 4}


# --------------------------------------------------------------------------
# rules on small templates

PAPER = "Template-Type: ReDIF-Paper 1.0\nTitle: T\nAuthor-Name: A\n"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (PAPER, 1, "missing required field Handle"),
        (PAPER + "Handle: RePEc:abc:wpaper", 4, "not an item handle"),
        (PAPER + "Handle: abc:wpaper:1", 4, "not a RePEc handle"),
        (
            PAPER + "Handle: RePEc:abc:wpaper:1\nHandle: RePEc:abc:wpaper:2",
            5,
            "conflicting",
        ),
        (PAPER + "Handle: RePEc:abc:wpaper:" + "x" * 120, 4, "longer than 120"),
        (
            "Template-Type: ReDIF-Paper 1.0\nAuthor-Name: A\nHandle: RePEc:abc:wpaper:1",
            1,
            "Title",
        ),
        (
            "Template-Type: ReDIF-Paper 1.0\nTitle: T\nHandle: RePEc:abc:wpaper:1",
            1,
            "Author-Name",
        ),
        (
            "Template-Type: ReDIF-Series 1.0\nHandle: RePEc:abc:wpaper\nMaintainer-Email: a@b.org",
            1,
            "Name",
        ),
        (
            "Template-Type: ReDIF-Series 1.0\nHandle: RePEc:abc:wpaper\nName: N",
            1,
            "Maintainer-Email",
        ),
        (
            "Template-Type: ReDIF-Series 1.0\nHandle: RePEc:abc\nName: N\nMaintainer-Email: a@b.org",
            2,
            "series",
        ),
        (
            "Template-Type: ReDIF-Archive 1.0\nHandle: RePEc:abc\nName: N\nMaintainer-Email: a@b.org",
            1,
            "URL",
        ),
        (
            "Template-Type: ReDIF-Archive 1.0\nHandle: RePEc:abc\nName: N\nURL: www.x.org\nMaintainer-Email: a@b.org",
            4,
            "URL",
        ),
        (
            "Template-Type: ReDIF-Person 1.0\nHandle: RePEc:per:2001-01-01:x_y",
            1,
            "Name-Full",
        ),
        (
            "Template-Type: ReDIF-Person 1.0\nHandle: RePEc:abc:x\nName-Full: X",
            2,
            "person handle",
        ),
        (
            "Template-Type: ReDIF-Institution 1.0\nHandle: RePEc:edi:abcdefg",
            1,
            "Primary-Name",
        ),
        (
            "Template-Type: ReDIF-Institution 1.0\nHandle: RePEc:edi:abc\nPrimary-Name: P",
            2,
            "institution",
        ),
    ],
)
def test_skipped_templates(text, line, fragment):
    with pytest.raises(ReDIFError) as info:
        one(text, "f.rdf")
    assert info.value.line == line
    assert str(info.value).startswith(f"f.rdf:{line}: ")
    assert fragment in info.value.message


def test_person_name_from_parts_and_variants():
    p, warnings = one(
        "Template-Type: ReDIF-Person 1.0\nName-First: Jose\nName-Last: Garcia\n"
        "Name-ASCII: Jose Garcia\nName-ASCII: J. Garcia\nShort-Id: PGA123\n"
        "Email: nope\nEmail: jg@example.org\nWorkplace-Name: U\nWorkplace-Share: lots\n"
        "Workplace-Organization: RePEc:edi:bad\n"
        "Author-Paper: RePEc:abc:wpaper:1\nAuthor-Paper: repec:ABC:wpaper:1\n"
        "Author-Article: RePEc:abc\nEditor-Series: RePEc:abc:wpaper\n"
        "Handle: RePEc:per:2001-01-01:jose_garcia\n"
    )
    assert p.name_full == "Jose Garcia"
    assert p.name_variants == ["J. Garcia"]
    assert p.short_id == "pga123"
    assert p.email == "jg@example.org"
    assert p.workplaces == [WorkplaceRecord("U")]
    assert p.claimed == [("paper", "RePEc:abc:wpaper:1")]
    assert p.edited == [("series", "RePEc:abc:wpaper")]
    assert [w.line for w in warnings] == [7, 10, 11, 14]


def test_person_short_id_as_handle():
    p, _ = one("Template-Type: ReDIF-Person 1.0\nName-Full: X Y\nHandle: pxy1\n")
    assert p.handle == "pxy1"


def test_long_values_are_truncated_with_warning():
    title = "word " * 300
    rec, warnings = one(
        f"Template-Type: ReDIF-Paper 1.0\nTitle: {title}\nAuthor-Name: {'n' * 300}\n"
        f"Author-Homepage: http://x.org/{'p' * 2000}\nPages: {'1' * 60}\nHandle: RePEc:abc:wpaper:1\n"
    )
    assert len(rec.title) <= LIMITS["title"]
    assert rec.title.startswith("word word")
    assert len(rec.authors[0].name) == LIMITS["name"]
    assert rec.authors[0].homepage == ""  # a cut URL is useless: dropped
    assert len(rec.pages) == LIMITS["pages"]
    assert [w.line for w in warnings] == [2, 3, 4, 5]


def test_series_kinds_and_article_without_optional_fields():
    s, _ = one(
        "Template-Type: ReDIF-Series 1.0\nName: J\nType: ReDIF-Article\nHandle: RePEc:abc:journl\n"
        "Maintainer-Email: m@x.org\nISSN: 1234-5678\n"
    )
    assert (s.kind, s.issn) == ("article", "1234-5678")
    a, warnings = one("Template-Type: ReDIF-Article 1.0\nTitle: T\nAuthor-Name: A\nHandle: RePEc:abc:journl:v1\n")
    assert a.effective_year is None
    assert a.files == []
    assert warnings == []


def test_to_record_needs_a_known_kind():
    with pytest.raises(ReDIFError):
        to_record(Template("poster", "1.0", "p", 1, [Field("handle", "RePEc:a:b:c", 2)]))


@given(
    st.lists(st.text(max_size=30), max_size=12),
    st.sampled_from(["Paper", "Series", "Person", "Institution"]),
)
@settings(max_examples=200)
def test_to_record_only_raises_redif_error(values, kind):
    names = [
        "Title",
        "Author-Name",
        "Handle",
        "Name",
        "Name-Full",
        "Primary-Name",
        "Creation-Date",
    ]
    lines = [f"Template-Type: ReDIF-{kind} 1.0"]
    lines += [f"{names[i % len(names)]}: {v}" for i, v in enumerate(values)]
    for t in parse_text("\n".join(lines)):
        if isinstance(t, Template):
            try:
                _record, warnings = to_record(t)
            except ReDIFError:
                continue
            assert all(isinstance(w, ReDIFError) for w in warnings)
