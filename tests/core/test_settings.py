"""Settings come from the environment; production mode is locked down."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="tillsammans.example.se")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_mode_passes_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 60 + "production-test-key-with-enough-entropy-ZQ9",
        ALLOWED_HOSTS="tillsammans.example.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_defaults_to_sqlite_under_var_and_follows_database_url():
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','tillsammans.settings');"
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT / "src")
    default = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert default.stdout.strip().endswith("var/db.sqlite3")
    assert "sqlite3" in default.stdout
    env["DATABASE_URL"] = "postgres://user@db.example:5432/tillsammans"
    postgres = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert postgres.stdout.split() == ["django.db.backends.postgresql", "tillsammans"]


@pytest.mark.django_db  # the start page reads the open campaigns for its banner
def test_security_headers_and_strict_csp(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db  # the start page reads the open campaigns for its banner
def test_pages_use_no_inline_script_or_style(client):
    body = client.get("/").content.decode()
    assert "<script>" not in body
    assert "style=" not in body
    assert "<style" not in body
    assert "https://" not in body.split("<body")[0], "the <head> loads nothing from elsewhere"
