"""The session log on her phone (form and JSON for the offline queue), corrections with conflicts,
a pair's timeline, her own sessions, and the coordinator's calls to talk and quiet pairs."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AccessLog, MentoringSession, Pair
from mentoring.services.pairs import pair_pause
from mentoring.services.sessions import session_edit, session_log
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def logged(pair, mentor, **fields):
    """A log her phone sent, through the service: today, half an hour by phone unless told otherwise."""
    values = {"held_on": timezone.localdate(), "duration_minutes": 30, "mode": "phone", **fields}
    session, _ = session_log(pair=pair, acting_user=mentor, client_id=uuid.uuid4(), **values)
    return session


def posted(**overrides):
    data = {
        "client_id": str(uuid.uuid4()),
        "held_on": timezone.localdate().isoformat(),
        "duration_minutes": "50",
        "mode": "in_person",
        "place_type": "cafe",
        "activities": ["listening", "practical"],
        "notes": "Talked about her appointment.",
        "next_steps": "Meet on Friday.",
        "wellbeing": "fine",
    }
    return {**data, **overrides}


def test_the_form_opens_with_today_and_the_length_and_mode_she_used_last(client, dee, dee_pair):
    client.force_login(dee)
    logged(
        dee_pair,
        dee,
        duration_minutes=25,
    )
    page = client.get(reverse("session_log", args=[dee_pair.pk])).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert 'name="duration_minutes" id="id_duration_minutes" class="form-control form-control-lg" value="25"' in page
    assert 'value="phone" autocomplete="off" checked' in page
    assert "I&#x27;m worried about her safety" in page or "I'm worried about her safety" in page


def test_a_json_log_answers_201_then_200_for_the_same_log_and_one_row_exists(client, dee, dee_pair):
    client.force_login(dee)
    url = reverse("session_log", args=[dee_pair.pk])
    data = posted()
    first = client.post(url, data, **JSON)
    again = client.post(url, data, **JSON)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert (first.json()["replayed"], again.json()["replayed"]) == (False, True)
    assert MentoringSession.objects.filter(client_id=data["client_id"]).count() == 1


def test_a_log_sent_again_after_the_pair_was_paused_is_still_answered_as_stored(client, dee, dee_pair, carys):
    client.force_login(dee)
    url = reverse("session_log", args=[dee_pair.pk])
    data = posted()
    assert client.post(url, data, **JSON).status_code == 201
    pair_pause(pair=dee_pair, reason="A break", acting_user=carys)
    assert client.post(url, data, **JSON).status_code == 200
    assert client.post(url, posted(), **JSON).status_code == 404  # a new one can't be logged now


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"duration_minutes": "721"}, "duration_minutes"),
        ({"held_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "held_on"),
        ({"held_on": (timezone.localdate() - timedelta(days=2)).isoformat()}, "held_on"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_she_typed(client, dee, dee_pair, change, field):
    client.force_login(dee)
    url = reverse("session_log", args=[dee_pair.pk])
    refused = client.post(url, posted(**change), **JSON)
    assert refused.status_code == 422
    assert refused.json()["errors"][field]
    page = client.post(url, posted(**change, notes="Every word she typed"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Every word she typed" in text and "is-invalid" in text
    assert "Ensure this value" not in text
    assert MentoringSession.objects.count() == 0


def test_a_plain_form_post_saves_and_goes_home_and_a_second_copy_adds_nothing(client, dee, dee_pair):
    client.force_login(dee)
    url = reverse("session_log", args=[dee_pair.pk])
    data = posted()
    assert client.post(url, data).url == reverse("mentor_home")
    assert client.post(url, data).url == reverse("mentor_home")
    assert MentoringSession.objects.count() == 1
    assert Pair.objects.get(pk=dee_pair.pk).last_contact_on == timezone.localdate()


def test_nobody_but_her_mentor_logs_for_the_pair(client, dee_pair, ros, carys):
    for who in (ros, carys):
        client.force_login(who)
        assert client.get(reverse("session_log", args=[dee_pair.pk])).status_code == 404
        assert client.post(reverse("session_log", args=[dee_pair.pk]), posted(), **JSON).status_code == 404
    assert MentoringSession.objects.count() == 0


def test_a_second_devices_stale_correction_shows_both_versions_and_overwrites_nothing(client, dee, dee_pair):
    client.force_login(dee)
    session = logged(
        dee_pair,
        dee,
        duration_minutes=40,
        notes="First words",
    )
    url = reverse("session_edit", args=[session.pk])
    assert "First words" in client.get(url).content.decode()
    session_edit(
        session=session,
        acting_user=dee,
        base_version=1,
        held_on=timezone.localdate(),
        duration_minutes=40,
        mode="phone",
        notes="Saved on the phone",
    )
    stale = client.post(url, posted(version="1", notes="Typed on the laptop", mode="phone"))
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "Saved on the phone" in text and "Typed on the laptop" in text
    assert MentoringSession.objects.get(pk=session.pk).notes == "Saved on the phone"
    # Saving again, having seen both, replaces the version shown.
    assert client.post(url, posted(version="2", notes="Typed on the laptop", mode="phone")).status_code == 302
    assert MentoringSession.objects.get(pk=session.pk).version == 3


def test_her_coordinator_reads_the_timeline_with_every_session_logged_as_read(client, dee, dee_pair, carys, priya):
    for n in range(3):
        logged(
            dee_pair,
            dee,
            duration_minutes=40,
            mode="in_person",
            notes=f"Note number {n}",
            travel_minutes=10,
        )
    client.force_login(carys)
    url = reverse("pair_sessions", args=[dee_pair.pk])
    page = client.get(url).content.decode()
    assert all(f"Note number {n}" in page for n in range(3))
    assert "3 sessions, 2.5 hours with travel" in page
    assert AccessLog.objects.filter(user=carys, object_type="mentoring.mentoringsession").count() == 3
    client.force_login(priya)
    assert client.get(url).status_code == 404


def test_the_timeline_costs_the_same_queries_for_3_or_30_sessions(client, dee, dee_pair, carys):
    def add(n):
        for _ in range(n):
            logged(
                dee_pair,
                dee,
            )

    client.force_login(carys)
    url = reverse("pair_sessions", args=[dee_pair.pk])
    add(3)
    client.get(url)
    few = count_queries(client, url)
    add(27)
    assert count_queries(client, url) == few


def test_her_own_sessions_show_her_hours_and_no_notes(client, dee, dee_pair):
    logged(
        dee_pair,
        dee,
        duration_minutes=90,
        mode="in_person",
        notes="Private words",
        travel_minutes=30,
    )
    client.force_login(dee)
    page = client.get(reverse("my_sessions")).content.decode()
    assert "2.0</strong> hours" in page
    assert "Private words" not in page
    assert reverse("session_edit", args=[MentoringSession.objects.get().pk]) in page


def test_we_have_talked_takes_her_off_the_coordinators_home(client, dee, dee_pair, carys, priya):
    session = logged(
        dee_pair,
        dee,
        wellbeing="talk_today",
    )
    client.force_login(priya)
    assert client.post(reverse("session_talked", args=[session.pk])).status_code == 404
    client.force_login(carys)
    assert (
        'Mentors who need to talk today <span class="badge text-bg-danger">1</span>'
        in client.get(reverse("coordinator_home")).content.decode()
    )
    assert client.post(reverse("session_talked", args=[session.pk])).url == reverse("coordinator_home")
    assert "Nobody has asked to talk." in client.get(reverse("coordinator_home")).content.decode()


def test_the_pairs_list_shows_last_contact_and_finds_quiet_pairs(client, dee, dee_pair, carys, hub):
    client.force_login(carys)
    Pair.objects.filter(pk=dee_pair.pk).update(activated_on=timezone.localdate() - timedelta(weeks=6))
    quiet = client.get(reverse("pair_list") + "?quiet=1").content.decode()
    assert reverse("pair_detail", args=[dee_pair.pk]) in quiet
    logged(
        Pair.objects.get(pk=dee_pair.pk),
        dee,
        held_on=timezone.localdate() - timedelta(days=2),
    )
    assert (
        reverse("pair_detail", args=[dee_pair.pk]) not in client.get(reverse("pair_list") + "?quiet=1").content.decode()
    )
    listed = client.get(reverse("pair_list")).content.decode()
    assert (timezone.localdate() - timedelta(days=2)).strftime("%-d %b %Y") in listed
    # The hub sets how long is quiet: one week here.
    hub.quiet_after_weeks = 1
    hub.save()
    Pair.objects.filter(pk=dee_pair.pk).update(last_contact_on=timezone.localdate() - timedelta(days=8))
    assert reverse("pair_detail", args=[dee_pair.pk]) in client.get(reverse("pair_list") + "?quiet=1").content.decode()


def test_the_worry_page_is_her_mentors_and_says_what_to_do_now(client, dee, dee_pair, ros):
    client.force_login(dee)
    page = client.get(reverse("session_worry", args=[dee_pair.pk])).content.decode()
    assert "999" in page and "Keep it out of your session notes" in page
    client.force_login(ros)
    assert client.get(reverse("session_worry", args=[dee_pair.pk])).status_code == 404
