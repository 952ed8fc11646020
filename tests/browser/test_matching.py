"""Matching in the browser: a coordinator records how a waiting woman may be contacted (answers
that contradict each other are refused, naming them), finds the best mentor for her, sees why,
proposes, records both consents, starts the pair and writes the pair agreement, which offers only
her safe ways; the mentor then sees that woman on her phone and nobody else, banner and agreement
agreeing; ending the pair removes her at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mentoring.models import ConsentKind, Mentor, Role
from mentoring.services.intake import consent_record
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import mentor_update_profile
from tests.browser.support import (
    CAST,
    PHONE,
    PHONE_WIDTH,
    VIEWPORTS,
    assert_no_serious_axe_violations,
    log_in,
    url_path_is,
)
from tests.conftest import make_person

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting_june(cast, assess, make_ready):
    carys = cast["coordinator"]
    hub = carys.memberships.get().hub
    june = mentee_create(hub=hub, chosen_name="June", acting_user=carys, safe_times="After 7pm")
    assess(june, carys, needs={"housing": 1, "drugs": 2})
    for kind in (ConsentKind.CONTACT_TEXT, ConsentKind.CONTACT_LETTER):
        consent_record(mentee=june, kind=kind, given=True, method="verbal", acting_user=carys)
    # Ros has lived through housing trouble; Kim shares nothing in particular with June.
    from mentoring.models import NeedArea

    ros = make_ready(cast["mentor_unpaired"], carys)
    mentor_update_profile(
        mentor=ros,
        acting_user=carys,
        lived_experience=NeedArea.objects.filter(slug="housing"),
        lived_experience_consent=True,
    )
    make_ready(make_person("kim@example.test", "Kim", hub, Role.MENTOR), carys)
    return june


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_coordinator_matches_and_the_mentor_sees_only_her_mentee(new_context, site, cast, waiting_june, viewport):
    coordinator = new_context(**VIEWPORTS[viewport]).new_page()
    log_in(coordinator, site, CAST["coordinator"])

    # How she may be contacted: Letter ticked while letters are "No" is refused, naming both
    # answers, and everything typed stays; with the answers agreeing, it is saved.
    coordinator.goto(f"{site}/mentees/{waiting_june.pk}/edit/")
    ways = coordinator.get_by_role("group", name="Which ways of contacting her are safe?")
    ways.get_by_label("Text message").check()
    ways.get_by_label("Letter").check()
    coordinator.get_by_label("Is it safe to send letters?").select_option(label="No")
    coordinator.get_by_label("Code word").fill("lighthouse")
    coordinator.get_by_role("button", name="Save", exact=True).click()
    expect(
        coordinator.get_by_text("“Letter” is ticked as a safe way, but “Is it safe to send letters?” is “No”.")
    ).to_be_visible()
    expect(ways.get_by_label("Letter")).to_be_checked()
    expect(coordinator.get_by_label("Code word")).to_have_value("lighthouse")
    assert_no_serious_axe_violations(coordinator)
    ways.get_by_label("Letter").uncheck()
    coordinator.get_by_role("button", name="Save", exact=True).click()
    expect(coordinator.get_by_text("Her details are saved.")).to_be_visible()

    coordinator.goto(f"{site}/mentees/waiting/")
    coordinator.get_by_role("link", name="Find a mentor for June").click()
    expect(coordinator).to_have_url(url_path_is(f"/mentees/{waiting_june.pk}/match/"))

    # The best mentor first, with why.
    first = coordinator.locator(".candidate-list > li").first
    expect(first.get_by_role("heading")).to_contain_text("Ros")
    expect(first).to_contain_text(re.compile("housing", re.IGNORECASE))
    expect(first).to_contain_text("points")
    assert_no_serious_axe_violations(coordinator)
    first.get_by_role("button", name="Propose Ros").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("June and Ros")

    # Both women agree, each recorded with how.
    her = coordinator.get_by_role("form", name="Record her consent")
    her.get_by_label("How did she agree?").select_option("verbal")
    her.get_by_role("button", name="Record that she agreed").click()
    expect(coordinator.get_by_text("Recorded: June agreed.")).to_be_visible()
    mentor_form = coordinator.get_by_role("form", name="Record the mentor's consent")
    mentor_form.get_by_label("How did she agree?").select_option("written")
    mentor_form.get_by_role("button", name="Record that the mentor agreed").click()
    assert_no_serious_axe_violations(coordinator)
    coordinator.get_by_role("button", name="Start the pair").click()
    expect(coordinator.get_by_text("The pair has started.")).to_be_visible()

    # The pair agreement, co-created at the first meeting.
    coordinator.get_by_role("link", name="Pair agreement").click()
    # Only the ways she marked safe are offered.
    keep_in_touch = coordinator.get_by_role("group", name="How they keep in touch")
    expect(keep_in_touch.get_by_role("checkbox")).to_have_count(1)
    expect(keep_in_touch.get_by_label("Letter")).to_have_count(0)
    keep_in_touch.get_by_label("Text message").check()
    coordinator.get_by_label("Contact hours").fill("Weekdays, never after 8pm")
    coordinator.get_by_label("If the mentor is worried about her safety").fill("Tell June first. No surprises.")
    assert_no_serious_axe_violations(coordinator)
    coordinator.get_by_role("button", name="Save the agreement").click()
    expect(coordinator.get_by_text("Pair agreement saved.")).to_be_visible()
    pair_url = coordinator.url

    # Ros, on her phone: June, how to contact her safely, the agreement; nobody else.
    phone = new_context(**PHONE).new_page()
    log_in(phone, site, CAST["mentor_unpaired"])
    cards = phone.locator(".mentee-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("June")
    expect(cards.first).to_contain_text("After 7pm")
    banner = cards.first.get_by_role("region", name="Before you contact her")
    expect(banner).to_contain_text("Safe ways: Text message")
    expect(banner).to_contain_text("Letters: not safe: never send")
    phone.get_by_text("Your pair agreement (version 1)").click()
    expect(cards.first).to_contain_text("Tell June first. No surprises.")
    expect(cards.first.locator(".agreement")).to_contain_text("How they keep in touch Text message")
    expect(phone.get_by_text("Amber")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert_no_serious_axe_violations(phone)

    # Ending the pair takes June off Ros's phone at once.
    coordinator.goto(pair_url)
    coordinator.get_by_role("link", name="End the pair").click()
    coordinator.get_by_label("Agreed together").check()
    coordinator.get_by_label("No", exact=True).check()
    coordinator.get_by_role("button", name="End the pair").click()
    expect(coordinator.get_by_text("The pair has ended.")).to_be_visible()
    phone.reload()
    expect(phone.locator(".mentee-card")).to_have_count(0)
    phone.goto(f"{site}/mentees/{waiting_june.pk}/")
    expect(phone.get_by_role("heading", level=1)).not_to_have_text("June")
    assert Mentor.objects.get(user=cast["mentor_unpaired"]).pairs.get().status == "ended"
