"""The search form's choosers (issue 18, item 4): archive, series, NEP report, JEL code and
author found by name as well as by code, server-side, in one query each."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize(
    ("field", "typed", "value", "label"),
    [
        ("archive", "joint research", "ipt", "Joint Research Centre (Seville site)"),
        ("archive", "IPT", "ipt", "Joint Research Centre (Seville site)"),
        ("series", "ipt:ipt", "ipt:iptwpa", "JRC Research Reports (Joint Research Centre (Seville site))"),
        ("series", "research reports", "ipt:iptwpa", "JRC Research Reports (Joint Research Centre (Seville site))"),
        ("nep", "innovation", "nep-ino", "Innovation"),
        ("jel", "industrial policy", "O25", "Industrial Policy"),
        ("jel", "o2", "O25", "Industrial Policy"),
        ("author", "rakhm", "pra123", "Ruslan Rakhmatullin"),
        ("author", "Rakhmatullin, R", "pra123", "Ruslan Rakhmatullin"),
        ("author", "PRA123", "pra123", "Ruslan Rakhmatullin"),
    ],
)
def test_a_chooser_finds_by_name_or_code(demo, client, django_assert_max_num_queries, field, typed, value, label):
    with django_assert_max_num_queries(1):
        response = client.get(f"/search/choices/{field}.json", {"q": typed})
    assert response.status_code == 200
    assert {"value": value, "label": label} in response.json()["choices"]


def test_too_little_or_nonsense_finds_nothing_and_an_unknown_chooser_is_a_404(demo, client):
    assert client.get("/search/choices/archive.json", {"q": "j"}).json() == {"choices": []}
    assert client.get("/search/choices/author.json", {"q": "%%__"}).json() == {"choices": []}
    assert client.get("/search/choices/author.json", {"q": "x" * 5000}).status_code == 200
    assert client.get("/search/choices/email.json", {"q": "ab"}).status_code == 404


def test_the_page_prints_a_list_for_each_chooser_and_its_script(client):
    html = client.get("/search/", {"q": "growth"}).content.decode()
    for field in ("archive", "series", "nep", "jel", "author"):
        assert f'data-choices="{field}"' in html
        assert f'list="choices-{field}"' in html
        assert f'<datalist id="choices-{field}"></datalist>' in html
    assert '<script src="/static/js/choosers.js" defer></script>' in html
