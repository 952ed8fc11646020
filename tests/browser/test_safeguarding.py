"""The safeguarding lead's access log, in the browser: on a phone and a desktop Maz opens it from
her home, narrows it by person and by kind, pages through it, shows one record's entries and
follows a record's link to the woman's record; every page passes axe and fits the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mentoring.models import AccessLog
from mentoring.policies.audit import access_log_record
from mentoring.services.mentees import mentee_create
from tests.browser.support import CAST, VIEWPORTS, Visit, log_in, url_path_is

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_log(cast):
    """More than a page of entries: Carys reading Amber's record, Dee reading June's, one export."""
    carys, dee = cast["coordinator"], cast["mentor_paired"]
    hub = carys.memberships.get().hub
    amber = hub.mentees.get(chosen_name="Amber")
    june = mentee_create(hub=hub, chosen_name="June", acting_user=carys)
    for _ in range(52):
        access_log_record(user=carys, action=AccessLog.Action.VIEW, obj=amber, hub=hub, reason="Weekly review")
    access_log_record(user=dee, action=AccessLog.Action.VIEW, obj=june, hub=hub, reason="Her mentor's home page")
    access_log_record(user=carys, action=AccessLog.Action.EXPORT, obj=amber, hub=hub, reason="Printable summary")
    return {"amber": amber, "june": june}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_lead_reads_filters_and_pages_her_hubs_access_log(new_context, site, busy_log, viewport):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport, shots_prefix="access-log")
    log_in(page, site, CAST["safeguarding_lead"])
    visit.check("home")

    page.get_by_role("link", name="See the whole access log").click()
    expect(page).to_have_url(url_path_is("/safeguarding/access-log/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Access log")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("Amber")
    expect(page.locator("table")).not_to_contain_text("mentoring.mentee")
    visit.check("log")

    # By person: Dee's one entry, June's record.
    page.get_by_label("Person").select_option(label="Dee")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("June")
    expect(page.get_by_label("Person").locator("option:checked")).to_have_text("Dee")  # kept as chosen
    visit.check("by-person")

    # By kind, for everyone.
    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Kind").select_option(label="Exported")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Printable summary")
    visit.check("by-kind")

    # Pages: 55 entries (the cast's own, 52, June's and the export) make two.
    page.get_by_role("link", name="Clear").click()
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(rows).to_have_count(5)
    visit.check("page-2")

    # One record's entries, named, with a way back to all.
    rows.first.get_by_role("link", name="Show this record's entries").click()
    expect(page.get_by_text("Showing entries for Amber")).to_be_visible()
    visit.check("one-record")

    # Her name opens her record (her record's own fetch logs that read).
    rows.first.get_by_role("link", name="Amber").click()
    expect(page).to_have_url(url_path_is(f"/mentees/{busy_log['amber'].pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Amber")
    visit.check("record")
    visit.assert_nothing_too_wide()
