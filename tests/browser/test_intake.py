"""Intake in the browser: a coordinator takes a self-referral through consent, a full
holistic assessment and onto the waiting list, then a review shows her ratings' movement.
An intake with none of her needs in her words can't be completed; completing asks once.
On a phone and a desktop; every page passes axe and, on a phone, none scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import CAST, VIEWPORTS, Visit, log_in

pytestmark = pytest.mark.browser

# Her needs at intake and at review: (need area, her words, priority, intake rating, review rating).
NEEDS = [
    ("Housing and homelessness", "Sofa surfing at my sister's. I can't stay past Christmas.", 1, 2, 5),
    ("Mental health", "The panic attacks are worse on the bus.", 2, 4, 3),
    ("Isolation and loneliness", "I'd like a friend to have a coffee with.", 3, 3, 3),
]


def need_area(page: Page, name: str) -> Locator:
    """One need area's group in the assessment form, opened."""
    group = page.locator("details.need-area").filter(has=page.locator("summary", has_text=name))
    expect(group).to_have_count(1)  # a clear failure if the need area is missing, not a timeout
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    return group


def tab(page: Page, name: str) -> Locator:
    """A tab of her record."""
    return page.get_by_role("navigation", name="Her record").get_by_role("link", name=name)


def record_consent(page: Page, kind: str, told: str) -> None:
    page.get_by_label("Consent to").select_option(label=kind)
    page.get_by_label("She gives consent").check()
    page.get_by_label("How she told us").select_option(label="Verbally")
    page.get_by_label("What she was told").fill(told)
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("Consent given")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_coordinator_takes_a_self_referral_to_the_waiting_list_and_a_review_shows_distance_travelled(
    new_context, site, cast, viewport
):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport)
    log_in(page, site, CAST["coordinator"])

    # Referral: self-referral is listed first and chosen by default.
    page.goto(f"{site}/mentees/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New referral")
    visit.check()
    page.get_by_label("What would she like to be called?").fill("Nova")
    expect(page.get_by_label("Self-referral")).to_be_checked()
    page.get_by_role("button", name="Save referral").click()

    # Consents: keeping her information (needed before any assessment), and sharing with a mentor.
    expect(page.get_by_role("heading", level=1)).to_have_text("Nova")
    expect(page.get_by_role("heading", name="Her consents now")).to_be_visible()
    visit.check()
    record_consent(page, "Keeping and using her information", "Who can see her record and why.")
    record_consent(page, "Sharing the needs she picks with her mentor", "Only the needs she ticks are shown.")
    visit.check("consents")

    # Her assessment.
    tab(page, "Assessments").click()
    visit.check()
    page.get_by_role("button", name="Start her assessment").click()
    expect(page.get_by_role("heading", name="Intake (draft)")).to_be_visible()
    visit.check()
    # Nothing in her words yet: completing is refused, saying what is missing, and asks nothing.
    page.get_by_label("What she enjoys or is interested in").fill("Swimming")
    page.get_by_role("button", name="Complete intake").click()
    expect(page.get_by_role("alert")).to_contain_text("No need area has her words yet")
    expect(page.get_by_role("button", name="Yes, complete intake")).to_have_count(0)
    expect(page.get_by_label("What she enjoys or is interested in")).to_have_value("Swimming")
    visit.check()
    for name, words, priority, rating, _ in NEEDS:
        group = need_area(page, name)
        group.get_by_label("Yes", exact=True).check()
        group.get_by_label("In her words").fill(words)
        group.get_by_label("Her priority").fill(str(priority))
        group.get_by_label("Her rating").fill(str(rating))
        group.get_by_label("Share this with her mentor").check()
    # A rating of 11 is refused with a clear message, and everything typed stays.
    housing = need_area(page, NEEDS[0][0])
    housing.get_by_label("Her rating").fill("11")
    page.get_by_label("Her strengths, in her words").fill("I never give up.")
    page.get_by_label("What she enjoys or is interested in").fill("Walking by the sea")
    page.get_by_role("group", name="She would like a mentor who has lived through…").get_by_label(
        "Housing and homelessness"
    ).check()
    page.get_by_label("Language she'd like her mentor to speak").fill("English")
    page.get_by_label("In person").check()
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Days and times that suit her").fill("Weekday mornings")
    page.get_by_label("Where she can get to").fill("Town centre")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("status")).to_contain_text("Everything you typed is still here")
    housing = page.locator("details.need-area[open]").filter(has=page.locator("summary", has_text=NEEDS[0][0]))
    expect(housing.get_by_text("Her rating goes from 0 to 10.")).to_be_visible()
    expect(housing.get_by_label("Her rating")).to_have_value("11")
    for name, words, priority, _, _ in NEEDS:
        group = need_area(page, name)
        expect(group.get_by_label("In her words")).to_have_value(words)
        expect(group.get_by_label("Her priority")).to_have_value(str(priority))
        expect(group.get_by_label("Share this with her mentor")).to_be_checked()
    expect(page.get_by_label("Her strengths, in her words")).to_have_value("I never give up.")
    expect(page.get_by_label("Days and times that suit her")).to_have_value("Weekday mornings")
    expect(page.get_by_label("In person")).to_be_checked()
    visit.check()

    housing.get_by_label("Her rating").fill(str(NEEDS[0][3]))
    # "Complete" looks unlike "Save draft", and asks once, saying what completing does.
    complete = page.get_by_role("button", name="Complete intake")
    assert "btn-success" in (complete.get_attribute("class") or "")
    assert "btn-success" not in (page.get_by_role("button", name="Save draft").get_attribute("class") or "")
    complete.click()
    confirm = page.get_by_role("region", name="Complete her intake?")
    expect(confirm).to_contain_text("waiting list for a mentor, with 3 need areas that affect her now")
    visit.check()
    confirm.get_by_role("button", name="Yes, complete intake").click()
    expect(page.get_by_role("status")).to_contain_text("Intake complete")
    # Completing her intake puts her on the waiting list.
    expect(page.locator(".mentee-header .badge")).to_have_text("Waiting for a mentor")
    visit.check()

    # Her goal, in her words.
    tab(page, "Goals").click()
    page.get_by_label("Her goal, in her words").fill("Get my own front door key.")
    page.get_by_label("Linked need area (optional)").select_option(label="Housing and homelessness")
    page.get_by_label("Share this goal with her mentor").check()
    page.get_by_role("button", name="Add goal").click()
    expect(page.get_by_role("heading", name="“Get my own front door key.”")).to_be_visible()
    visit.check()

    # She is on the waiting list.
    page.goto(f"{site}/mentees/waiting/")
    expect(page.get_by_role("heading", name="Saltmarsh Bay")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Nova")).to_contain_text("3 need areas")
    visit.check()
    page.get_by_role("link", name="Nova", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nova")
    visit.check()

    # A review, prefilled from her intake: her ratings move.
    tab(page, "Assessments").click()
    page.get_by_role("button", name="Start a review").click()
    expect(page.get_by_role("heading", name="Review (draft)")).to_be_visible()
    for name, words, _, intake, review in NEEDS:
        group = need_area(page, name)
        expect(group.get_by_label("In her words")).to_have_value(words)
        expect(group.get_by_label("Her rating")).to_have_value(str(intake))
        group.get_by_label("Her rating").fill(str(review))
    visit.check()
    page.get_by_role("button", name="Complete review").click()
    page.get_by_role("button", name="Yes, complete review").click()
    expect(page.get_by_role("status")).to_contain_text("Review complete")

    table = page.get_by_role("table", name="Her ratings at each assessment")
    for name, _, _, intake, review in NEEDS:
        change = review - intake
        row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))
        expect(row.get_by_role("cell")).to_have_text([str(intake), str(review), f"{change:+d}" if change else "0"])
    expect(page.get_by_role("img", name="Her own ratings by need area")).to_be_visible()
    visit.check("ratings")
    visit.assert_nothing_too_wide()


