"""What follows an import: the importer (import_redif, the admin's upload, a harvest) and the
references loader start `match-and-relate` once their writes commit (settings.AFTER_IMPORT,
called by catalogue.changes.after_import), which matches the new references and recomputes
the related items incrementally. A broker that is gone never fails the import."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from catalogue.models import JobRun, Reference
from catalogue.tasks import match_and_relate

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FOLLOW_UP = "catalogue.tasks.match_and_relate"
PAPER = (
    "Template-Type: ReDIF-Archive 1.0\nName: Archive aaa\nURL: https://example.org/aaa/\n"
    "Maintainer-Email: repec@aaa.example.org\nHandle: RePEc:aaa\n\n"
    "Template-Type: ReDIF-Series 1.0\nName: Working papers\nType: ReDIF-Paper\n"
    "Maintainer-Email: repec@aaa.example.org\nHandle: RePEc:aaa:wpaper\n\n"
    "Template-Type: ReDIF-Paper 1.0\nTitle: A paper\nAuthor-Name: Ana Autora\nCreation-Date: 2020\n"
    "Handle: RePEc:aaa:wpaper:1\n\n"
)


@pytest.fixture
def follow_up_on(settings):
    settings.AFTER_IMPORT = "catalogue.tasks.enqueue.match_and_relate_soon"  # the default, off in tests


def follow_ups() -> list[str]:
    return list(JobRun.objects.filter(task=FOLLOW_UP).values_list("outcome", flat=True))


def test_loading_references_matches_them_after_the_commit(
    follow_up_on, item_factory, tmp_path, django_capture_on_commit_callbacks
):
    target = item_factory(title="The cited paper", doi="10.1234/cited")
    citing = item_factory(title="The citing paper")
    path = tmp_path / "refs.jsonl"
    path.write_text(
        json.dumps({"citing": citing.handle, "text": "Someone (2017). The cited paper.", "doi": "10.1234/cited"})
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("import_references", str(path), verbosity=0)
    assert follow_ups() == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()  # the commit
    reference = Reference.objects.get(citing=citing)
    assert (reference.status, reference.target_id) == ("matched", target.pk)
    run = JobRun.objects.get(task=FOLLOW_UP)
    assert run.outcome == "ok"
    assert "matched 1" in run.summary


def test_import_redif_starts_the_follow_up(follow_up_on, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "aaa.rdf"
    path.write_text(PAPER)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_redif", str(path), verbosity=0)
    assert follow_ups() == ["ok"]
    # a second import that changes nothing starts nothing
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_redif", str(path), verbosity=0)
    assert follow_ups() == ["ok"]


def test_an_upload_in_the_admin_starts_the_follow_up(follow_up_on, staff_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("aaa.rdf", PAPER.encode(), content_type="application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):
        page = staff_client.post("/admin/catalogue/upload-redif/", {"files": [upload]})
    assert page.status_code == 200
    assert follow_ups() == ["ok"]


def test_without_after_import_nothing_follows(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.AFTER_IMPORT = ""
    path = tmp_path / "aaa.rdf"
    path.write_text(PAPER)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import_redif", str(path), verbosity=0)
    assert [c for c in callbacks if "after_import" in repr(c) or "match_and_relate" in repr(c)] == []
    assert follow_ups() == []


def test_related_items_are_recomputed_only_for_what_changed_since_the_last_good_run(item_factory):
    match_and_relate.delay()  # the first run: every item
    first = JobRun.objects.get(task=FOLLOW_UP)
    assert "related items:" in first.summary
    match_and_relate.delay()  # nothing matched since: nothing recomputed
    second = JobRun.objects.filter(task=FOLLOW_UP).order_by("-started_at", "-id").first()
    assert second.summary.endswith("related items: nothing changed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mute_broker():
    """A Redis address that accepts connections and never answers (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


@pytest.mark.parametrize("broker", ["closed", "mute"])
def test_a_broker_that_is_gone_fails_the_send_quickly_and_is_logged(broker, request):
    """Through the real settings (timeouts) in a fresh process: a Redis broker on a port where
    nothing listens, or one that never answers. The send gives up within seconds (2 s socket
    timeouts: measured 0.3 s refused, 2.8 s mute), is logged, and the caller goes on."""
    port = free_port() if broker == "closed" else request.getfixturevalue("mute_broker")
    code = (
        "import time, django; django.setup()\n"
        "from catalogue.tasks import flush_stats\n"
        "from catalogue.tasks.enqueue import send\n"
        "start = time.monotonic(); sent = send(flush_stats)\n"
        "print(sent, round(time.monotonic() - start, 1))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/9",
    }
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    sent, seconds = done.stdout.split()
    assert sent == "False"
    assert float(seconds) < 8, done.stderr
    assert "could not be sent to the queue" in done.stderr
