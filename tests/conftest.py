"""Fixtures for every test: the personas, factories as fixtures, fast settings, sample data paths."""

from pathlib import Path

import pytest
from pytest_factoryboy import register

from config.celery import app as celery_app
from tests import factories
from tests.personas import (  # noqa: F401 (fixtures: the people tests act as, and what each may see and do)
    author,
    publisher,
    publisher_archive,
    reader,
    staff,
    staff_client,
    stranger,
)

DATA = Path(__file__).parent / "data"

# Tasks run in the caller, at once (retries too, without their countdown): no broker, no worker.
# The one test of a real worker sends through an app of its own (tests/tasks/test_worker.py).
celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = False

for name in dir(factories):
    if name.endswith("Factory") and name != "DjangoModelFactory":
        register(getattr(factories, name))


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # the statistics buffer in memory, emptied with the cache below (tests of a restart use files)
    settings.CACHES = {
        **settings.CACHES,
        "stats": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    # the page cache is off but where a test turns it on (tests/views/test_pagecache.py): tests
    # that write with QuerySet.update() and read a page again would see the page they read before
    settings.PAGE_CACHE_SECONDS = 0
    # nor the limit on costly pages (tests/views/test_throttle.py turns it on): some tests search
    # more than a person would in a minute
    settings.COSTLY_PAGES_PER_MINUTE = 0
    # nor the API's limit per client (tests/api/test_cors_and_limit.py turns it on)
    settings.API_ANON_PER_MINUTE = 0
    # nothing follows an import unless a test asks (tests/tasks/test_after_import.py): the matcher
    # and related items would otherwise run in every transactional test that imports
    settings.AFTER_IMPORT = ""
    # the open-data dump (load_demo writes one) in the test's own folder, never in var/
    settings.OPEN_DATA_DIR = tmp_path / "opendata"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _jel_tree(request):
    """The JEL classification as migration 0031 loads it, in every test that uses the database: a
    transactional test (a browser test, say) ends with Django's flush, which empties every table,
    the migrations' rows included, and tests run after it would find no JEL code."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from catalogue.jel import load_jel_tree
    from catalogue.models import JelCode

    if not JelCode.objects.filter(code="O").exists():
        load_jel_tree(JelCode)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters and cached counts do not leak."""
    from django.core.cache import caches

    for alias in ("default", "stats", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "stats", "pages"):
        caches[alias].clear()


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def sink(settings):
    """Django's SMTP backend pointed at a real SMTP server on loopback (aiosmtpd, started here);
    its `messages` are what arrived. The alerts' tests send through it, as production does."""
    from tests.local_peers import SmtpSink

    with SmtpSink() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = smtp.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        settings.SITE_URL = "http://econcat.test"
        settings.ALERTS_FROM_EMAIL = "alerts@econcat.test"
        yield smtp


ORCID_CLIENT = ("APP-STANDIN00000001", "stand-in-secret")  # what the stand-in's client is given


@pytest.fixture
def orcid_standin(settings):
    """Logging in with ORCID switched on as the environment would (README), its addresses on the
    stand-in of ORCID (catalogue/readers/orcid/standin.py, the one `make run` serves) on loopback.
    Call it with the site's address (the test client's, or `live_server.url`) and the records it
    hands out; it returns the running stand-in, stopped after the test."""
    from catalogue.readers.orcid.standin import OrcidStandIn, Record

    started = []

    def start(site_url="http://testserver", records=None, fresh=False):
        records = [Record("0000-0002-1825-0097", "Josiah", "Carberry")] if records is None else records
        stand_in = OrcidStandIn(*ORCID_CLIENT, (f"{site_url}/accounts/orcid/login/callback/",), records, fresh=fresh)
        started.append(stand_in.__enter__())
        settings.ORCID_CLIENT_ID, settings.ORCID_CLIENT_SECRET = ORCID_CLIENT
        settings.ORCID_BASE_URL = settings.ORCID_API_URL = stand_in.url
        return stand_in

    yield start
    for stand_in in started:
        stand_in.close()
