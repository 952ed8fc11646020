"""When Redis stops: sign-ins get a "try again in a minute" page (never a server error, never
unlimited guesses), people already signed in carry on, /healthz stays a liveness answer and
/readyz says Redis is down. A private Redis is started for the test and stopped mid-run."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from config import health
from tests import network
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_settings(settings) -> Iterator[subprocess.Popen[bytes]]:
    with network.private_redis() as (url, server):
        settings.REDIS_URL = url
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": settings.REDIS_CACHE_OPTIONS,
            }
        }
        yield server


def sign_in(client: Client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})


def test_sign_in_and_readiness_while_redis_stops(redis_settings, carys, ros):
    signed_in = Client()
    signed_in.force_login(carys)

    # Redis up: sign-in goes on to her code, and the service is ready.
    assert sign_in(Client(), carys.email)["Location"] == reverse("mfa_authenticate")
    ready = Client().get(reverse("readyz"))
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok", "worker": "stale"}
    health.worker_heartbeat_record()
    assert Client().get(reverse("readyz")).json()["checks"]["worker"] == "ok"

    redis_settings.terminate()
    redis_settings.wait(timeout=10)

    # Redis down: a sign-in is refused with a page that says to try again, and signs nobody in.
    client = Client()
    refused = sign_in(client, ros.email)
    assert refused.status_code == 503
    assert refused["Retry-After"] == "60"
    page = refused.content.decode()
    assert "Try again in a minute" in page and "Traceback" not in page and ros.email not in page
    assert "_auth_user_id" not in client.session
    # Someone already signed in carries on: her session is in PostgreSQL.
    assert signed_in.get(reverse("coordinator_home")).status_code == 200
    # Liveness stays ok; readiness says what is down.
    assert Client().get(reverse("healthz")).status_code == 200
    not_ready = Client().get(reverse("readyz"))
    assert not_ready.status_code == 503
    assert not_ready.json() == {
        "status": "not ready",
        "checks": {"database": "ok", "redis": "down", "worker": "unknown"},
    }
