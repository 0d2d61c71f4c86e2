"""A real worker: `celery -A config worker` in a process of its own, on the machine's Redis
(database 9) as its broker and on this test's database; a task sent to it completes, does its
work, and is on record. Skipped when Redis does not answer on 127.0.0.1:6379, or when the test
database is SQLite in memory (another process cannot open it)."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.test import Client

from catalogue.models import JobRun, MonthlyStat

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/9"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url() -> str | None:
    """This test's database as a DATABASE_URL for another process (None: it cannot reach it)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db["USER"] or "postgres"
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    name = str(db["NAME"])
    if connection.vendor == "sqlite" and "memory" not in name and name != "":
        return f"sqlite:///{name}"
    return None


@pytest.fixture
def file_buffer(settings, tmp_path):
    """The statistics buffer in files the worker reads too (no REDIS_URL in either process)."""
    folder = tmp_path / "stats-buffer"
    settings.CACHES = {
        **settings.CACHES,
        "stats": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(folder)},
    }
    return folder


@pytest.mark.skipif(not redis_answers(), reason="no Redis answers on 127.0.0.1:6379 to be the worker's broker")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_sent_through_redis(item_factory, file_buffer, tmp_path):
    url = database_url()
    if url is None:
        pytest.skip("the test database is SQLite in memory: a worker process cannot open it")
    item = item_factory()
    for n in range(2):
        Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"192.0.2.{n + 1}").get(item.get_absolute_url())
    queue = f"tests-{uuid.uuid4().hex}"  # a queue of its own: nothing else sent to database 9 reaches it
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        DATABASE_POOL="false",
        CELERY_BROKER_URL=BROKER,
        STATS_BUFFER_DIR=str(file_buffer),
        VAR_DIR=str(tmp_path / "var"),
    )
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["-Q", queue, "-n", f"{queue}@%h", "--without-mingle", "--without-gossip", "--without-heartbeat"]
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    sender = Celery("sender", broker=BROKER, set_as_current=False)
    try:
        sender.send_task("catalogue.tasks.flush_stats", queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            if JobRun.objects.filter(task="catalogue.tasks.flush_stats").exclude(outcome="running").exists():
                break
            time.sleep(0.25)
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)
        sender.close()
        log.seek(0)
        output = log.read()
        log.close()
    run = JobRun.objects.filter(task="catalogue.tasks.flush_stats").first()
    assert run is not None, output[-3000:]
    assert run.outcome == "ok", run.error or output[-3000:]
    assert "2 abstract views" in run.summary
    assert sum(MonthlyStat.objects.filter(item=item).values_list("abstract_views", flat=True)) == 2
    assert "Task catalogue.tasks.flush_stats[" in output
