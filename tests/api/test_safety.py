"""What the API never does: show an e-mail address (an unregistered author's as published in
Author-Email, a registered person's, a maintainer's), refuse a browser on another site its GET
(CORS), or serve one client without limit (429 with Retry-After)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from catalogue.ingest.importer import Importer
from catalogue.models import Person
from catalogue.redif.parser import parse_text

pytestmark = pytest.mark.django_db

RECORDS = """Template-Type: ReDIF-Archive 1.0
Name: Quokka Institute
Maintainer-Name: Archive Keeper
Maintainer-Email: keeper@archive.example
URL: https://quokka.example/repec/
Handle: RePEc:qki

Template-Type: ReDIF-Series 1.0
Name: Quokka Working Papers
Maintainer-Name: Series Keeper
Maintainer-Email: series.keeper@archive.example
Type: ReDIF-Paper
Handle: RePEc:qki:wpaper

Template-Type: ReDIF-Paper 1.0
Author-Name: Una Registered
Author-Email: una.secret@private.example
Author-Name: Otto Unregistered
Author-Email: otto.secret@private.example
Author-Workplace-Name: Quokka Institute
Title: Where quokkas live
Abstract: Rottnest Island.
Keywords: quokkas
Classification-JEL: Q57
Number: 1
Creation-Date: 2021
Handle: RePEc:qki:wpaper:1
"""
SECRETS = ("una.secret", "otto.secret", "keeper@archive", "person.secret", "private.example")


@pytest.fixture
def imported(person_factory):
    importer = Importer()
    importer.import_templates(parse_text(RECORDS, "qki.rdf"))
    assert importer.finish().ok
    person = person_factory(short_id="pun1", name_full="Una Registered", email="person.secret@private.example")
    from catalogue.models import Authorship

    Authorship.objects.filter(name="Una Registered").update(person=person)
    return person


def test_no_answer_holds_an_email_address(client, imported):
    assert Person.objects.get(short_id="pun1").email
    from catalogue.models import Authorship

    assert set(Authorship.objects.values_list("email", flat=True)) == {
        "una.secret@private.example",
        "otto.secret@private.example",
    }  # imported: the record has them, the API must not show them
    paths = [
        "/items/RePEc:qki:wpaper:1",
        "/search?q=quokkas",
        "/search?author=pun1",
        "/archives",
        "/archives/qki",
        "/series/qki/wpaper",
        "/authors",
        "/authors/pun1",
        "/jel/Q5",
        "/openapi.json",
    ]
    for path in paths:
        response = client.get(f"/api/v1{path}")
        assert response.status_code == 200, path
        body = response.content.decode()
        assert "Una Registered" in body or path in ("/archives", "/archives/qki", "/jel/Q5", "/openapi.json")
        for secret in SECRETS:
            assert secret not in body, (path, secret)
        assert "@" not in body or path == "/openapi.json", path  # no address of anyone, anywhere
    item = client.get("/api/v1/items/RePEc:qki:wpaper:1").json()
    assert [(a["name"], a["person"]) for a in item["authors"]] == [
        ("Una Registered", "pun1"),
        ("Otto Unregistered", None),
    ]
    assert item["authors"][1]["workplace"] == "Quokka Institute"
    assert "email" not in json.dumps(item).lower()


def test_another_site_may_read_it_from_a_browser(client, imported):
    response = client.get("/api/v1/items/RePEc:qki:wpaper:1", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/search",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Credentials" not in preflight
    head = client.head("/api/v1/items/RePEc:qki:wpaper:1", HTTP_ORIGIN="https://elsewhere.example")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) == len(response.content)
    assert head["Access-Control-Allow-Origin"] == "*"
    # the HTML pages are not opened to other sites
    page = client.get("/s/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in page


def test_one_client_gets_429_with_retry_after_beyond_its_limit(settings, imported):
    settings.API_ANON_PER_MINUTE = 3
    one = Client(REMOTE_ADDR="192.0.2.10")
    statuses = [one.get("/api/v1/archives", HTTP_ORIGIN="https://elsewhere.example").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = one.get("/api/v1/items/RePEc:qki:wpaper:1", HTTP_ORIGIN="https://elsewhere.example")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == "*"  # a script elsewhere can read why
    assert "Retry-After" in refused["Access-Control-Expose-Headers"]
    assert refused.json()["detail"].startswith("Too many requests: at most 3 a minute")
    assert Client(REMOTE_ADDR="192.0.2.11").get("/api/v1/archives").status_code == 200  # another client
    assert one.get("/s/").status_code == 200  # the HTML pages keep their own limit


@pytest.mark.django_db(transaction=True)
def test_answers_from_the_page_cache_count_too(settings, imported):
    settings.PAGE_CACHE_SECONDS = 600
    settings.API_ANON_PER_MINUTE = 3
    one = Client(REMOTE_ADDR="192.0.2.10")
    responses = [one.get("/api/v1/archives") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[1]["X-Page-Cache"] == "hit"
