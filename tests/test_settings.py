"""Production settings pass `check --deploy` with no warning; bad values fail loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    unset = {"DEBUG", "SECURE_SSL_REDIRECT", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-production-secret-value-0123456789!",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "maybe", "SECRET_KEY": "x"}, "DEBUG must be a boolean"),
        ({"DEBUG": "true", "PAGE_SIZE": "many"}, "PAGE_SIZE must be an integer"),
    ],
)
def test_bad_settings_fail_loudly(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_release_check_fails_when_production_forgot_debug_false():
    """DEBUG defaults to on for development; the Procfile's release step catches a deploy without DEBUG=false."""
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="k" * 20 + "-production-secret-value-0123456789!", ALLOWED_HOSTS="example.org",
    )  # fmt: skip
    assert result.returncode != 0
    assert "security.W018" in result.stderr
    assert "check --deploy --fail-level WARNING" in (ROOT / "Procfile").read_text()
