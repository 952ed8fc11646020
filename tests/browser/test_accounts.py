"""Two-factor authentication with production's settings, through the real pages: a mentor made
coordinator while signed in is stopped before her next record, and a freshly invited
coordinator sets up TOTP and reaches her home. On a phone and a desktop; each page passes axe."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import Page, expect

from mentoring.models import Hub, Mentee, Role, User
from mentoring.services.people import invitation_create
from tests.browser.support import CAST, VIEWPORTS, Visit, log_in, url_path_is
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

VIEWPORT_KEYS = list(VIEWPORTS)
TOTP_SET_UP = "/accounts/2fa/totp/activate/"


@pytest.fixture
def production_mfa(settings):
    """As in production: staff must set up TOTP (the middleware reads the setting on each request)."""
    settings.REQUIRE_MFA = True


def give_password_again(page: Page) -> None:
    """allauth asks for her password before TOTP set-up, when she has not just given it."""
    expect(page).to_have_url(url_path_is("/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def code_for(secret: str) -> str:
    """The code an authenticator app shows now for this secret, clear of a period's roll-over."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - (time.time() % period)
    if remaining < 2:
        time.sleep(remaining + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


@pytest.mark.parametrize("viewport", VIEWPORT_KEYS)
def test_a_mentor_made_coordinator_mid_session_is_sent_to_set_up_totp_before_she_sees_any_record(
    new_context, site, cast, production_mfa, viewport
):
    dee = cast["mentor_paired"]
    amber = Mentee.objects.get(chosen_name="Amber")
    record = f"{site}/mentees/{amber.pk}/"

    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport)
    log_in(page, site, CAST["mentor_paired"])
    # As her mentor, with no TOTP (mentors aren't made to), she sees Amber's page: the name is there to miss.
    page.goto(record)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amber")

    # While she stays signed in, an org admin gives her the coordinator role on her roles page.
    admin_page = new_context(**VIEWPORTS[viewport]).new_page()
    log_in(admin_page, site, CAST["org_admin"])
    admin_page.goto(f"{site}/organisation/people/{dee.pk}/roles/")
    admin_page.get_by_label("Hub", exact=True).select_option(label="Saltmarsh Bay")
    admin_page.get_by_label("Role", exact=True).select_option(label="Coordinator")
    admin_page.get_by_role("button", name="Give role").click()
    expect(admin_page.get_by_text("Role given to Dee.")).to_be_visible()
    admin_page.context.close()

    # Her very next request for the record lands on two-factor set-up (after her password), not the record.
    page.goto(record)
    assert "/mentees/" not in page.url
    expect(page.locator("body")).not_to_contain_text("Amber")
    visit.check("reauthenticate")
    give_password_again(page)
    expect(page).to_have_url(url_path_is(TOTP_SET_UP))
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    expect(page.locator("body")).not_to_contain_text("Amber")
    visit.check("totp-set-up")
    # Nor any other page of records until she has done it.
    page.goto(f"{site}/mentees/")
    expect(page).to_have_url(url_path_is(TOTP_SET_UP))
    expect(page.locator("body")).not_to_contain_text("Amber")
    visit.assert_nothing_too_wide()


@pytest.mark.parametrize("viewport", VIEWPORT_KEYS)
def test_a_freshly_invited_coordinator_sets_up_totp_with_production_like_settings(
    new_context, site, cast, production_mfa, viewport
):
    hub = Hub.objects.get(slug="saltmarsh-bay")
    invitation_create(email="nia@example.test", hub=hub, role=Role.COORDINATOR, invited_by=cast["org_admin"])
    match = re.search(r"https?://[^/\s]+(/invite/\S+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body

    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport)
    page.goto(site + match.group(1))
    visit.check("invitation")
    page.get_by_label("Your name").fill("Nia")
    page.get_by_label("Choose a password").fill(TEST_PASSWORD)
    page.get_by_label("Password again").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    # Staff first set up two-factor authentication: her password once more, then the QR code and secret.
    give_password_again(page)
    expect(page).to_have_url(url_path_is(TOTP_SET_UP))
    visit.check("totp-set-up")
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.get_by_label("Authenticator code").fill(code_for(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("body")).not_to_contain_text("verified your email address")
    expect(page).not_to_have_url(url_path_is(TOTP_SET_UP))
    visit.check("after-totp")

    page.goto(f"{site}/")
    expect(page).to_have_url(url_path_is("/coordinator/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordinator home")
    visit.check("coordinator-home")
    visit.assert_nothing_too_wide()
    nia = User.objects.get(email="nia@example.test")
    assert Authenticator.objects.filter(user=nia, type=Authenticator.Type.TOTP).exists()
