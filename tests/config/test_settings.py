"""The settings: production refuses to start without real secrets and passes the deploy checks; signing
in as the settings configure allauth (MFA code, rate limits, session key, her own sessions)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


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


# --- production settings ---


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


def test_production_without_database_url_refuses_to_start_and_writes_nothing(tmp_path):
    """Only the local demo and the tests may start an embedded PostgreSQL. Production settings,
    imported from a read-only copy of the code with no DATABASE_URL, refuse to start, and neither
    they nor a normal start create a file: a container's code folder is not a place for data."""
    code = tmp_path / "code"
    code.mkdir()
    for name in ("config", "mentoring", "funding", "safeguarding", "manage.py"):
        subprocess.run(["cp", "-r", str(ROOT / name), str(code / name)], check=True)
    before = sorted(path.relative_to(code) for path in code.rglob("*"))
    env = production_env(DATABASE_URL="", PYTHONDONTWRITEBYTECODE="1")
    script = "import django; django.setup()"
    refused = subprocess.run([sys.executable, "-c", script], cwd=code, env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "DATABASE_URL must be set" in refused.stderr
    env = production_env(PYTHONDONTWRITEBYTECODE="1")
    started = subprocess.run([sys.executable, "-c", script], cwd=code, env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    assert sorted(path.relative_to(code) for path in code.rglob("*")) == before


@pytest.mark.parametrize(
    "site_url",
    [
        "http://127.0.0.1:8000",
        "http://alongside.example.org",
        "https://elsewhere.example.net",
        "https://alongside.example.org/app",
    ],
)
def test_production_refuses_a_site_url_that_isnt_the_sites_https_address(site_url):
    """Invitation links are built from SITE_URL: a leftover demo address, plain http or a host the
    site doesn't serve would send every invitee somewhere else."""
    result = run_manage("check", env=production_env(SITE_URL=site_url))
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_production_refuses_to_start_without_a_site_url():
    env = production_env()
    del env["SITE_URL"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_production_refuses_to_start_with_a_secret_missing():
    env = production_env()
    del env["FIELD_ENCRYPTION_KEYS"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_refuses_to_start_with_two_factor_switched_off():
    result = run_manage("check", env=production_env(REQUIRE_MFA="false"))
    assert result.returncode != 0
    assert "REQUIRE_MFA" in result.stderr


def test_production_counts_sign_ins_from_the_client_behind_the_proxy():
    """One proxy by default: allauth's limits key on the client's address, not the proxy's."""
    script = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = run_manage("shell", "-c", script, env=production_env())
    assert result.stdout.strip().splitlines()[-1] == "1", result.stderr
    two = run_manage("shell", "-c", script, env=production_env(TRUSTED_PROXY_COUNT="2"))
    assert two.stdout.strip().splitlines()[-1] == "2", two.stderr


def test_one_colleague_s_wrong_passwords_lock_out_neither_her_nor_everyone(client, ros):
    """Five failures from one address stop that address; her own account, from elsewhere, still
    gets in: a named person can't be locked out from someone else's desk."""
    cache.clear()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": ros.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    blocked = client.post(
        reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert "Too many failed login attempts" in blocked.content.decode()
    elsewhere = Client()
    elsewhere.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert elsewhere.session.get("_auth_user_id") == str(ros.pk)


# --- signing in ---


def test_login_asks_staff_for_their_code(client, carys):
    from tests.factories import TEST_PASSWORD

    response = client.post(reverse("account_login"), {"login": carys.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("coordinator_home")).status_code == 302  # not signed in yet


def test_signing_in_adds_no_message_of_allauth_s_own(client, ros):
    """She lands on her home, which says where she is: no "Successfully signed in as …" beside it."""
    from tests.factories import TEST_PASSWORD

    response = client.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("mentor_home")
    assert [str(message) for message in response.context["messages"]] == []
    assert "Successfully" not in response.content.decode()


def test_failed_logins_are_rate_limited(client, ros):
    from tests.factories import TEST_PASSWORD

    for _ in range(5):
        client.post(reverse("account_login"), {"login": ros.email, "password": "wrong"})
    # Now even the right password is refused for a while.
    response = client.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("mentor_home")).status_code == 302


def test_login_rotates_the_session_key(client, ros):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("mentor_home")).status_code == 200


def test_she_sees_and_ends_her_own_sessions(ros):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert page.content.decode().count("<tr") >= 3  # a header row and two sessions
    # End the other sessions (allauth's form): the phone is signed out, the laptop is not.
    laptop.post(reverse("usersessions_list"), {"action": "logout"})
    assert phone.get(reverse("mentor_home")).status_code == 302
    assert laptop.get(reverse("mentor_home")).status_code == 200
