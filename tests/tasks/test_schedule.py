"""The schedule is the README's: every job, its task, its default interval and the variable
that overrides it; and an override from the environment takes effect."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def readme_schedule() -> dict[str, tuple[str, int, str, str]]:
    """The rows of README's "Scheduled jobs" table: job -> (task, seconds, variable, command)."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Scheduled jobs", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[1].startswith("`catalogue.tasks."):
            continue
        job = cells[0].split(":", 1)[0]
        seconds = int(re.match(r"(\d+) s", cells[2]).group(1))
        rows[job] = (cells[1].strip("`"), seconds, cells[3].strip("`"), cells[4])
    return rows


def test_the_schedule_is_the_readmes():
    readme = readme_schedule()
    assert set(readme) == {
        "flush-stats",
        "refresh-stats",
        "harvest-archives",
        "match-and-relate",
        "clean-expired",
        "dump-catalogue",
        "send-alerts",
    }
    in_settings = {
        name: (task, seconds, variable) for name, (task, variable, seconds) in settings.SCHEDULE_DEFAULTS.items()
    }
    assert {name: row[:3] for name, row in readme.items()} == in_settings
    # the beat schedule is built from them (no override in the test environment)
    assert {name: (entry["task"], entry["schedule"]) for name, entry in settings.CELERY_BEAT_SCHEDULE.items()} == {
        name: (task, float(seconds)) for name, (task, seconds, _) in in_settings.items()
    }


def test_the_intervals_the_issue_asks_for():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["flush-stats"]["schedule"] == 5 * 60
    assert schedule["refresh-stats"]["schedule"] == 24 * 3600
    assert schedule["harvest-archives"]["schedule"] == 24 * 3600
    assert schedule["clean-expired"]["schedule"] == 24 * 3600


def test_every_scheduled_task_is_registered_on_the_app():
    app.loader.import_default_modules()
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(app.tasks)


def test_the_readme_names_management_commands_that_exist():
    commands = {path.stem for path in (ROOT / "catalogue/management/commands").glob("*.py")}
    named = {name for row in readme_schedule().values() for name in re.findall(r"`(\w+)", row[3])}
    assert named - commands == set()


def settings_in_a_fresh_process(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BEAT_SCHEDULE['flush-stats']['schedule'])"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


def test_an_interval_is_overridden_from_the_environment():
    done = settings_in_a_fresh_process(SCHEDULE_FLUSH_STATS_SECONDS="42")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "42.0"


def test_harvest_scheduled_off_leaves_only_the_harvest_out():
    code = (
        "import django; django.setup(); from django.conf import settings; print(sorted(settings.CELERY_BEAT_SCHEDULE))"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "HARVEST_SCHEDULED": "false"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "harvest-archives" not in done.stdout
    assert "flush-stats" in done.stdout
    assert "harvest-archives" in settings.CELERY_BEAT_SCHEDULE  # on by default


def test_a_bad_interval_stops_the_process_naming_it():
    done = settings_in_a_fresh_process(SCHEDULE_FLUSH_STATS_SECONDS="often")
    assert done.returncode != 0
    assert "SCHEDULE_FLUSH_STATS_SECONDS must be an integer, not 'often'" in done.stderr


def test_a_fresh_scheduler_runs_every_job_at_once_then_on_its_interval(tmp_path):
    """A scheduler without its file (a first start, a platform's disk wiped by a restart) finds
    every job due; one that has a record keeps it (Celery would wait a whole interval first)."""
    from config.celery import Scheduler

    scheduler = Scheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    scheduler.setup_schedule()
    try:
        entries = {name: entry for name, entry in scheduler.schedule.items() if name in settings.CELERY_BEAT_SCHEDULE}
        assert set(entries) == set(settings.CELERY_BEAT_SCHEDULE)
        assert all(entry.is_due()[0] for entry in entries.values())
        ran = entries["refresh-stats"]._next_instance()  # as beat does once it sent the task
        assert not ran.is_due()[0]
        assert 86390 < ran.is_due()[1] <= 86400  # the next run in a day
        scheduler.schedule["refresh-stats"] = ran
        scheduler.sync()
    finally:
        scheduler.close()
    again = Scheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    again.setup_schedule()
    try:
        assert not again.schedule["refresh-stats"].is_due()[0]  # its record survived the restart
        assert again.schedule["flush-stats"].is_due()[0]  # never ran: still due
    finally:
        again.close()
