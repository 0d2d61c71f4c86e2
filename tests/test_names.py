"""catalogue.names: one fold for personal names, and the places that folded names their own way
(claim linking, claim suggestions, short-ids, the matcher's surnames, the synthetic catalogue)."""

import unicodedata

import pytest

from catalogue.authors.claiming import same_name
from catalogue.authors.profiles import next_short_id
from catalogue.changes.claims import pick_authorship
from catalogue.citations import similarity as sim
from catalogue.models import Authorship, Person
from catalogue.names import ascii_fold, fold, name_tokens, name_words, short_id_prefix, strip_marks
from catalogue.search.indexing import rebuild
from catalogue.synthetic import vocab


def test_letters_without_an_accent_to_drop_are_spelt_out():
    # NFKD and encode("ascii", "ignore") made this "ukasz ster"
    assert fold("Łukasz Øster") == "lukasz oster"
    assert fold("Sörvik") == "sorvik"
    assert fold("Æbeltoft Straße Đoković Þórsson Œuvray") == "aebeltoft strasse dokovic thorsson oeuvray"
    assert fold("Yıldız Ðorđe Ħaġar") == "yildiz dorde hagar"
    assert fold("王 小明") == "王 小明"  # other scripts are kept, not dropped


def test_words_and_tokens():
    assert name_words("Sörvik, J.-P.") == ["sorvik", "j", "p"]
    assert name_words("Øster, Łukasz") == ["oster", "lukasz"]
    assert name_tokens("Sörvik, Jens J.") == {"sorvik", "jens"}
    assert name_tokens("Łukasz Øster") == name_tokens("Oster, Lukasz")
    assert name_tokens("王小明") == {"王小明"}  # a name in another script still has a token


def test_the_ascii_fold_is_for_identifiers():
    assert ascii_fold("Łukasz Øster") == "lukasz oster"
    assert ascii_fold("O'Brien-Sørensen") == "obrien-sorensen"
    assert ascii_fold("王 Li") == " li"
    assert short_id_prefix("Sörvik") == "pso"
    assert short_id_prefix("Łukasiewicz") == "plu"  # was "puk"
    assert short_id_prefix("Øster") == "pos"  # was "pst"
    assert short_id_prefix("O'Brien") == "pob"
    assert short_id_prefix("王") == "pxx"


def test_the_synthetic_catalogue_folds_its_names_as_before():
    """The generator's own fold (a table of eight letters before NFKD and encode("ascii",
    "ignore")) and the shared one give the same identifiers for every name in its word lists,
    so a seed still generates the same catalogue."""
    old_table = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "ı": "i", "æ": "ae"})
    old_table[ord("'")] = ""

    def old(text: str) -> str:
        return unicodedata.normalize("NFKD", text.translate(old_table)).encode("ascii", "ignore").decode().lower()

    names = [*vocab.FIRST_NAMES, *vocab.LAST_NAMES]
    assert names
    assert [ascii_fold(n) for n in names] == [old(n) for n in names]
    assert [short_id_prefix(n) for n in vocab.LAST_NAMES] == [
        "p" + (old(n).replace(" ", "") + "xx")[:2] for n in vocab.LAST_NAMES
    ]


def test_strip_marks_keeps_what_the_sqlite_index_keeps():
    """Title words go to the search index as it holds them: FTS5's remove_diacritics drops
    accents but keeps ł and ø, so the matcher's title words (similarity.fold) must too."""
    assert strip_marks("Łódź, Sörvik") == "Łodz, Sorvik"
    assert sim.fold("Łódź Østergaard Sörvik") == "łodz østergaard sorvik"
    assert sim.words("Økonomi i Łódź") == ["økonomi", "i", "łodz"]


def test_the_matcher_reads_surnames_with_the_name_fold():
    assert sim.surnames("Øster, Ł. & Sörvik, J.") == {"oster", "sorvik"}
    assert sim.first_surname("Łukasiewicz, J. (2013). A title.") == "lukasiewicz"


@pytest.mark.django_db
def test_linking_finds_a_name_written_without_its_letters(item_factory):
    item = item_factory()
    other = Authorship.objects.create(item=item, position=0, name="Anna Ruiz")
    written = Authorship.objects.create(item=item, position=1, name="Oster, Lukasz")
    person = Person(short_id="pos1", name_first="Łukasz", name_last="Øster", name_full="Łukasz Øster")
    assert pick_authorship(person, [other, written]) == written


@pytest.mark.django_db
def test_claiming_takes_a_name_written_without_its_letters_as_the_same_name():
    person = Person(short_id="pos1", name_first="Łukasz", name_last="Øster", name_full="Łukasz Øster")
    forms = ["Łukasz Øster"]
    assert same_name("Lukasz Oster", person, forms) is True
    assert same_name("L. Oster", person, forms) is False  # close: initials
    assert same_name("Anna Ruiz", person, forms) is None


@pytest.mark.django_db
def test_a_new_short_id_begins_with_the_folded_family_name():
    Person.objects.create(short_id="plu4", name_last="Łukasiewicz")
    assert next_short_id("Łukasiewicz") == "plu5"


@pytest.mark.django_db
def test_suggestions_still_find_a_name_with_letters_the_index_keeps(django_user_model, item_factory):
    """The claim suggestions look the family name up in the search index; on SQLite it keeps ø,
    so the looked-up words are the index's (sim.words), not the name fold's."""
    from catalogue.authors.claiming import suggestions

    item = item_factory(title="Fisheries in the Baltic")
    Authorship.objects.create(item=item, position=0, name="Jens Østergaard")
    item_factory(title="Unrelated")
    rebuild()
    person = Person.objects.create(
        short_id="pos1", name_first="Jens", name_last="Østergaard", name_full="Jens Østergaard"
    )
    found = suggestions(person)
    assert [s.item for s in found] == [item]
    assert found[0].exact
