"""mentoring.views.mentees: the mentee list and waiting list, her record (what a mentor sees of it,
the access log, the legal name), and her profile form."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AccessLog, ConsentKind, MenteeStatus, NeedArea, Organisation
from mentoring.services.intake import assessment_save, assessment_start, goal_create
from mentoring.services.mentees import mentee_create, mentee_update_profile
from mentoring.services.relationships import relationship_record
from mentoring.views import mentees as mentee_views
from tests.conftest import shows_name
from tests.factories import MenteeFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


# --- the list ---


def test_mentee_list_search_and_scope(client, carys, amber, bea, hub):
    MenteeFactory(hub=hub, chosen_name="Cleo")
    client.force_login(carys)
    page = client.get(reverse("mentee_list")).content.decode()
    assert "Amber" in page and "Cleo" in page and not shows_name(page, "Bea")
    page = client.get(reverse("mentee_list"), {"q": "cle"}).content.decode()
    assert "Cleo" in page and "Amber" not in page


def test_mentee_list_query_count_does_not_grow(client, carys, hub):
    client.force_login(carys)
    assert_queries_do_not_grow(
        client, reverse("mentee_list"), lambda n: MenteeFactory.create_batch(n, hub=hub), rows=30
    )


def test_mentee_list_filters(client, carys, hub, areas, consent):
    waiting = MenteeFactory.create(
        hub=hub,
        chosen_name="Wendy",
        status=MenteeStatus.WAITING,
        need_count=4,
        status_changed_at=timezone.now() - timedelta(weeks=5),
    )
    due = MenteeFactory.create(
        hub=hub,
        chosen_name="Dora",
        status=MenteeStatus.MATCHED,
        need_count=1,
        review_due_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(carys)

    def names(**params):
        page = client.get(reverse("mentee_list"), params).content.decode()
        return {name for name in ("Wendy", "Dora") if f">{name}</a>" in page}

    assert names() == {"Wendy", "Dora"}
    assert names(status="waiting") == {"Wendy"}
    assert names(min_needs="3") == {"Wendy"}
    assert names(waited="4") == {"Wendy"}
    assert names(waited="6") == set()
    assert names(review_due="1") == {"Dora"}
    consent(waiting, carys)
    assessment = assessment_start(mentee=waiting, acting_user=carys)
    assessment_save(
        assessment=assessment,
        acting_user=carys,
        fields={},
        complete=True,
        needs={areas["immigration"].pk: {"affects_now": "yes", "her_words": "Waiting on my visa."}},
    )
    assert names(need=str(areas["immigration"].pk)) == {"Wendy"}
    assert due.pk


def test_filtered_mentee_list_query_count_does_not_grow(client, carys, hub, areas):
    client.force_login(carys)
    url = reverse("mentee_list") + f"?status=waiting&min_needs=1&need={areas['housing'].pk}&review_due=1"

    def add(n):
        MenteeFactory.create_batch(n, hub=hub, status=MenteeStatus.WAITING, need_count=2)

    assert_queries_do_not_grow(client, url, add, rows=30)
    assert_queries_do_not_grow(client, reverse("waiting_list"), add, rows=10)


def test_a_filtered_mentee_list_says_when_it_has_counted_only_so_far(client, hub, carys, monkeypatch):
    monkeypatch.setattr(mentee_views, "FILTERED_COUNT_CAP", 3)
    for n in range(5):
        mentee_create(hub=hub, chosen_name=f"Nell {n}", acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("mentee_list"), {"q": "Nell"}).content.decode()
    assert "More than 3 mentees match" in page
    unfiltered = client.get(reverse("mentee_list")).content.decode()
    assert "5 mentees" in unfiltered and "More than" not in unfiltered


# --- her record ---


def test_viewing_a_mentee_writes_the_log(client, carys, amber):
    client.force_login(carys)
    response = client.get(reverse("mentee_detail", args=[amber.pk]))
    assert response.status_code == 200
    logged = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (logged.user, logged.object_id, logged.hub) == (carys, str(amber.pk), amber.hub)


def test_legal_name_is_hidden_until_shown_with_a_reason_and_showing_is_logged(client, carys, amber):
    client.force_login(carys)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Amber Example" not in page

    url = reverse("mentee_reveal_legal_name", args=[amber.pk])
    no_reason = client.post(url, {"reason": ""})
    assert "Amber Example" not in no_reason.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL).exists()

    shown = client.post(url, {"reason": "Booking a GP appointment with her"})
    assert "Amber Example" in shown.content.decode()
    logged = AccessLog.objects.get(action=AccessLog.Action.REVEAL)
    assert logged.reason == "Booking a GP appointment with her"
    assert logged.user == carys


def test_a_mentor_can_never_reveal_a_legal_name(client, dee, amber):
    client.force_login(dee)
    assert client.get(reverse("mentee_detail", args=[amber.pk])).status_code == 200
    response = client.post(reverse("mentee_reveal_legal_name", args=[amber.pk]), {"reason": "curious"})
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL).exists()


def test_withdrawing_share_with_mentor_hides_her_items_from_the_mentor_at_once(
    client, carys, dee, amber, areas, consent
):
    consent(amber, carys)
    consent(amber, carys, kind=ConsentKind.SHARE_WITH_MENTOR)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    assessment_save(
        assessment=assessment,
        acting_user=carys,
        fields={},
        complete=True,
        needs={
            areas["housing"].pk: {"affects_now": "yes", "her_words": "Need somewhere safe", "share_with_mentor": True},
            areas["alcohol"].pk: {
                "affects_now": "yes",
                "her_words": "Private, not for sharing",
                "share_with_mentor": False,
            },
        },
    )
    goal_create(mentee=amber, her_words="Get my own key", share_with_mentor=True, acting_user=carys)
    client.force_login(dee)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Need somewhere safe" in page and "Get my own key" in page
    assert "Private, not for sharing" not in page

    consent(amber, carys, kind=ConsentKind.SHARE_WITH_MENTOR, given=False)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Need somewhere safe" not in page and "Get my own key" not in page


def test_mentor_sees_safe_contact_and_nothing_else(client, carys, dee, amber, consent):
    consent(amber, carys, ConsentKind.CONTACT_TEXT)
    mentee_update_profile(
        mentee=amber,
        acting_user=carys,
        safe_channels=["text"],
        voicemail_safe=False,
        code_word="bluebell",
        contact_details="07700 900123",
        access_needs="Wheelchair",
    )
    client.force_login(dee)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Text message" in page and "never leave one" in page and "bluebell" in page
    for hidden in ("07700", "Wheelchair", "Amber Example"):
        assert hidden not in page
    for tab in ("mentee_consents", "mentee_assessments", "mentee_goals", "mentee_history", "mentee_summary"):
        assert client.get(reverse(tab, args=[amber.pk])).status_code == 404


def test_relationships_on_her_record_are_for_coordinators(client, carys, maz, ros_mentor, amber):
    relationship_record(mentee=amber, mentor=ros_mentor, kind="friends", acting_user=carys)
    client.force_login(maz)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Mentors she already knows" not in page


# --- her profile ---


def test_future_date_of_birth_is_refused_and_what_was_typed_stays(client, carys, amber):
    client.force_login(carys)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("mentee_edit", args=[amber.pk]),
        {
            "chosen_name": "Amber",
            "date_of_birth": future,
            "contact_details": "Ring the refuge first",
            "languages": "English, Polish",
            "safe_times": "Weekday mornings",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "can&#x27;t be in the future" in page or "can't be in the future" in page
    assert "Ring the refuge first" in page and "Weekday mornings" in page and "English, Polish" in page
    amber.refresh_from_db()
    assert amber.date_of_birth is None


# --- her legal name is shown only through the logged reveal ---


def test_the_edit_form_never_shows_her_legal_name_and_keeps_it_unless_replaced(client, carys, amber):
    client.force_login(carys)
    url = reverse("mentee_edit", args=[amber.pk])
    page = client.get(url).content.decode()
    assert "Amber Example" not in page
    assert "One is on record" in page
    client.post(url, {"chosen_name": "Amber", "legal_name": ""})
    amber.refresh_from_db()
    assert amber.legal_name == "Amber Example"  # an empty box keeps it
    client.post(url, {"chosen_name": "Amber", "legal_name": "Amber New"})
    amber.refresh_from_db()
    assert amber.legal_name == "Amber New"
    client.post(url, {"chosen_name": "Amber", "remove_legal_name": "on"})
    amber.refresh_from_db()
    assert amber.legal_name == ""


# --- the need filter offers her organisation's areas only ---


def test_the_need_filter_lists_and_accepts_only_her_organisations_areas(client, carys, hub, amber):
    other_org = Organisation.objects.create(name="Elsewhere", slug="elsewhere")
    theirs = NeedArea.objects.create(organisation=other_org, name="Their private area", slug="their-private-area")
    ours = NeedArea.objects.create(organisation=hub.organisation, name="Our own area", slug="our-own-area")
    client.force_login(carys)
    page = client.get(reverse("mentee_list")).content.decode()
    assert "Our own area" in page and "Their private area" not in page
    # Another organisation's id is ignored, not used as a filter.
    response = client.get(reverse("mentee_list"), {"need": theirs.pk})
    assert response.status_code == 200 and "Amber" in response.content.decode()
    assert response.context["filters"].need_area is None
    assert client.get(reverse("mentee_list"), {"need": ours.pk}).context["filters"].need_area == ours.pk


# --- hostile query strings get an answer, never a 500 ---


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("mentee_list", {"q": "a\x00b"}),
        ("mentee_list", {"waited": "9999999"}),
        ("mentee_list", {"waited": "-3", "min_needs": "99999999999999999999", "need": "x", "hub": "1e9"}),
        ("mentee_list", {"page": "99999999999999999999", "status": "\x00"}),
        ("waiting_list", {"hub": "99999999999999999999"}),
        ("mentor_list", {"q": "a\x00b", "hub": "-1"}),
        ("pair_list", {"hub": "99999999999999999999", "status": "x"}),
        ("orgadmin_home", {"q": "a\x00b", "role": "\x00"}),
    ],
)
def test_list_pages_answer_hostile_parameters(client, carys, olu, amber, url_name, params):
    client.force_login(olu if url_name == "orgadmin_home" else carys)
    assert client.get(reverse(url_name), params).status_code == 200


def test_safe_ways_that_contradict_her_other_answers_are_refused_naming_them_and_what_was_typed_stays(
    client, carys, amber, consent
):
    consent(amber, carys, ConsentKind.CONTACT_TEXT)
    client.force_login(carys)
    response = client.post(
        reverse("mentee_edit", args=[amber.pk]),
        {
            "chosen_name": "Amber",
            "safe_channels": ["text", "letter", "email"],
            "letters_safe": "false",
            "voicemail_safe": "unknown",
            "safe_times": "After 7pm, never at weekends",
            "code_word": "lighthouse",
            "languages": "English",
        },
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "“Letter” is ticked as a safe way, but “Is it safe to send letters?” is “No”." in page
    assert "“Email” is ticked as a safe way, but her consent to “Contact by email” hasn't been asked yet" in page
    assert "After 7pm, never at weekends" in page and 'value="lighthouse"' in page
    ticked = {match for match in re.findall(r'<input[^>]*name="safe_channels"[^>]*value="(\w+)"[^>]*checked', page)}
    assert ticked == {"text", "letter", "email"}
    amber.refresh_from_db()
    assert amber.safe_channels == [] and amber.code_word == ""


def test_mentee_list_marks_her_overdue_review_in_words_and_says_it_is_hers(client, carys, hub):
    MenteeFactory.create(
        hub=hub, chosen_name="Dora", status=MenteeStatus.MATCHED, review_due_on=timezone.localdate() - timedelta(days=1)
    )
    # A woman who has left the programme has no review waiting, whatever her record says.
    MenteeFactory.create(
        hub=hub, chosen_name="Esme", status=MenteeStatus.ENDED, review_due_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(carys)
    page = client.get(reverse("mentee_list")).content.decode()
    assert '<th scope="col">Her review due</th>' in page
    rows = {name: row for row in page.split("<tr>") for name in ("Dora", "Esme") if f">{name}</a>" in row}
    assert '<span class="badge text-bg-warning">overdue</span>' in rows["Dora"]
    assert "overdue" not in rows["Esme"]


def test_her_record_never_tells_her_coordinator_to_ask_her_coordinator(client, carys, dee, amber):
    """Amber has no safe ways recorded: her mentor is sent to the coordinator, the coordinator
    is told what to do herself."""
    assert not amber.safe_channels
    client.force_login(carys)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "ask her coordinator" not in page
    assert "not recorded yet: find out from her or her referrer, and record them on her record" in page
    client.force_login(dee)
    assert "not recorded yet: ask her coordinator" in client.get(reverse("mentor_home")).content.decode()


def test_her_record_says_the_review_date_is_hers(client, carys, hub):
    mentee = MenteeFactory.create(hub=hub, chosen_name="Dora", review_due_on=timezone.localdate())
    client.force_login(carys)
    page = client.get(reverse("mentee_detail", args=[mentee.pk])).content.decode()
    assert '<dt class="col-sm-4">Her next review</dt>' in page