def test_a_future_date_of_birth_is_refused_and_what_was_typed_stays(new_context, site, cast):
    page = new_context(**VIEWPORTS["phone"]).new_page()
    visit = Visit(page, viewport="phone")
    log_in(page, site, CAST["coordinator"])
    page.goto(f"{site}/mentees/")
    page.get_by_role("link", name="Amber").click()
    page.get_by_role("link", name="Edit details").click()
    page.get_by_label("Date of birth (optional)").fill("2099-01-01")
    page.get_by_label("Safe times to contact her").fill("After 7pm, never at weekends")
    page.get_by_label("Code word").fill("lighthouse")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("This date can't be in the future.")).to_be_visible()
    expect(page.get_by_label("Date of birth (optional)")).to_have_value("2099-01-01")
    expect(page.get_by_label("Safe times to contact her")).to_have_value("After 7pm, never at weekends")
    expect(page.get_by_label("Code word")).to_have_value("lighthouse")
    visit.check()
    visit.assert_nothing_too_wide()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_referral_like_a_woman_already_known_asks_is_this_the_same_woman(new_context, site, cast, viewport):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    visit = Visit(page, viewport=viewport)
    log_in(page, site, CAST["coordinator"])
    name = f"Skye {viewport.title()}"

    page.goto(f"{site}/mentees/new/")
    page.get_by_label("What would she like to be called?").fill(name)
    page.get_by_label("Her date of birth (optional)").fill("1991-04-12")
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    # The same name, typed differently, with the same date of birth: asked before a second record.
    page.goto(f"{site}/mentees/new/")
    page.get_by_label("What would she like to be called?").fill(f" {name.lower()} ")
    page.get_by_label("Her date of birth (optional)").fill("1991-04-12")
    reason = page.get_by_label("Reason for referral, in the referrer's words (optional)")
    reason.fill("Referred again by her housing officer")
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_role("heading", name="Is this the same woman?")).to_be_visible()
    expect(page.get_by_role("link", name=name)).to_be_visible()
    expect(reason).to_have_value("Referred again by her housing officer")
    visit.check("same-woman")

    page.get_by_role("button", name="Yes, she is new: save referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name.lower())
    visit.check()
    visit.assert_nothing_too_wide()
