"""Most related items on a small graph checked by hand, in full and incrementally."""

import numpy as np
import pytest

from catalogue.citations.related import Graph, compute_related, related_lists
from catalogue.models import Reference, RelatedItem

LOG2_3 = 1.584962500721156


def lists(edges, n=20):
    citing, cited = (np.array(column, dtype=np.int64) for column in zip(*edges, strict=True))
    return dict(related_lists(Graph.from_edges(citing, cited), n=n))


def score(related, a, b):
    return dict(related[a])[b]


def test_coupling_and_cocitation_on_a_hand_checked_graph():
    # 1 and 2 both cite 10 and 11 (coupling through two works);
    # 3 cites 10 only; 20 cites 1 and 4 (co-citation of 1 and 4).
    edges = [(1, 10), (1, 11), (2, 10), (2, 11), (3, 10), (20, 1), (20, 4)]
    related = lists(edges)
    # work 10 is cited by 3 items: each pair gets 1/log2(4) = 0.5; work 11 by 2: 1/log2(3)
    assert score(related, 1, 2) == pytest.approx(0.5 + 1 / LOG2_3)
    assert score(related, 1, 3) == pytest.approx(0.5)
    assert score(related, 1, 4) == pytest.approx(1 / LOG2_3)  # 20 cites two works: 1/log2(1 + 2)
    assert [other for other, _ in related[1]] == [2, 4, 3]
    assert score(related, 2, 1) == score(related, 1, 2)  # symmetric
    # co-citation: 10 and 11 are cited together by 1 and 2 (each citing two works)
    assert score(related, 10, 11) == pytest.approx(2 / LOG2_3)
    assert 20 not in related  # it shares nothing with anyone


def test_hubs_are_damped_and_self_citations_ignored():
    edges = [(i, 999) for i in range(100)] + [(0, 5), (1, 5), (500, 500), (0, 5)]
    related = lists(edges)
    assert score(related, 0, 1) > score(related, 0, 2) > 0  # sharing a small work beats sharing only the hub
    assert score(related, 0, 1) == pytest.approx(1 / np.log2(101) + 1 / LOG2_3)  # a repeated citation counts once
    assert 500 not in related


def test_past_the_hub_limit_nothing_is_paired(monkeypatch):
    from catalogue.citations import related as module

    monkeypatch.setattr(module, "HUB_LIMIT", 50)
    related = lists([(i, 999) for i in range(100)] + [(0, 5), (1, 5)])
    assert [other for other, _ in related[0]] == [1]


def test_the_top_n_keeps_the_best_and_breaks_ties_by_the_smaller_id():
    # item 0 shares one work with each of 1..30 (cited by two: 1/log2(3) each, all tied), except
    # that 31 cites 1001 too: 1 shares with 0 a work three cite (0.5); 31 shares two works with 0
    edges = [(0, 1000 + k) for k in range(31)] + [(k, 1000 + k) for k in range(1, 31)] + [(31, 1000), (31, 1001)]
    related = lists(edges, n=5)
    assert [other for other, _ in related[0]] == [31, 2, 3, 4, 5]
    assert score(related, 0, 31) == pytest.approx(1 / LOG2_3 + 0.5)


@pytest.mark.django_db
def test_compute_related_writes_ranked_rows(item_factory):
    a, b, c, cited1, cited2 = item_factory.create_batch(5)
    for citing in (a, b):
        for position, cited in enumerate((cited1, cited2)):
            Reference.objects.create(citing=citing, position=position, raw_text="x", target=cited, status="matched")
    Reference.objects.create(citing=c, position=0, raw_text="x", target=cited1, status="uncertain")
    assert compute_related().rows == 4  # a~b, b~a (coupling), cited1~cited2, cited2~cited1 (co-citation)
    assert list(RelatedItem.objects.filter(item=a).values_list("related", "rank")) == [(b.pk, 0)]
    assert not RelatedItem.objects.filter(item=c).exists()  # uncertain references do not count


@pytest.mark.django_db
def test_an_incremental_run_gives_what_a_full_run_gives(item_factory):
    items = item_factory.create_batch(12)
    ids = [i.pk for i in items]
    edges = [(0, 5), (1, 5), (1, 6), (2, 6), (3, 7), (4, 7), (4, 8)]
    for n, (citing, cited) in enumerate(edges):
        Reference.objects.create(
            citing_id=ids[citing], position=n, raw_text="x", target_id=ids[cited], status="matched"
        )
    compute_related()
    # item 9 now cites 5 and 8: the lists of 0, 1, 4, 5, 8 and 9 change; 2, 3 and 7 may not
    Reference.objects.create(citing_id=ids[9], position=0, raw_text="x", target_id=ids[5], status="matched")
    Reference.objects.create(citing_id=ids[9], position=1, raw_text="x", target_id=ids[8], status="matched")
    report = compute_related(changed=[ids[9]])
    incremental = sorted(RelatedItem.objects.values_list("item", "related", "rank", "score"))
    assert report.items < 10
    compute_related()
    assert sorted(RelatedItem.objects.values_list("item", "related", "rank", "score")) == incremental
    assert RelatedItem.objects.filter(item_id=ids[9]).exists()


@pytest.mark.django_db
def test_the_command_recomputes_since_a_moment_and_names_a_bad_one(item_factory, capsys):
    from django.core.management import CommandError, call_command
    from django.utils import timezone

    a, b, cited = item_factory.create_batch(3)
    for citing in (a, b):
        Reference.objects.create(
            citing=citing, position=0, raw_text="x", target=cited, status="matched", matched_at=timezone.now()
        )
    call_command("compute_related", since="2000-01-01")
    assert "related items: 2 rows for 2 items" in capsys.readouterr().out
    with pytest.raises(CommandError, match="'2026-13-40' is not a date and time"):
        call_command("compute_related", since="2026-13-40")


@pytest.mark.django_db
def test_since_counts_peoples_decisions_and_rejected_candidates(item_factory):
    from datetime import timedelta

    from django.utils import timezone

    from catalogue.management.commands.compute_related import changed_since

    long_ago, moment = timezone.now() - timedelta(days=30), timezone.now() - timedelta(days=1)
    old, confirmed, rejected, candidate, target = item_factory.create_batch(5)
    Reference.objects.create(citing=old, position=0, raw_text="x", target=target, status="matched", matched_at=long_ago)
    Reference.objects.create(
        citing=confirmed, position=0, raw_text="y", target=target, status="confirmed", decided_at=timezone.now()
    )
    Reference.objects.create(
        citing=rejected, position=0, raw_text="z", target=candidate, status="rejected", decided_at=timezone.now()
    )
    assert changed_since(moment) == {confirmed.pk, rejected.pk, candidate.pk}


@pytest.mark.django_db(transaction=True)
def test_the_rewritten_table_is_analyzed_on_postgresql(item_factory):
    """Left unanalysed, PostgreSQL planned the item page's related-items query for 121,000 rows."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's")
    a, b, cited = item_factory.create_batch(3)
    for citing in (a, b):
        Reference.objects.create(citing=citing, position=0, raw_text="x", target=cited, status="matched")
    compute_related()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
            [RelatedItem._meta.db_table],
        )
        assert cursor.fetchone() == (True,)
