"""Redis and the database failing, in process (the real servers: test_faults.py): a Redis cache
on a port where nothing listens costs nothing and fails nothing; a database error becomes the
503 page; /healthz answers before host checking, /readyz says what is missing."""

from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.db import OperationalError

from config import cache as safe_cache
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nothing listens


@pytest.fixture
def redis_down(settings):
    location = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.SafeRedisCache", "LOCATION": location, "OPTIONS": {"FALLBACK": True}},
        "stats": {"BACKEND": "config.cache.SafeRedisCache", "LOCATION": location, "KEY_PREFIX": "stats"},
    }
    yield location
    safe_cache._down_since.clear()
    safe_cache._fallbacks.clear()


def test_a_redis_that_is_down_is_a_miss_and_the_default_cache_falls_back_to_memory(redis_down, caplog):
    from django.core.cache import caches

    default, stats = caches["default"], caches["stats"]
    assert default.get("k", "missing") == "missing"
    assert default.add("k", 1)  # into the process's memory: allauth's locks and limits work
    assert default.get("k") == 1
    assert stats.get("k", "missing") == "missing"
    assert not stats.add("k", 1)  # the statistics buffer drops the hit
    with pytest.raises(ValueError, match="not found"):
        stats.incr("k")
    assert not default.ping()
    assert sum("unreachable" in r.getMessage() for r in caplog.records) == 2  # one a cache, not one a call


def test_pages_log_in_and_sign_up_work_while_redis_is_down(redis_down, client, reader):
    assert client.get("/").status_code == 200  # how quickly: test_faults.py, under gunicorn
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    response = client.post("/accounts/login/", {"login": reader.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    client.logout()
    response = client.post(
        "/accounts/signup/", {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert client.post("/accounts/password/reset/", {"email": reader.email}).status_code == 302


def test_healthz_answers_any_host_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_says_ready_or_what_is_missing(client, redis_down):
    assert client.get("/readyz").status_code == 503
    assert b"cache default" in client.get("/readyz").content


def test_readyz_is_ready_when_all_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready"


def test_a_database_that_cannot_be_reached_is_a_503_page_with_retry_after(client):
    with mock.patch("catalogue.views.browse.kind_counts", side_effect=OperationalError("connection refused")):
        response = client.get("/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert b"briefly unavailable" in response.content


def test_readyz_is_503_when_the_database_fails(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert b"database" in response.content


def test_a_flush_says_when_the_buffer_does_not_answer(redis_down):
    from catalogue.stats import counting

    with pytest.raises(ConnectionError, match="nothing was flushed"):
        counting.flush()
