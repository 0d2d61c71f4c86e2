"""Reference matching on both backends: quality on a labelled set, DOIs and handles, people's
decisions kept, incremental runs, citation counts."""

import json
import random

import pytest
from django.core.management import call_command

from catalogue.citations.labelled import Work, labelled_set, quality
from catalogue.citations.matching import match_references
from catalogue.ingest.references import load_references
from catalogue.models import Authorship, HandleAlias, Item, Reference
from catalogue.search.indexing import rebuild
from catalogue.synthetic import text

pytestmark = pytest.mark.django_db

# Thresholds the matcher must keep: quality cannot silently fall.
MIN_PRECISION = 0.97
MIN_RECALL = 0.85


@pytest.fixture
def works(series_factory, item_factory):
    """120 catalogue items with realistic titles and authors, and 40 works that are not in it."""
    rng = random.Random("matching")
    series = series_factory(name="Journal of Regional Economics", kind="article")
    present, absent, titles = [], [], set()
    for n in range(160):
        title = text.title(rng)
        while title.lower() in titles:
            title = text.title(rng)
        titles.add(title.lower())
        names = [text.full_name(*text.person_name(rng)) for _ in range(rng.randint(1, 4))]
        year = rng.randint(1990, 2024)
        if n < 120:
            item = item_factory(series=series, kind="article", title=title, year=year)
            Authorship.objects.bulk_create(Authorship(item=item, position=i, name=name) for i, name in enumerate(names))
            present.append(Work(item.pk, title, year, names, series.name))
        else:
            absent.append(Work(None, title, year, names, "Review of Economic Studies"))
    rebuild()  # the SQLite backend finds candidates in the search index
    return present, absent, rng


def reference_list(citing, cases):
    Reference.objects.bulk_create(Reference(citing=citing, position=i, **case.fields) for i, case in enumerate(cases))
    return list(Reference.objects.filter(citing=citing).order_by("position"))


def test_quality_on_a_labelled_set(works, item_factory, capsys):
    present, absent, rng = works
    cases = labelled_set(present, absent, rng)
    refs = reference_list(item_factory(title="A survey citing them all"), cases)
    report = match_references()
    assert report.seen == len(cases)
    outcomes = [
        (r.status, r.target_id) for r in Reference.objects.filter(pk__in=[r.pk for r in refs]).order_by("position")
    ]
    q = quality(cases, outcomes)
    with capsys.disabled():
        print(f"\nmatching quality: {q.summary()}")
    assert q.precision >= MIN_PRECISION, q.summary()
    assert q.recall >= MIN_RECALL, q.summary()
    assert q.recall_with_confirmations >= q.recall
    # counts follow the matches
    cited = Item.objects.get(pk=present[0].pk)
    assert cited.citation_count == Reference.objects.citing(cited).count()


def test_doi_and_handle_match_outright(item_factory):
    target = item_factory(title="Completely different words", doi="10.1016/J.RESPOL.2020.104010")
    moved = item_factory(title="Another item")
    HandleAlias.objects.create(item=moved, handle="RePEc:old:series:1")
    citing = item_factory()
    Reference.objects.create(
        citing=citing, position=0, raw_text="Smith (2020) https://doi.org/10.1016/j.respol.2020.104010."
    )
    Reference.objects.create(citing=citing, position=1, raw_text="Doe (2019)", cited_handle="RePEc:OLD:series:1")
    match_references()
    refs = list(Reference.objects.filter(citing=citing).order_by("position"))
    assert [(r.status, r.target_id, r.score) for r in refs] == [("matched", target.pk, 1.0), ("matched", moved.pk, 1.0)]


def test_a_citation_is_dated_when_it_begins_to_count(item_factory, tmp_path):
    first, second = item_factory(title="The first target"), item_factory(title="The second target")
    citing = item_factory()
    path = tmp_path / "refs.jsonl"

    def load(cited):
        path.write_text(json.dumps({"citing": citing.handle, "text": f"Cites {cited}", "cited": cited}))
        assert load_references(path).ok
        return Reference.objects.get(citing=citing)

    linked = load(first.handle).linked_at
    assert linked is not None
    match_references(everything=True)  # the same outcome: the same date
    assert Reference.objects.get(citing=citing).linked_at == linked
    moved = load(second.handle)  # now a citation of another item: dated anew
    assert moved.target_id == second.pk
    assert moved.linked_at > linked
    gone = load("RePEc:xxx:nowhere:1")  # no longer a citation: no date
    match_references()
    gone.refresh_from_db()
    assert gone.status == "unmatched"
    assert gone.linked_at is None


