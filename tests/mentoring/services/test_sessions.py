"""Logging a session exactly once, correcting it with every version kept, and a call to talk."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from mentoring.models import MentoringSession, MentoringSessionVersion, Pair
from mentoring.services.pairs import pair_pause
from mentoring.services.sessions import SessionConflict, session_edit, session_log, talk_request_notify
from tests.conftest import make_active_pair

pytestmark = pytest.mark.django_db


def fields(**overrides):
    base = {
        "held_on": timezone.localdate(),
        "duration_minutes": 45,
        "mode": "in_person",
        "place_type": "cafe",
        "need_areas": [],
        "activities": ["listening"],
        "notes": "We walked and talked about the flat.",
        "next_steps": "Call the housing office together.",
        "wellbeing": "fine",
    }
    return {**base, **overrides}


def test_a_log_sent_twice_is_stored_once_and_the_second_answer_is_the_first_row(dee, dee_pair):
    client_id = uuid.uuid4()
    first, created = session_log(pair=dee_pair, acting_user=dee, client_id=client_id, **fields())
    again, created_again = session_log(pair=dee_pair, acting_user=dee, client_id=str(client_id), **fields(notes="x"))
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert MentoringSession.objects.filter(client_id=client_id).count() == 1
    assert MentoringSession.objects.get(pk=first.pk).notes == "We walked and talked about the flat."
    # The first version is kept, and the pair's last contact follows it.
    assert list(first.versions.values_list("version", flat=True)) == [1]
    assert Pair.objects.get(pk=dee_pair.pk).last_contact_on == timezone.localdate()


def test_only_her_mentor_logs_and_only_while_the_pair_is_active(dee, dee_pair, carys, ros):
    with pytest.raises(PermissionDenied):
        session_log(pair=dee_pair, acting_user=ros, client_id=uuid.uuid4(), **fields())
    with pytest.raises(PermissionDenied):
        session_log(pair=dee_pair, acting_user=carys, client_id=uuid.uuid4(), **fields())
    pair_pause(pair=dee_pair, reason="A break", acting_user=carys)
    dee_pair.refresh_from_db()
    with pytest.raises(PermissionDenied):
        session_log(pair=dee_pair, acting_user=dee, client_id=uuid.uuid4(), **fields())
    assert MentoringSession.objects.count() == 0


def test_another_mentors_client_id_is_refused_not_handed_over(dee, dee_pair, ros, carys, june):
    ros_pair = make_active_pair(june, ros, carys)
    client_id = uuid.uuid4()
    session_log(pair=dee_pair, acting_user=dee, client_id=client_id, **fields())
    with pytest.raises(PermissionDenied):
        session_log(pair=ros_pair, acting_user=ros, client_id=client_id, **fields())


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"duration_minutes": 0}, "duration_minutes", "Between 1 minute and 12 hours"),
        ({"duration_minutes": 12 * 60 + 1}, "duration_minutes", "Between 1 minute and 12 hours"),
        ({"held_on": timezone.localdate() + timedelta(days=1)}, "held_on", "can't be in the future"),
        ({"held_on": timezone.localdate() - timedelta(days=3)}, "held_on", "before the pair started"),
        ({"expenses_amount": Decimal("4.50"), "expenses_what": ""}, "expenses_what", "what the expense was for"),
        ({"travel_miles": Decimal("501")}, "travel_miles", "between 0 and 500"),
        ({"need_areas": [2_000_000_000]}, "need_areas", "isn't one of your organisation's"),
    ],
)
def test_bad_input_is_refused_by_field_and_stores_nothing(dee, dee_pair, change, field, words):
    with pytest.raises(ValidationError) as refused:
        session_log(pair=dee_pair, acting_user=dee, client_id=uuid.uuid4(), **fields(**change))
    assert words in " ".join(refused.value.message_dict[field])
    assert MentoringSession.objects.count() == 0


def test_a_phone_call_has_no_place(dee, dee_pair):
    session, _ = session_log(pair=dee_pair, acting_user=dee, client_id=uuid.uuid4(), **fields(mode="phone"))
    assert session.place_type == ""


def test_a_correction_is_a_new_version_and_the_last_contact_follows_it(dee, dee_pair):
    Pair.objects.filter(pk=dee_pair.pk).update(activated_on=timezone.localdate() - timedelta(days=10))
    dee_pair.refresh_from_db()
    session, _ = session_log(pair=dee_pair, acting_user=dee, client_id=uuid.uuid4(), **fields())
    earlier = timezone.localdate() - timedelta(days=2)
    edited = session_edit(session=session, acting_user=dee, base_version=1, **fields(held_on=earlier, notes="Fixed"))
    assert edited.version == 2
    versions = {v.version: v.fields for v in MentoringSessionVersion.objects.filter(session=session)}
    assert versions[1]["notes"] == "We walked and talked about the flat."
    assert versions[2]["notes"] == "Fixed"
    assert Pair.objects.get(pk=dee_pair.pk).last_contact_on == earlier


def test_a_stale_edit_from_a_second_device_overwrites_nothing_and_carries_both(dee, dee_pair):
    session, _ = session_log(pair=dee_pair, acting_user=dee, client_id=uuid.uuid4(), **fields())
    session_edit(session=session, acting_user=dee, base_version=1, **fields(notes="From the phone"))
    with pytest.raises(SessionConflict) as conflict:
        session_edit(session=session, acting_user=dee, base_version=1, **fields(notes="From the laptop"))
    assert conflict.value.current.notes == "From the phone"
    assert MentoringSession.objects.get(pk=session.pk).notes == "From the phone"
    assert MentoringSession.objects.get(pk=session.pk).version == 2


def test_a_log_can_be_corrected_for_a_week_only(dee, dee_pair):
    session, _ = session_log(pair=dee_pair, acting_user=dee, client_id=uuid.uuid4(), **fields())
    MentoringSession.objects.filter(pk=session.pk).update(created_at=timezone.now() - timedelta(days=7, minutes=1))
    session.refresh_from_db()
    with pytest.raises(PermissionDenied):
        session_edit(session=session, acting_user=dee, base_version=1, **fields(notes="Too late"))


def test_need_to_talk_today_tells_her_coordinators_without_any_content(
    dee, dee_pair, carys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session, _ = session_log(
            pair=dee_pair,
            acting_user=dee,
            client_id=uuid.uuid4(),
            **fields(wellbeing="talk_today", notes="Secret words"),
        )
    assert MentoringSession.objects.get(pk=session.pk).talk_requested_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [carys.email]
    text = f"{message.subject} {message.body}"
    for personal in ("Amber", "Dee", "Secret words", "flat", dee.email):
        assert personal not in text
    assert "/coordinator/" in message.body


def test_a_call_to_talk_already_answered_sends_nothing(dee, dee_pair, carys):
    session, _ = session_log(pair=dee_pair, acting_user=dee, client_id=uuid.uuid4(), **fields(wellbeing="talk_today"))
    MentoringSession.objects.filter(pk=session.pk).update(talk_answered_at=timezone.now())
    mail.outbox.clear()
    assert talk_request_notify(session_id=session.pk) == 0
    assert mail.outbox == []


@pytest.mark.usefixtures("committed_db")
def test_two_copies_sent_at_the_same_moment_make_one_row(dee, dee_pair):
    client_id = uuid.uuid4()
    barrier = threading.Barrier(2)
    answers: list[bool] = []

    def send() -> None:
        try:
            barrier.wait()
            _, created = session_log(pair=dee_pair, acting_user=dee, client_id=client_id, **fields())
            answers.append(created)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [False, True]
    assert MentoringSession.objects.filter(client_id=client_id).count() == 1
