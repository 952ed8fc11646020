"""Security headers on every response."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_authenticated_pages_are_never_cached(client, carys):
    client.force_login(carys)
    for url in (reverse("coordinator_home"), reverse("mentee_list"), reverse("ping")):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_pages_have_no_inline_scripts_or_styles(client, carys):
    client.force_login(carys)
    page = client.get(reverse("coordinator_home")).content.decode()
    assert "<script>" not in page and "<style" not in page and " style=" not in page
    assert '<html lang="en-GB">' in page and '<main id="main"' in page