def test_decisions_survive_reruns_and_reloads(works, item_factory, tmp_path, staff):
    present, _, rng = works
    citing = item_factory(title="A paper with references")
    cases = labelled_set(present[:6], [], rng)
    refs = reference_list(citing, cases)
    # a person links one by hand to another item, and rejects another's candidate
    by_hand, rejected = refs[0], refs[1]
    Reference.objects.filter(pk=by_hand.pk).update(status="confirmed", target_id=present[10].pk, decided_by=staff)
    Reference.objects.filter(pk=rejected.pk).update(status="rejected", target=None, decided_by=staff)
    match_references(everything=True)
    by_hand.refresh_from_db()
    rejected.refresh_from_db()
    assert (by_hand.status, by_hand.target_id) == ("confirmed", present[10].pk)
    assert (rejected.status, rejected.target_id) == ("rejected", None)
    # incremental: nothing new, nothing read
    assert match_references().seen == 0
    # reloading the same list keeps the decisions; a changed reference is read again
    handle = citing.handle
    lines = [
        {"citing": handle, "text": r.raw_text, "title": r.title, "authors": r.authors, "year": r.year} for r in refs
    ]
    lines = [{k: v for k, v in line.items() if v} for line in lines]
    lines[2]["text"] = lines[2]["text"] + " Revised version."
    path = tmp_path / "refs.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert load_references(path).ok
    report = match_references()
    assert report.seen == 1
    by_hand.refresh_from_db()
    assert (by_hand.status, by_hand.target_id) == ("confirmed", present[10].pk)


def test_an_item_never_matches_itself(works):
    present = works[0]
    own = Item.objects.get(pk=present[0].pk)
    Reference.objects.create(citing=own, position=0, raw_text=f"Someone (2001). {own.title}.")
    match_references()
    assert Reference.objects.get(citing=own).target_id != own.pk


def test_the_command_reports(works, item_factory, capsys):
    present, absent, rng = works
    reference_list(item_factory(), labelled_set(present[:5], absent[:2], rng))
    call_command("match_references", verbosity=0)
    out = capsys.readouterr().out
    assert out.startswith("references read 7: matched ")


def test_a_run_can_be_limited_to_some_citing_items(works, item_factory):
    present, _, rng = works
    first, second = item_factory(), item_factory()
    reference_list(first, labelled_set(present[:3], [], rng))
    reference_list(second, labelled_set(present[3:5], [], rng))
    assert match_references(citing=[second.pk]).seen == 2
    assert Reference.objects.filter(citing=first, matched_at__isnull=True).count() == 3


def test_self_citations_are_flagged(item_factory, person_factory):
    person = person_factory()
    own = item_factory(title="Regional innovation systems in Andalusia", year=2015)
    other = item_factory(title="Smart specialisation in Andalusia", year=2016)
    Authorship.objects.create(item=own, position=0, name="Jens Sörvik", person=person)
    Authorship.objects.create(item=other, position=0, name="Ana Ruiz")
    later = item_factory(title="A later paper")
    Authorship.objects.create(item=later, position=0, name="J. Sorvik")  # the same family name and initial
    stranger = item_factory(title="Someone else's paper")
    Authorship.objects.create(item=stranger, position=0, name="Jane Doe")
    for citing in (later, stranger):
        Reference.objects.create(citing=citing, position=0, raw_text="a", cited_handle=own.handle)
        Reference.objects.create(citing=citing, position=1, raw_text="b", cited_handle=other.handle)
    match_references()
    flags = sorted(Reference.objects.values_list("citing__title", "target__title", "self_citation"))
    assert flags == [
        ("A later paper", "Regional innovation systems in Andalusia", True),
        ("A later paper", "Smart specialisation in Andalusia", False),
        ("Someone else's paper", "Regional innovation systems in Andalusia", False),
        ("Someone else's paper", "Smart specialisation in Andalusia", False),
    ]
