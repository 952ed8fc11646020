"""Every role signs in through the real forms and reaches her home, on a phone and a desktop,
and the pages on the way pass axe (no serious or critical violations)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.support import (
    CAST,
    PHONE,
    PHONE_WIDTH,
    ROLE_KEYS,
    VIEWPORTS,
    assert_no_serious_axe_violations,
    log_in,
    submit_password,
    url_path_is,
)

pytestmark = pytest.mark.browser

VIEWPORT_KEYS = list(VIEWPORTS)


def watch_console(page: Page) -> list[str]:
    """Collect console errors (a CSP refusal shows up here) and uncaught page errors."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("viewport", VIEWPORT_KEYS)
def test_login_page_passes_axe(new_context, site, viewport):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    errors = watch_console(page)
    page.goto(f"{site}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_no_serious_axe_violations(page)
    assert errors == []


@pytest.mark.parametrize("viewport", VIEWPORT_KEYS)
def test_mfa_code_page_passes_axe(new_context, site, cast, viewport):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    errors = watch_console(page)
    submit_password(page, site, CAST["coordinator"])
    expect(page).to_have_url(url_path_is("/accounts/2fa/authenticate/"))
    expect(page.get_by_label("Code")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert errors == []


@pytest.mark.parametrize("viewport", VIEWPORT_KEYS)
@pytest.mark.parametrize("role", ROLE_KEYS)
def test_each_role_signs_in_and_reaches_her_home(new_context, site, cast, role, viewport):
    part = CAST[role]
    page = new_context(**VIEWPORTS[viewport]).new_page()
    errors = watch_console(page)
    log_in(page, site, part)
    expect(page.get_by_role("heading", level=1)).to_have_text(part.h1)
    assert_no_serious_axe_violations(page)
    # "/" takes her back to the same home.
    page.goto(f"{site}/")
    expect(page).to_have_url(url_path_is(part.home))
    assert errors == []


def test_no_horizontal_scroll_on_any_home_at_phone_width(new_context, site, cast):
    shots = os.environ.get("BROWSER_SHOTS_DIR")
    overflowing = {}
    for role in ROLE_KEYS:
        part = CAST[role]
        context = new_context(**PHONE)
        page = context.new_page()
        log_in(page, site, part)
        expect(page.get_by_role("heading", level=1)).to_have_text(part.h1)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > PHONE_WIDTH:
            overflowing[role] = scroll_width
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{role}.png"), full_page=True)
        context.close()
    assert overflowing == {}, f"wider than {PHONE_WIDTH} px: {overflowing}"


def test_phone_menu_opens_and_passes_axe(new_context, site, cast):
    """On a phone the menu folds behind a button; Bootstrap's script (a static file, CSP) opens it."""
    page = new_context(**PHONE).new_page()
    errors = watch_console(page)
    log_in(page, site, CAST["coordinator"])
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sign_out).to_be_visible()
    expect(page.locator(".collapsing")).to_have_count(0)  # the opening transition is over
    assert_no_serious_axe_violations(page)
    assert errors == []
