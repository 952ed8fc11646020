"""The coordinator's home as a to-do list, in the browser: on a phone and a desktop it passes axe
and fits the phone's width, and a to-do link opens the page where she acts. Her signed-in
devices page is styled like the rest and passes axe too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import CAST, VIEWPORTS, Visit, log_in, url_path_is

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_coordinator_follows_a_to_do_link_from_her_home(new_context, site, cast, viewport):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport, shots_prefix="coordinator-home")
    log_in(page, site, CAST["coordinator"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordinator home")

    referrals = page.get_by_role("region", name="New referrals")
    expect(referrals).to_contain_text("no assessment yet")
    expect(page.get_by_role("region", name="Mentors in training")).to_contain_text("No mentors in training.")
    visit.check("todo")

    # Amber was referred and nobody has started her assessment: her link opens the page to start it.
    referrals.get_by_role("link", name="Amber").click()
    amber = cast["coordinator"].memberships.get().hub.mentees.get(chosen_name="Amber")
    expect(page).to_have_url(url_path_is(f"/mentees/{amber.pk}/assessments/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Amber")
    visit.check("todo-followed")

    page.goto(f"{site}/accounts/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signed-in devices")
    expect(page.get_by_role("cell", name="This device")).to_be_visible()
    visit.check("devices")
    visit.assert_nothing_too_wide()
