"""Security headers on every response, and the production deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_headers_on_a_public_page(client):
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_authenticated_pages_are_never_cached(client, carys):
    client.force_login(carys)
    for url in (reverse("coordinator_home"), reverse("mentee_list"), reverse("ping")):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_pages_have_no_inline_scripts_or_styles(client, carys):
    client.force_login(carys)
    page = client.get(reverse("coordinator_home")).content.decode()
    assert "<script>" not in page and "<style" not in page and " style=" not in page
    assert '<html lang="en-GB">' in page and '<main id="main"' in page


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x7Qm2vR9tL4pZ8kW1nB6cJ3hF5dG0sYaUeIoPqMzXwVbNrTlKjHg",
        "ALLOWED_HOSTS": "alongside.example.org",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp+tls://user:pass@smtp.example.org:587",
        "SITE_URL": "https://alongside.example.org",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    env.update(overrides)
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "override",
    [{"SECRET_KEY": "short"}, {"SECRET_KEY": ""}, {"FIELD_ENCRYPTION_KEYS": "not-a-key"}, {"ALLOWED_HOSTS": "*"}],
)
def test_production_refuses_to_start_without_real_secrets(override):
    result = run_manage("check", env=production_env(**override))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_to_start_with_a_secret_missing():
    env = production_env()
    del env["FIELD_ENCRYPTION_KEYS"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
