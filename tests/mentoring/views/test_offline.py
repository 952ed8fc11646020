"""mentoring.views.offline: the manifest, the service worker, the offline shell, what her phone
keeps, and the neutral page. The public ones hold nothing personal."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.conftest import shows_name

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_her_pages_an_app_and_names_nobody(client):
    response = client.get(reverse("mentor_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["scope"] == manifest["start_url"] == "/mentor/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_service_worker_is_served_for_her_pages_only(client):
    response = client.get(reverse("mentor_service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/mentor/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    # It keeps the shell, to answer a navigation that finds no signal (tests/browser/test_offline.py
    # shows it never keeps her pages themselves).
    assert 'url:"/mentor/offline/"' in source and "__ALONGSIDE_" not in source
    # Background Sync: the queue's sending code, from wherever the static files are served.
    assert 'importScripts("/static/vendor/pwa/idb.umd.js","/static/js/offline-queue.js"' in source


def test_the_worker_changes_when_the_shell_does_and_only_then(client, dee, settings):
    """A new worker makes every phone fetch the shell again: not on every visit, nor per person."""
    first = client.get(reverse("mentor_service_worker")).content
    client.force_login(dee)
    assert client.get(reverse("mentor_service_worker")).content == first
    settings.STATIC_URL = "/assets/"  # the shell's asset addresses change (a new build, hashed names)
    assert client.get(reverse("mentor_service_worker")).content != first


def test_the_offline_shell_holds_nothing_personal_even_when_she_is_signed_in(client, dee, amber):
    client.force_login(dee)
    page = client.get(reverse("mentor_offline")).content.decode()
    assert 'id="offline-shell"' in page
    assert not shows_name(page, amber.chosen_name) and not shows_name(page, dee.display_name)
    # No token or menu for the service worker to keep.
    assert 'name="csrf-token"' not in page and "csrfmiddlewaretoken" not in page and "Sign out" not in page
    assert 'data-user=""' in page


def test_what_her_phone_keeps_is_the_names_of_her_active_pairs_and_the_choices(client, dee, dee_pair, amber):
    from mentoring.models import AccessLog

    client.force_login(dee)
    before = AccessLog.objects.count()
    response = client.get(reverse("mentor_offline_data"))
    assert response.status_code == 200
    data = response.json()
    assert data["user"] == dee.pk
    assert data["pairs"] == [{"pair": dee_pair.pk, "name": "Amber", "organisation": dee_pair.hub.organisation_id}]
    areas = data["need_areas"][str(dee_pair.hub.organisation_id)]
    assert areas and all(isinstance(pk, int) and name for pk, name in areas)
    assert {"mode", "place_type", "activities", "wellbeing"} == set(data["choices"])
    assert ["in_person", "In person"] in data["choices"]["mode"]
    assert data["csrf_token"]
    # Her name went to the phone: logged as a read of her record, once.
    assert AccessLog.objects.count() == before + 1
    assert "no-store" in response["Cache-Control"]


def test_a_mentor_without_a_pair_keeps_no_names(client, ros):
    client.force_login(ros)
    data = client.get(reverse("mentor_offline_data")).json()
    assert data["pairs"] == [] and data["need_areas"] == {}


def test_only_mentors_get_what_the_phone_keeps(client, carys):
    client.force_login(carys)
    assert client.get(reverse("mentor_offline_data")).status_code == 403
    response = Client().get(reverse("mentor_offline_data"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_neutral_page_says_nothing_about_the_site(client, dee):
    client.force_login(dee)
    page = client.get(reverse("neutral_page")).content.decode()
    assert "<title>Weather</title>" in page
    for word in ("Alongside", "mentor", "Sign out", "Dee"):
        assert word not in page


def test_every_class_the_offline_pages_draw_with_is_styled():
    """offline.js builds its panels, dialogs and the shell's form itself: the stylesheets built
    with only what the templates use must still define the Bootstrap classes it puts on them."""
    static = Path(__file__).resolve().parents[3] / "static"
    css = (static / "vendor" / "bootstrap" / "bootstrap.min.css").read_text() + (static / "css" / "app.css").read_text()
    defined = set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    script = (static / "js" / "offline.js").read_text()
    used = {name for found in re.findall(r'className: "([^"]+)"', script) for name in found.split()}
    # Hooks for the script and the tests, styled by nothing on purpose.
    hooks = {"mentee-card", "offline-panel", "offline-refused", "session-choices", "session-log", "session-travel"}
    assert len(used) > 30
    assert used - defined - hooks == set()
