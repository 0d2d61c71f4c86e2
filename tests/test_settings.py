"""Production settings pass `check --deploy` with no warning; bad values fail loudly."""

import json
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
        ({"DEBUG": "true", "DATABASE_URL": "", "DATABASE_REPLICA_URL": "postgres://h/db"}, "needs DATABASE_URL to be"),
        (
            {"DEBUG": "true", "DATABASE_URL": "postgres://h/db", "DATABASE_REPLICA_URL": "sqlite:///x.db"},
            "DATABASE_REPLICA_URL must list postgres:// URLs",
        ),
        ({"DEBUG": "true", "REPLICA_PIN_SECONDS": "long"}, "REPLICA_PIN_SECONDS must be a number"),
        # make run's stand-in of ORCID (http, loopback) is refused in production
        ({"DEBUG": "false", "SECRET_KEY": "x", "ORCID_BASE_URL": "http://127.0.0.1:8001"}, "only with DEBUG on"),
        ({"DEBUG": "false", "SECRET_KEY": "x", "ORCID_API_URL": "http://pub.orcid.org"}, "only with DEBUG on"),
        ({"DEBUG": "false", "SECRET_KEY": "x", "ORCID_BASE_DOMAIN": "localhost:8001"}, "only with DEBUG on"),
        ({"DEBUG": "false", "SECRET_KEY": "x", "ORCID_BASE_URL": "https://[::1]:8001"}, "only with DEBUG on"),
        ({"DEBUG": "true", "ORCID_BASE_URL": "orcid.org"}, "ORCID_BASE_URL must be an address"),
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


def test_replicas_get_the_primarys_options_and_the_router():
    """DATABASE_REPLICA_URL, one or several: replica_1..n, pooled, JIT off, no test database."""
    shown = run_manage(
        "shell", "-c",
        "from django.conf import settings as s; import json; "
        "print(json.dumps([s.DATABASES, s.DATABASE_ROUTERS, s.MIDDLEWARE[:2]], default=str))",
        DEBUG="true", DATABASE_URL="postgres://app@primary:5432/econcat",
        DATABASE_REPLICA_URL="postgres://app@replica-a:5432/econcat, postgres://app@replica-b:5432/econcat",
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    databases, routers, middleware = json.loads(shown.stdout.strip().splitlines()[-1])
    assert sorted(databases) == ["default", "replica_1", "replica_2"]
    assert databases["replica_2"]["HOST"] == "replica-b"
    for alias in ("replica_1", "replica_2"):
        replica = databases[alias]
        assert replica["OPTIONS"] == databases["default"]["OPTIONS"]  # pool, connect_timeout, jit off
        assert "-c jit=off" in replica["OPTIONS"]["options"]
        assert replica["TEST"]["MIRROR"] == "default"
    assert routers == ["config.replicas.ReplicaRouter"]
    assert middleware[1] == "catalogue.views.replicas.ReplicaMiddleware"
