"""The org admin's screens in the browser, on a phone and a desktop: she adds a hub, sends an
invitation again, takes a look at taking a role away, and deactivates someone through the page
that asks first. Every page passes axe and fits the phone's width (its tables stack)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from mentoring.models import Hub, Invitation, Role, User
from mentoring.services.people import invitation_create
from tests.browser.support import CAST, VIEWPORTS, Visit, log_in, url_path_is

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_org_admin_adds_a_hub_resends_an_invitation_and_deactivates_someone(new_context, site, cast, viewport):
    olu = cast["org_admin"]
    hub = olu.memberships.get().hub
    invitation = invitation_create(email="newcomer@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    first_link = mail.outbox[-1].body
    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport, shots_prefix="orgadmin")
    log_in(page, site, CAST["org_admin"])
    expect(page.get_by_role("heading", level=1)).to_have_text("People and hubs")
    people = page.get_by_role("table", name="People and their roles")
    carys_row = people.get_by_role("row").filter(has_text="carys@example.test")
    expect(carys_row).to_contain_text("Set up")
    expect(people.get_by_role("row").filter(has_text="ros@example.test")).to_contain_text("Never")
    visit.check("home")

    # A new hub: she names and describes it, and is its org admin from then on.
    page.get_by_role("link", name="Add a hub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a hub")
    page.get_by_label("Hub name").fill("Coastal Towns")
    page.get_by_label("Area it covers (optional)").fill("The towns along the coast road")
    visit.check("hub-create")
    page.get_by_role("button", name="Add the hub").click()
    expect(page).to_have_url(url_path_is("/organisation/"))
    expect(page.get_by_role("status").filter(has_text="Coastal Towns is open")).to_be_visible()
    expect(page.get_by_role("region", name="Hubs")).to_contain_text("The towns along the coast road")
    assert Hub.objects.get(name="Coastal Towns").memberships.filter(user=olu, role=Role.ORG_ADMIN).exists()

    # The invitation went astray: send it again; the new link replaces the first.
    page.get_by_role("button", name="Send again to newcomer@example.test").click()
    expect(page.get_by_role("status").filter(has_text="Invitation sent again")).to_be_visible()
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["newcomer@example.test"]
    assert mail.outbox[-1].body != first_link
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    visit.check("resent")

    # Taking a role away asks first; she changes her mind.
    page.get_by_role("link", name="Change roles of Carys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roles of Carys")
    visit.check("roles")
    page.get_by_role("link", name=re.compile(r"^Take away Coordinator")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Take away coordinator in Saltmarsh Bay")
    visit.check("role-remove")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roles of Carys")
    page.get_by_role("link", name="Back to people").click()

    # Deactivating asks first, says what happens, then does it.
    page.get_by_role("link", name="Deactivate Ros").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Ros?")
    expect(page.get_by_role("main")).to_contain_text("Every session she has ends straight away")
    assert User.objects.get(email="ros@example.test").is_active
    visit.check("deactivate")
    page.get_by_role("button", name="Deactivate Ros").click()
    expect(page).to_have_url(url_path_is("/organisation/"))
    expect(page.get_by_role("status").filter(has_text="Ros can no longer sign in")).to_be_visible()
    expect(people.get_by_role("row").filter(has_text="ros@example.test")).to_contain_text("Deactivated")
    assert not User.objects.get(email="ros@example.test").is_active
    visit.check("deactivated")
    visit.assert_nothing_too_wide()
