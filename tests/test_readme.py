"""Every example address in the README answers on the demo catalogue (issue 18: the NEP issue's
date and the registered author's short-id did not): public pages 200, a deliberate other
spelling its permanent redirect, the account-only pages a redirect to sign in."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent / "README.md"
# another spelling redirects permanently; the authors' directory starts at A
REDIRECTS = {"/s/IPT.html": 301, "/e/": 302}
NOT_ON_DEMO = {
    "/p/ulb/ulbeco/2013-245817.html",  # how an item code with a slash is written
    "/accounts/",  # named as a prefix (the paths that always read the primary)
    "/api/",  # a prefix too (CORS)
    "/api/v1/",  # the API's root: its operations and docs are below
    "/nep",  # an API operation's path, below /api/v1
}
SIGN_IN_FIRST = ("/me/", "/admin/", "/citations/report/")


def addresses() -> list[str]:
    text = README.read_text()
    found = re.findall(r"`(/[^`\s]*(?: [^`\s]+)?)`", text) + re.findall(r"<http://127\.0\.0\.1:8000(/[^>]*)>", text)
    concrete = [a for a in found if not re.search(r"[<>*{}]|\.\.\.", a)]
    return sorted(set(concrete))


def test_the_readme_has_examples():
    assert len(addresses()) > 30
    assert "/p/ipt/iptwpa/jrc108028.html" in addresses()


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_every_example_address_answers_on_the_demo(demo, client):
    answers = {}
    for address in addresses():
        if address in NOT_ON_DEMO:
            continue
        response = client.get(quote(address, safe="/:?=&%"))
        if address in REDIRECTS:
            expected = response.status_code == REDIRECTS[address]
        elif address.startswith(SIGN_IN_FIRST):
            expected = response.status_code == 302 and "login" in response["Location"]
        else:
            expected = response.status_code == 200
        if not expected:
            answers[address] = response.status_code
    assert answers == {}


def test_the_demo_citation_waiting_for_the_seed_reads_as_a_citation_of_it(demo):
    """Issue 18: confirming the demo's uncertain citation must be what a careful author does:
    the same title (nearly) and year as the seed."""
    from catalogue.citations import similarity as sim
    from catalogue.models import Reference

    (waiting,) = Reference.objects.filter(status="uncertain", target__handle="RePEc:ipt:iptwpa:jrc108028")
    seed = waiting.target
    assert sim.year_in(waiting.raw_text) == seed.year
    assert sim.title_similarity(sim.title_from_raw(waiting.raw_text), seed.title) > 0.8
