"""Counting abstract views and downloads: robots left out, no open redirect, counts that
survive a flush and a restart, and a page that neither waits on nor fails because of counting."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from catalogue.models import MonthlyStat
from catalogue.stats import counting

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"


def reader(address="192.0.2.10", agent=BROWSER) -> Client:
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def totals(item):
    rows = MonthlyStat.objects.filter(item=item)
    return sum(r.abstract_views for r in rows), sum(r.downloads for r in rows)


@pytest.fixture
def item(item_factory, file_factory):
    made = item_factory()
    file_factory(item=made, position=0, url="https://example.org/papers/1.pdf")
    return made


def test_views_and_downloads_are_counted_after_a_flush(item):
    for n in range(3):
        client = reader(f"192.0.2.{n}")
        assert client.get(item.get_absolute_url()).status_code == 200
    download = reader("192.0.2.50").get(f"/download/{item.files.get().pk}/")
    assert download.status_code == 302
    assert download["Location"] == "https://example.org/papers/1.pdf"
    assert totals(item) == (0, 0)  # nothing reaches the database before a flush
    call_command("flush_stats", verbosity=0)
    assert totals(item) == (3, 1)
    call_command("flush_stats", verbosity=0)  # nothing new: nothing added
    assert totals(item) == (3, 1)
    reader("192.0.2.99").get(item.get_absolute_url())
    call_command("flush_stats", verbosity=0)
    assert totals(item) == (4, 1)


@pytest.mark.parametrize(
    "agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "python-requests/2.32",
        "curl/8.5.0",
        "Wget/1.21",
        "",
        "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0",
    ],
)
def test_robot_agents_are_not_counted(item, agent):
    reader(agent=agent).get(item.get_absolute_url())
    reader(agent=agent).get(f"/download/{item.files.get().pk}/")
    counting.flush()
    assert totals(item) == (0, 0)


def test_a_client_that_asked_for_robots_txt_is_not_counted(item):
    robot = reader("198.51.100.7")
    response = robot.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /download/" in response.content.decode()
    robot.get(item.get_absolute_url())
    human = reader("198.51.100.8")
    human.get(item.get_absolute_url())
    counting.flush()
    assert totals(item) == (1, 0)


def test_repeats_within_the_window_count_once(item, item_factory):
    other = item_factory()
    client = reader()
    for _ in range(5):
        client.get(item.get_absolute_url())
    client.get(other.get_absolute_url())  # another item: its own view
    client.head(item.get_absolute_url())  # not a reader's view
    counting.flush()
    assert totals(item) == (1, 0)
    assert totals(other) == (1, 0)


def test_a_download_goes_only_to_the_items_own_file(item, file_factory):
    client = reader()
    file_id = item.files.get().pk
    for query in ["?url=https://evil.example/", "?next=//evil.example", "?to=javascript:alert(1)"]:
        response = client.get(f"/download/{file_id}/{query}")
        assert response.status_code == 302
        assert response["Location"] == "https://example.org/papers/1.pdf"
    assert client.get("/download/999999/").status_code == 404
    assert client.get("/download/abc/").status_code == 404
    bad = file_factory(item=item, position=1, url="javascript:alert(1)")
    assert client.get(f"/download/{bad.pk}/").status_code == 404


def test_an_ftp_file_is_followed_like_a_web_address(item, file_factory):
    """ReDIF's File-URL may be ftp://, which the importer keeps and the item page links through
    /download/ as any other: counted, then sent to the file's own address."""
    ftp = file_factory(item=item, position=1, url="ftp://ftp.example.org/pub/wp/1.pdf")
    client = reader()
    item_page = client.get(item.get_absolute_url()).content.decode()
    assert f'<a href="/download/{ftp.pk}/" rel="nofollow">ftp://ftp.example.org/pub/wp/1.pdf</a>' in item_page
    for query in ["", "?url=https://evil.example/", "?next=ftp://evil.example/"]:
        response = client.get(f"/download/{ftp.pk}/{query}")
        assert response.status_code == 302
        assert response["Location"] == "ftp://ftp.example.org/pub/wp/1.pdf"
    counting.flush()
    assert totals(item) == (1, 1)  # one view, and repeats within the window count once


def test_counts_survive_a_flush_and_a_restart(item, settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "stats": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    reader("192.0.2.1").get(item.get_absolute_url())
    counting.flush()
    reader("192.0.2.2").get(item.get_absolute_url())
    reader("192.0.2.3").get(f"/download/{item.files.get().pk}/")
    # a restart: the web process and its cache connections are gone; the buffer is not
    caches.close_all()
    del caches["stats"]
    counting.flush()
    assert totals(item) == (2, 1)


def test_counting_neither_fails_nor_slows_a_page(item, monkeypatch, django_assert_max_num_queries):
    class Broken:
        def __getattr__(self, name):
            raise ConnectionError("the cache is down")

    monkeypatch.setattr(counting, "buffer", Broken)
    response = reader().get(item.get_absolute_url())
    assert response.status_code == 200
    assert reader().get(f"/download/{item.files.get().pk}/").status_code == 302
    monkeypatch.undo()
    with django_assert_max_num_queries(11):  # the item page's own budget: counting adds no query
        assert reader("192.0.2.77").get(item.get_absolute_url()).status_code == 200


def test_counting_can_be_turned_off(item, settings):
    settings.STATS_COUNTING = False
    reader().get(item.get_absolute_url())
    counting.flush()
    assert totals(item) == (0, 0)


def test_counts_of_a_deleted_item_are_dropped(item, item_factory):
    gone = item_factory()
    reader().get(gone.get_absolute_url())
    reader().get(item.get_absolute_url())
    gone.delete()
    report = counting.flush()
    assert report.unknown_items == 1
    assert totals(item) == (1, 0)


def test_a_flush_with_refresh_moves_the_series_and_author_figures(item, client):
    from catalogue.models import StatRollup

    reader().get(item.get_absolute_url())
    call_command("flush_stats", "--refresh", verbosity=0)
    rollup = StatRollup.objects.get(scope=StatRollup.Scope.SERIES, scope_id=item.series_id)
    assert (rollup.abstract_views, rollup.downloads) == (1, 0)


@pytest.fixture
def redis_buffer(settings):
    """The buffer on Redis (the production path: one Lua script a hit), under a key prefix of its own."""
    import os
    import uuid

    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        **settings.CACHES,
        "stats": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix},
    }
    yield caches["stats"]
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_on_redis_robots_repeats_flush_and_restart(item, item_factory, redis_buffer):
    other = item_factory()
    for n in range(3):
        reader(f"192.0.2.{n}").get(item.get_absolute_url())
    reader("192.0.2.1").get(item.get_absolute_url())  # a repeat
    reader(agent="Googlebot/2.1").get(item.get_absolute_url())
    robot = reader("198.51.100.7")
    robot.get("/robots.txt")
    robot.get(item.get_absolute_url())
    reader("192.0.2.9").get(f"/download/{item.files.get().pk}/")
    reader("192.0.2.9").get(other.get_absolute_url())
    assert counting.flush().counters == 3
    assert totals(item) == (3, 1)
    assert totals(other) == (1, 0)
    reader("192.0.2.20").get(item.get_absolute_url())
    caches.close_all()  # a restart of the web process
    del caches["stats"]
    counting.flush()
    counting.flush()  # the generation before is swept, nothing counted twice
    assert totals(item) == (4, 1)
