"""Parsing the reader's query: web-search syntax, rendered safely for both backends."""

from hypothesis import given
from hypothesis import strategies as st

from catalogue.search.query import MAX_CHARS, Term, parse


def test_words_phrases_or_and_exclusions():
    query = parse('"smart specialisation" Spain patents OR trademarks -china -"free trade"')
    assert query.groups == [
        [Term(("smart", "specialisation")), Term(("smart", "specialization"), spelling=True)],
        [Term(("spain",))],
        [Term(("patents",)), Term(("trademarks",))],
    ]
    assert query.excluded == [Term(("china",), True), Term(("free", "trade"), True)]
    assert query.words() == ["smart", "specialisation", "spain", "patents", "trademarks"]
    assert query.tsquery() == (
        "(('smart' <-> 'specialisation') | ('smart' <-> 'specialization')) & (('spain'))"
        " & (('patents') | ('trademarks')) & !('china') & !('free' <-> 'trade')"
    )
    assert query.fts5() == (
        '((("smart specialisation" OR "smart specialization") AND ("spain") AND ("patents" OR "trademarks"))'
        ' NOT "china") NOT "free trade"'
    )
    assert query.phrases() == [
        ("smart", "specialisation", "spain", "patents"),
        ("smart", "specialisation", "spain", "trademarks"),
        ("smart", "specialization", "spain", "patents"),
        ("smart", "specialization", "spain", "trademarks"),
    ]


def test_british_and_american_spellings_are_both_searched():
    assert parse("labour").groups == [[Term(("labour",)), Term(("labor",), spelling=True)]]
    assert parse("analyze -organisation").excluded == [
        Term(("organisation",), True),
        Term(("organization",), True, spelling=True),
    ]
    assert parse("sector four rise").groups == [[Term(("sector",))], [Term(("four",))], [Term(("rise",))]]


def test_stopwords_are_dropped_outside_phrases_and_said():
    query = parse('the economics of "the firm"')
    assert query.groups == [[Term(("economics",))], [Term(("the", "firm"))]]
    assert query.notes == ["Left out as too common: the, of."]


def test_punctuation_inside_a_word_makes_a_phrase():
    assert parse("smart-specialisation").groups[0][0] == Term(("smart", "specialisation"))
    assert parse("O'Brien").groups == [[Term(("o", "brien"))]]


def test_nothing_to_search_for():
    for text in ("", "   ", "the of and", "!!! ???", '""', "OR OR"):
        assert not parse(text), text
    only_excluded = parse("-growth")
    assert not only_excluded
    assert "at least one word" in only_excluded.notes[-1]


def test_or_without_two_sides_is_ignored():
    assert parse("OR growth").groups == [[Term(("growth",))]]
    assert parse("growth OR").groups == [[Term(("growth",))]]
    assert parse("growth or trade").groups == [[Term(("growth",))], [Term(("trade",))]]  # lower-case or is a word


def test_enormous_query_is_cut_with_a_note():
    query = parse("growth " * 1000)
    assert len(query.text) <= MAX_CHARS
    assert any("first 500 characters" in note for note in query.notes)
    assert any("first 16 terms" in note for note in query.notes)


@given(st.text(max_size=300))
def test_any_input_renders_only_words_quotes_and_operators(text):
    query = parse(text)
    fts = query.fts5()
    # every quoted string holds only word characters and spaces, so FTS5 cannot misread it
    inside = fts.split('"')[1::2]
    assert all(part.replace(" ", "").isalnum() for part in inside)
    outside = "".join(fts.split('"')[0::2])
    assert set(outside) <= set("()ANDORT ")
    assert '"' not in "".join(w for g in query.groups for t in g for w in t.words)
    # to_tsquery's operands are quoted words of letters and digits, between its operators only
    tsquery = query.tsquery()
    assert all(part.isalnum() for part in tsquery.split("'")[1::2])
    assert set("".join(tsquery.split("'")[0::2])) <= set("()<->|&! ")
