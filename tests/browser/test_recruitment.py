"""Mentor recruitment before an account, in the browser, on a phone and a desktop: Carys records
an enquiry, moves it to application, adds a reference and invites her; the invitation is accepted
and her new mentor record shows the reference. Every page passes axe and none is too wide."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import Mentor, MentorApplicant, MentorStage, RecruitmentStatus
from tests.browser.support import CAST, VIEWPORTS, Visit, log_in, url_path_is

pytestmark = pytest.mark.browser

PASSWORD = "a-strong-pass-phrase-for-nova"

# Elements that scroll sideways inside themselves (a wide table in a scrolling wrapper, a tab bar).
SCROLLS_SIDEWAYS = """() => [...document.querySelectorAll('*')].filter(e => {
  const x = getComputedStyle(e).overflowX;
  return (x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1;
}).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""


class Checked(Visit):
    """`Visit.check`, and on a phone nothing on the page scrolls sideways inside itself either."""

    def check(self, name: str = "") -> None:
        super().check(name)
        if self.viewport == "phone":
            assert self.page.evaluate(SCROLLS_SIDEWAYS) == [], name


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_an_enquiry_becomes_a_mentor_with_her_references(new_context, site, cast, viewport):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Checked(page, viewport=viewport, shots_prefix="recruitment")
    log_in(page, site, CAST["coordinator"])

    page.goto(f"{site}/mentors/")
    page.get_by_role("link", name="Recruitment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentor recruitment")
    visit.check("empty-list")

    # The enquiry: a call after the spring fair.
    page.get_by_role("link", name="Add an enquiry").click()
    page.get_by_label("Her name").fill("Nova")
    page.get_by_label("Phone (optional)").fill("07700 900123")
    page.get_by_label("Email (optional)").fill("nova@example.test")
    page.get_by_label("Phone calls", exact=True).check()
    page.get_by_label("At an event").check()
    page.get_by_label("Which event or organisation (optional)").fill("Spring fair")
    page.get_by_label("Date of the enquiry").fill((timezone.localdate() - timedelta(days=10)).isoformat())
    page.get_by_label("Note (optional)").fill("Would like to give back")
    visit.check("add")
    page.get_by_role("button", name="Save enquiry").click()
    expect(page.get_by_role("status")).to_contain_text("Enquiry recorded")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nova")
    expect(page.get_by_test_id("applicant-stage")).to_contain_text("Enquiry")
    visit.check("detail")

    # A date before her enquiry is refused, with the note kept; then her application came.
    stage = page.get_by_role("region", name="Move her stage")
    stage.get_by_label("Move her to").select_option(label="Application")
    stage.get_by_label("Date").fill((timezone.localdate() - timedelta(days=20)).isoformat())
    stage.get_by_label("Note (optional)").fill("Form came by post")
    stage.get_by_role("button", name="Change stage").click()
    expect(page.get_by_text("can't be dated")).to_be_visible()
    expect(page.get_by_role("region", name="Move her stage").get_by_label("Note (optional)")).to_have_value(
        "Form came by post"
    )
    visit.check("stage-error")
    stage = page.get_by_role("region", name="Move her stage")
    stage.get_by_label("Date").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    stage.get_by_role("button", name="Change stage").click()
    expect(page.get_by_role("status")).to_contain_text("She is now at: Application")
    expect(page.get_by_role("region", name="Her enquiry")).to_contain_text("Received")

    # A reference, asked for before she has an account.
    page.get_by_role("link", name="Add a reference").click()
    page.get_by_label("Referee").fill("Sam at the food bank")
    page.get_by_label("How they know her (optional)").fill("volunteer lead")
    page.get_by_label("Satisfactory").check()
    visit.check("reference")
    page.get_by_role("button", name="Save reference").click()
    expect(page.get_by_test_id("references")).to_contain_text("Sam at the food bank")

    # The list shows her stage and how long since the enquiry.
    page.get_by_role("link", name="Recruitment").click()
    expect(page.get_by_role("table")).to_contain_text("Application")
    expect(page.get_by_role("table")).to_contain_text("1\u00a0week")
    visit.check("list")
    page.get_by_role("link", name="Nova").click()

    # Invite her.
    page.get_by_role("button", name="Invite her").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent")
    expect(page.get_by_test_id("invitation-status")).to_contain_text("pending")
    visit.check("invited")
    match = re.search(r"https?://[^/\s]+(/invite/\S+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    assert "Nova" not in mail.outbox[-1].body

    # She accepts, on her own phone or computer.
    hers = new_context(**VIEWPORTS[viewport]).new_page()
    her_visit = Checked(hers, viewport=viewport, shots_prefix="recruitment-invitee")
    hers.goto(site + match.group(1))
    hers.get_by_label("Your name").fill("Nova")
    hers.get_by_label("Choose a password").fill(PASSWORD)
    hers.get_by_label("Password again").fill(PASSWORD)
    hers.get_by_role("button", name="Create my account").click()
    expect(hers).to_have_url(url_path_is("/mentor/"))
    her_visit.check("mentor-home")

    # Her mentor record carries on: same stage, her history and her reference.
    applicant = MentorApplicant.objects.get()
    mentor = Mentor.objects.get(user__email="nova@example.test")
    assert applicant.status == RecruitmentStatus.JOINED and applicant.mentor_id == mentor.pk
    assert mentor.stage == MentorStage.APPLICATION
    page.reload()
    expect(page.get_by_role("region", name="She has joined as a mentor")).to_be_visible()
    visit.check("joined")
    page.get_by_role("link", name="Open her mentor record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nova")
    expect(page.get_by_role("region", name="References")).to_contain_text("Sam at the food bank")
    expect(page.get_by_role("region", name="Stage history")).to_contain_text("Enquiry → Application")
    visit.check("mentor-record")
    visit.assert_nothing_too_wide()
    her_visit.assert_nothing_too_wide()
