"""deploy/varnish/default.vcl in front of gunicorn, both real: a page is served by Varnish,
and a correction is live through it on the next request (the site's PURGE bans the page)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from catalogue.changes import items_changed

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("varnishd") is None, reason="Varnish is not installed (apt-get install varnish)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def get(port: int, path: str) -> tuple[dict[str, str], str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
        return dict(answer.headers), answer.read().decode()


@pytest.fixture
def stack(tmp_path, settings):
    """gunicorn (the site, on this test's database, pages in files) behind Varnish."""
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn must read this test's database: PostgreSQL (SQLite's is in memory)")
    pages = tmp_path / "pages"
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(pages)},
    }
    site_port, varnish_port = free_port(), free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret",
        "SECURE_SSL_REDIRECT": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PAGE_CACHE_SECONDS": "600",
        "PAGE_CACHE_DIR": str(pages),
        "STATS_BUFFER_DIR": str(tmp_path / "stats"),
    }
    env.pop("REDIS_URL", None)
    site = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--worker-class", "gthread", "--workers", "1",
         "--threads", "2", "--bind", f"127.0.0.1:{site_port}", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    # Varnish's child drops to its own user: its folder and VCL outside pytest's private tmp_path
    folder = Path(tempfile.mkdtemp(prefix="econcat-varnish-"))
    folder.chmod(0o755)
    vcl = folder / "default.vcl"
    vcl.write_text((ROOT / "deploy/varnish/default.vcl").read_text().replace('"8000"', f'"{site_port}"'))
    varnish = subprocess.Popen(
        ["varnishd", "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{varnish_port}", "-f", str(vcl),
         "-s", "malloc,32m", "-T", "none"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(site_port)
        wait_for(varnish_port)
        settings.CACHE_PURGE_URL = f"http://127.0.0.1:{varnish_port}/"
        yield varnish_port
    finally:
        for process in (varnish, site):
            process.terminate()
            process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_correction_is_live_through_varnish_on_the_next_request(stack, item_factory):
    item = item_factory(title="Quokka habitats")
    items_changed([item.pk], series=[item.series_id])
    series_page = item.series.get_absolute_url()
    headers, page = get(stack, series_page)
    assert "Quokka habitats" in page
    headers, page = get(stack, series_page)
    assert headers["X-Varnish-Cache"] == "hit"  # Varnish answered, the site was not asked
    item.title = "Wombat burrows"
    item.save()  # commits: the site's versions move and Varnish gets PURGE Surrogate-Key: catalogue
    headers, page = get(stack, series_page)
    assert headers["X-Varnish-Cache"] == "miss"
    assert "Wombat burrows" in page
    assert "Quokka habitats" not in page


def test_a_counted_page_goes_back_to_the_site_each_time(stack, item_factory):
    item = item_factory(title="Quokka habitats")
    items_changed([item.pk], series=[item.series_id])
    get(stack, item.get_absolute_url())
    again, page = get(stack, item.get_absolute_url())
    assert "s-maxage=0" in again["Cache-Control"]
    assert again.get("X-Page-Cache") == "hit"  # the site answered (from its own cache), so it counted
    assert "Quokka habitats" in page
