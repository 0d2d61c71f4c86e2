"""Which database a request reads from (config/replicas.py, views/replicas.py; DECISIONS.md, D25),
decided without a replica: the router's answers inside requests the middleware sees. The real
streaming replica, its lag, its failure and the page cache's rule are in
tests/deploy/test_replica.py."""

from __future__ import annotations

import os
import time

import pytest
from django.db import OperationalError, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from catalogue.models import Item, Series
from catalogue.pagecache import new_version
from catalogue.views.replicas import PIN_COOKIE, ReplicaMiddleware
from config import replicas

router = replicas.ReplicaRouter()


class Seen:
    """A view that notes where the router sends its reads (and a write, when asked)."""

    def __init__(self, write: bool = False) -> None:
        self.write = write
        self.reads: list[str] = []

    def __call__(self, request) -> HttpResponse:
        self.reads.append(router.db_for_read(Item))
        if self.write:
            assert router.db_for_write(Series) == "default"
            self.reads.append(router.db_for_read(Item))
        return HttpResponse("ok")


@pytest.fixture
def fit(monkeypatch):
    """One replica, found fit by its check."""
    monkeypatch.setattr(replicas.replicas, "choose", lambda: "replica_1")


def through(view, request) -> HttpResponse:
    middleware = ReplicaMiddleware(view)
    middleware.enabled = True  # as with DATABASE_REPLICA_URL set
    return middleware(request)


def test_an_anonymous_get_reads_the_replica_and_is_not_pinned(fit, rf: RequestFactory):
    view = Seen()
    response = through(view, rf.get("/p/ipt/iptwpa/jrc108028.html"))
    assert view.reads == ["replica_1"]
    assert PIN_COOKIE not in response.cookies
    through(view, rf.head("/s/ipt.html"))
    assert view.reads[-1] == "replica_1"


def test_a_write_pins_the_client_to_the_primary(fit, rf: RequestFactory):
    view = Seen()
    response = through(view, rf.post("/s/ipt.html"))
    assert view.reads == ["default"]  # a form reads what it validates against
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # the next GETs, with the cookie, read the primary: the correction is live for its author
    request = rf.get("/s/ipt.html")
    request.COOKIES[PIN_COOKIE] = cookie.value
    through(view, request)
    assert view.reads[-1] == "default"


def test_a_get_that_writes_reads_the_primary_after_and_pins(fit, rf: RequestFactory):
    view = Seen(write=True)
    response = through(view, rf.get("/s/ipt.html"))
    assert view.reads == ["replica_1", "default"]
    assert PIN_COOKIE in response.cookies


def test_the_pin_expires(fit, rf: RequestFactory, settings):
    view = Seen()
    request = rf.get("/s/ipt.html")
    request.COOKIES[PIN_COOKIE] = f"{time.time() - settings.REPLICA_PIN_SECONDS - 1:.3f}"
    through(view, request)
    request = rf.get("/s/ipt.html")
    request.COOKIES[PIN_COOKIE] = "not-a-time"  # something under our name: safe side
    through(view, request)
    assert view.reads == ["replica_1", "default"]


@pytest.mark.parametrize("path", ["/admin/", "/me/", "/accounts/login/", "/citations/report/link/1/"])
def test_pages_that_read_what_they_write_read_the_primary(fit, rf: RequestFactory, path):
    view = Seen()
    through(view, rf.get(path))
    assert view.reads == ["default"]


def test_no_fit_replica_reads_the_primary(rf: RequestFactory, monkeypatch):
    monkeypatch.setattr(replicas.replicas, "choose", lambda: None)
    view = Seen()
    through(view, rf.get("/s/ipt.html"))
    assert view.reads == ["default"]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_reads_the_primary(fit, rf: RequestFactory):
    def view(request):
        outside = router.db_for_read(Item)
        with transaction.atomic():
            inside = router.db_for_read(Item)
        return HttpResponse(f"{outside} {inside}")

    assert through(view, rf.get("/s/ipt.html")).content == b"replica_1 default"


def test_outside_a_request_everything_reads_the_primary():
    """Celery tasks, management commands, the shell: they read what they have just written."""
    assert replicas.current() is None
    assert router.db_for_read(Item) == "default"
    assert router.db_for_write(Item) == "default"
    assert router.allow_migrate("default", "catalogue")
    assert not router.allow_migrate("replica_1", "catalogue")


def test_a_page_stored_under_fresh_versions_renders_from_the_primary(settings):
    settings.REPLICA_PIN_SECONDS = 10
    old = f"{time.time_ns() - 11 * 10**9:x}.00000000"
    for versions, expected in [([old, old], "replica_1"), ([old, new_version()], "default"), (["junk"], "default")]:
        token = replicas.begin("replica_1")
        try:
            replicas.use_primary_if_changed(versions)
            assert router.db_for_read(Item) == expected, versions
        finally:
            replicas.end(token)


def test_a_replica_that_fails_under_a_request_is_left_out(rf: RequestFactory, settings):
    checker = replicas.Replicas()
    checker.pid = os.getpid()  # no thread: this test says what the check found
    checker.fit, checker.checked_at = ["replica_1", "replica_2"], time.monotonic()
    assert checker.choose() in {"replica_1", "replica_2"}
    checker.mark_down("replica_1", OperationalError("connection refused"))
    assert {checker.choose() for _ in range(20)} == {"replica_2"}
    checker.checked_at -= 3 * settings.REPLICA_CHECK_SECONDS + 2  # a checker that stopped answering
    assert checker.choose() is None


def flaky_replica(request) -> HttpResponse:
    """Fails as a stopped replica does when its reads go to one."""
    if router.db_for_read(Item) == "replica_1":
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    return HttpResponse("from the primary")


urlpatterns = [path("flaky/", flaky_replica)]


@pytest.mark.urls(__name__)
def test_a_page_whose_replica_fails_is_rendered_again_from_the_primary(client, monkeypatch, caplog):
    """Through every middleware (the health middleware would answer 503): the page is 200."""
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1"])
    monkeypatch.setattr(replicas.replicas, "start", lambda: None)
    monkeypatch.setattr(replicas.replicas, "choose", lambda: "replica_1")
    response = client.get("/flaky/")
    assert response.status_code == 200
    assert response.content == b"from the primary"
    assert "replica replica_1: failed (OperationalError" in caplog.text
    assert "answering 503" not in caplog.text
    # a form is not sent twice: its reads were the primary's anyway
    assert client.post("/flaky/").status_code == 200


def test_lag_is_the_age_of_the_newest_primary_position_replayed():
    samples = [(100.0, 1000), (101.0, 2000), (102.0, 3000)]
    assert replicas.lag(samples, 3000, now=102.0) == 0
    assert replicas.lag(samples, 2500, now=102.0) == 1.0
    assert replicas.lag(samples, 999, now=102.0) == float("inf")
    assert replicas.lsn("16/B374D848") == (0x16 << 32) | 0xB374D848
