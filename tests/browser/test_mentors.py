"""The coordinator's mentor screens and the org admin's curriculum, in the browser: on a phone and
a desktop every page passes axe and, on a phone, none scrolls sideways. A DBS date in the future
is refused with everything typed kept; the record then says what still stands in her way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import Mentor
from mentoring.services.mentors import training_module_add
from tests.browser.support import CAST, PHONE_WIDTH, VIEWPORTS, Visit, log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_coordinator_works_through_a_mentors_record(new_context, site, cast, viewport):
    hub = cast["coordinator"].memberships.get().hub
    training_module_add(
        organisation_id=hub.organisation_id, name="Safeguarding basics", is_core=True, acting_user=cast["org_admin"]
    )
    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport, shots_prefix="mentors")
    log_in(page, site, CAST["coordinator"])

    page.goto(f"{site}/mentors/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentors")
    visit.check("list")
    page.get_by_role("link", name="Ros").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ros")
    expect(page.get_by_test_id("readiness")).to_contain_text("No DBS check recorded.")
    visit.check("detail")

    # A DBS issue date in the future: refused, and what she typed is still there.
    page.get_by_role("link", name="Record a DBS check").click()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.get_by_label("Level of check").select_option(label="Enhanced")
    page.get_by_label("Certificate number").fill("001122334455")
    page.get_by_label("Issue date").fill(tomorrow)
    page.get_by_role("button", name="Save DBS check").click()
    expect(page.get_by_text("This date can't be in the future.")).to_be_visible()
    expect(page.get_by_label("Certificate number")).to_have_value("001122334455")
    visit.check("dbs-error")
    page.get_by_label("Issue date").fill((timezone.localdate() - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Save DBS check").click()
    expect(page.get_by_role("status")).to_contain_text("DBS check recorded")
    expect(page.get_by_text("001122334455")).to_have_count(0)

    # Her details: the availability grid is usable on a phone.
    page.get_by_role("link", name="Edit her details").click()
    page.get_by_label("Tue afternoon").check()
    page.get_by_label("Sat morning").check()
    page.get_by_label("Most mentees at once").fill("2")
    visit.check("edit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Her details are saved")
    assert Mentor.objects.get(user=cast["mentor_unpaired"]).availability == ["tue_pm", "sat_am"]

    # A relationship with a woman of her hub.
    page.get_by_role("link", name="Record a relationship").click()
    page.get_by_label("Which woman?").select_option(label="Amber")
    page.get_by_label("Already friends").check()
    visit.check("relationship")
    page.get_by_role("button", name="Record relationship").click()
    expect(page.get_by_role("region", name="Women she already knows")).to_contain_text("Amber")
    expect(page.get_by_test_id("readiness")).to_contain_text("Safeguarding basics")
    visit.check("detail-filled")
    visit_too_wide = visit.too_wide
    assert visit_too_wide == {}, f"pages wider than {PHONE_WIDTH} px: {visit_too_wide}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_org_admin_sets_the_curriculum_and_weights(new_context, site, cast, viewport):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport, shots_prefix="mentors")
    log_in(page, site, CAST["org_admin"])
    page.goto(f"{site}/organisation/training/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training curriculum")
    page.get_by_label("New module").fill("Boundaries as agreements")
    page.get_by_role("button", name="Add module").click()
    expect(page.get_by_role("status")).to_contain_text("Module added")
    visit.check("curriculum")
    page.get_by_role("button", name="Make optional Boundaries as agreements").click()
    expect(page.get_by_role("status")).to_contain_text("optional now")

    hub = cast["org_admin"].memberships.get().hub
    page.goto(f"{site}/organisation/hubs/{hub.pk}/")
    page.get_by_label("Shared language").fill("20")
    visit.check("hub-settings")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("settings saved")
    assert visit.too_wide == {}, f"pages wider than {PHONE_WIDTH} px: {visit.too_wide}"
