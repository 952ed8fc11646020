"""Logging a session on her phone in a few taps, and her coordinator reading it on the pair's
timeline: on a phone and a desktop, with axe and nothing wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mentoring.models import MentoringSession
from tests.browser.support import CAST, VIEWPORTS, Visit, log_in, url_path_is
from tests.conftest import make_active_pair

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_mentor_logs_a_session_from_her_home_and_it_shows_on_the_pairs_timeline(new_context, site, cast, viewport):
    amber = cast["coordinator"].memberships.get().hub.mentees.get(chosen_name="Amber")
    pair = make_active_pair(amber, cast["mentor_paired"], cast["coordinator"])

    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport, shots_prefix="session-log")
    log_in(page, site, CAST["mentor_paired"])
    page.get_by_role("link", name="Log a session with Amber").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session with Amber")
    visit.check("form")

    # A slip first: no minutes. The message says what to fix and her note is still there.
    page.get_by_label("How long (minutes)").fill("0")
    page.get_by_text("Phone call", exact=True).click()
    page.get_by_text("Listening and emotional support", exact=True).click()
    page.get_by_label("Short notes (optional)").fill("She sounded brighter; the flat came through.")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("Between 1 minute and 12 hours")).to_be_visible()
    expect(page.get_by_label("Short notes (optional)")).to_have_value("She sounded brighter; the flat came through.")
    visit.check("refused")
    assert MentoringSession.objects.count() == 0

    page.get_by_label("How long (minutes)").fill("25")
    page.get_by_role("button", name="Save the session").click()
    expect(page).to_have_url(url_path_is("/mentor/"))
    expect(page.get_by_text("Session with Amber saved")).to_be_visible()
    session = MentoringSession.objects.get()
    assert (session.mode, session.duration_minutes, session.activities) == ("phone", 25, ["listening"])

    coordinator = new_context(**VIEWPORTS[viewport]).new_page()
    coordinator_visit = Visit(coordinator, viewport=viewport, shots_prefix="session-timeline")
    log_in(coordinator, site, CAST["coordinator"])
    coordinator.goto(f"{site}/pairs/{pair.pk}/")
    coordinator.get_by_role("link", name="Sessions").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Sessions: Amber and")
    expect(coordinator.get_by_text("She sounded brighter; the flat came through.")).to_be_visible()
    expect(coordinator.get_by_text("1 session, 0.4 hours with travel")).to_be_visible()
    coordinator_visit.check("timeline")
    visit.assert_nothing_too_wide()
    coordinator_visit.assert_nothing_too_wide()
