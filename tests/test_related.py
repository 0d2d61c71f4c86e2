"""Most related items on a small graph checked by hand."""

import pytest

from catalogue.citations.related import compute_related, pair_scores, top_related
from catalogue.models import Reference, RelatedItem


def test_coupling_and_cocitation_on_a_hand_checked_graph():
    # 1 and 2 both cite 10 and 11 (coupling through two works);
    # 3 cites 10 only; 20 cites 1 and 4 (co-citation of 1 and 4).
    edges = [(1, 10), (1, 11), (2, 10), (2, 11), (3, 10), (20, 1), (20, 4)]
    scores = pair_scores(edges)
    # work 10 is cited by 3 items: each pair gets 1/log2(4) = 0.5; work 11 by 2: 1/log2(3)
    assert scores[1][2] == pytest.approx(0.5 + 1 / 1.584962500721156)
    assert scores[1][3] == pytest.approx(0.5)
    assert scores[1][4] == pytest.approx(1 / 1.584962500721156)  # 20 cites two works: 1/log2(1 + 2)
    top = top_related(scores)
    assert [other for other, _ in top[1]] == [2, 4, 3]
    assert scores[2][1] == scores[1][2]  # symmetric


def test_hubs_are_damped_and_self_citations_ignored():
    edges = [(i, 999) for i in range(100)] + [(0, 5), (1, 5), (500, 500)]
    scores = pair_scores(edges)
    assert scores[0][1] > scores[0][2] > 0  # sharing a small work beats sharing only the hub
    assert 500 not in scores


@pytest.mark.django_db
def test_compute_related_writes_ranked_rows(item_factory):
    a, b, c, cited1, cited2 = item_factory.create_batch(5)
    for citing in (a, b):
        for position, cited in enumerate((cited1, cited2)):
            Reference.objects.create(citing=citing, position=position, raw_text="x", target=cited, status="matched")
    Reference.objects.create(citing=c, position=0, raw_text="x", target=cited1, status="uncertain")
    assert compute_related() == 4  # a~b, b~a (coupling), cited1~cited2, cited2~cited1 (co-citation)
    assert list(RelatedItem.objects.filter(item=a).values_list("related", "rank")) == [(b.pk, 0)]
    assert not RelatedItem.objects.filter(item=c).exists()  # uncertain references do not count
