"""A mentor's travel claim in the browser, on a phone and a desktop: she logs a session with miles,
her coordinator approves it from the claims queue, she sees it approved at 45p a mile, then paid.
Every page passes axe and, on a phone, none scrolls sideways."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.services.sessions import session_log
from tests.browser.support import CAST, VIEWPORTS, Visit, log_in
from tests.conftest import make_active_pair

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_claim_goes_from_her_log_to_approved_to_paid(new_context, site, cast, viewport):
    carys, dee = cast["coordinator"], cast["mentor_paired"]
    amber = carys.memberships.get().hub.mentees.get(chosen_name="Amber")
    pair = make_active_pair(amber, dee, carys)
    session_log(
        pair=pair,
        acting_user=dee,
        client_id=uuid.uuid4(),
        held_on=timezone.localdate(),
        duration_minutes=60,
        mode="in_person",
        travel_miles=Decimal("12.3"),
        travel_fare=Decimal("3.40"),
    )
    hers = new_context(**VIEWPORTS[viewport]).new_page()
    her_visit = Visit(hers, viewport=viewport, shots_prefix="claims-mentor")
    log_in(hers, site, CAST["mentor_paired"])
    hers.goto(f"{site}/mentor/claims/")
    expect(hers.get_by_role("heading", level=1)).to_have_text("My claims")
    expect(hers.get_by_test_id("claim-state")).to_have_text("Submitted")
    her_visit.check("submitted")

    coordinators = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(coordinators, viewport=viewport, shots_prefix="claims-queue")
    log_in(coordinators, site, CAST["coordinator"])
    coordinators.goto(f"{site}/claims/")
    expect(coordinators.get_by_role("heading", level=1)).to_have_text("Claims")
    claim = coordinators.get_by_test_id("claim")
    expect(claim).to_contain_text("Dee")
    expect(claim).to_contain_text("£3.40")
    visit.check("submitted")
    claim.get_by_role("button", name="Approve").click()
    # 12.3 miles at 45p = 553.5p, a half penny up: £5.54; with the £3.40 fare, £8.94.
    expect(coordinators.get_by_role("status")).to_contain_text("approved: £8.94 to pay Dee")

    hers.reload()
    expect(hers.get_by_test_id("claim-state")).to_have_text("Approved")
    expect(hers.get_by_test_id("claim")).to_contain_text("£8.94")
    expect(hers.get_by_test_id("claim")).to_contain_text("at 45p")
    her_visit.check("approved")

    coordinators.get_by_label("Show").select_option(label="Approved (1)")
    coordinators.get_by_role("button", name="Show").click()
    visit.check("approved")
    coordinators.get_by_role("button", name="Mark paid").click()
    expect(coordinators.get_by_role("status")).to_contain_text("marked paid")
    coordinators.goto(f"{site}/claims/export/")
    expect(coordinators.get_by_role("heading", level=1)).to_have_text("Export claims for finance")
    visit.check("export")

    hers.reload()
    expect(hers.get_by_test_id("claim-state")).to_have_text("Paid")
    expect(hers.get_by_test_id("claim")).to_contain_text(f"Paid on {timezone.localdate():%-d %b %Y}")
    her_visit.check("paid")
    visit.assert_nothing_too_wide()
    her_visit.assert_nothing_too_wide()
