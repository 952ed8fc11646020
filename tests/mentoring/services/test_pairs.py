"""mentoring.services.pairs: the life of a pair, the rights it grants and revokes, one open pair per
woman, her feedback encrypted, agreement versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentoring.models import AccessLog, Mentee, MenteeStatus, MentorStage, Pair, PairStatus, Role
from mentoring.policies.mentees import can_view_mentee
from mentoring.services.mentors import mentor_change_stage
from mentoring.services.pairs import (
    pair_activate,
    pair_agreement_save,
    pair_end,
    pair_pause,
    pair_propose,
    pair_record_consent,
    pair_resume,
    pair_review_record,
)
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def test_pair_lifecycle_grants_and_revokes_the_mentors_view_at_once(june, hub, carys, ros, mentor_with):
    mentor = mentor_with(ros, carys)
    pair = pair_propose(mentee=june, mentor=mentor, acting_user=carys)
    assert pair.status == PairStatus.PROPOSED and pair.reasons
    assert not can_view_mentee(ros, june)
    with pytest.raises(ValidationError):
        pair_activate(pair=pair, acting_user=carys)  # nobody has agreed yet
    pair_record_consent(pair=pair, who="mentee", method="verbal", acting_user=carys)
    pair = pair_record_consent(pair=pair, who="mentor", method="written", acting_user=carys)
    assert pair.status == PairStatus.AWAITING_CONSENT
    pair = pair_activate(pair=pair, acting_user=carys)
    june.refresh_from_db()
    assert june.status == MenteeStatus.MATCHED
    assert pair.activated_on is not None
    assert pair.next_review_on == pair.activated_on + timedelta(weeks=6)
    assert can_view_mentee(ros, june)
    pair = pair_pause(pair=pair, acting_user=carys, reason="Mentor unwell")
    assert not can_view_mentee(ros, june)
    pair = pair_resume(pair=pair, acting_user=carys)
    assert can_view_mentee(ros, june)
    pair_end(pair=pair, end_reason="goals_met", her_feedback="She got me through.", acting_user=carys)
    assert not can_view_mentee(ros, june)
    june.refresh_from_db()
    assert june.status == MenteeStatus.ENDED
    actions = list(
        AccessLog.objects.filter(object_type="mentoring.mentee", object_id=str(june.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions.count(AccessLog.Action.GRANT) == 2 and actions.count(AccessLog.Action.REVOKE) == 2


def test_ending_with_a_wish_for_a_new_mentor_puts_her_back_on_the_waiting_list(amber, carys, dee_pair, ros, make_ready):
    pair_end(pair=dee_pair, end_reason="mentor_left", wants_new_mentor=True, acting_user=carys)
    amber.refresh_from_db()
    assert amber.status == MenteeStatus.WAITING
    # A new pair is possible; the old one is kept.
    pair = pair_propose(mentee=amber, mentor=make_ready(ros, carys), acting_user=carys)
    assert amber.pairs.count() == 2 and pair.status == PairStatus.PROPOSED


def test_her_feedback_is_encrypted_at_rest(carys, dee_pair):
    from django.db import connection

    pair_end(pair=dee_pair, end_reason="mutual", her_feedback="Dee listened.", acting_user=carys)
    with connection.cursor() as cursor:
        cursor.execute("SELECT her_feedback FROM mentoring_pair WHERE id = %s", [dee_pair.pk])
        (raw,) = cursor.fetchone()
    assert "Dee listened" not in raw


def test_one_open_pair_per_woman(june, hub, carys, ros, mentor_with):
    kim = make_person("kim@example.test", "Kim", hub, Role.MENTOR)
    pair_propose(mentee=june, mentor=mentor_with(ros, carys), acting_user=carys)
    with pytest.raises(ValidationError):
        pair_propose(mentee=june, mentor=mentor_with(kim, carys), acting_user=carys)


def test_agreement_versions_are_kept_and_the_mentor_can_write_them(carys, dee, dee_pair, ros, amber, safe_ways):
    safe_ways(amber, carys, "text", "phone")
    first = pair_agreement_save(
        pair=dee_pair, acting_user=carys, contact_channels=["text"], if_worried_about_safety="Tell her first."
    )
    second = pair_agreement_save(
        pair=dee_pair, acting_user=dee, contact_channels=["text", "phone"], if_worried_about_safety="Tell her first."
    )
    assert (first.version, second.version) == (1, 2)
    assert dee_pair.agreements.count() == 2
    with pytest.raises(PermissionDenied):
        pair_agreement_save(pair=dee_pair, acting_user=ros, if_worried_about_safety="x")


def test_resuming_checks_the_mentor_as_starting_does(amber, carys, dee, dee_pair):
    """Pause, she leaves, resume: refused, and she gets no right back to the woman's record."""
    pair_pause(pair=dee_pair, acting_user=carys, reason="Mentor unwell")
    mentor_change_stage(mentor=dee_pair.mentor, to_stage=MentorStage.LEFT, acting_user=carys)
    with pytest.raises(ValidationError, match="can't resume"):
        pair_resume(pair=dee_pair, acting_user=carys)
    dee_pair.refresh_from_db()
    assert dee_pair.status == PairStatus.PAUSED
    assert not can_view_mentee(dee, amber)


# --- the agreement offers only the ways she marked safe ---


def test_the_agreement_refuses_a_way_she_has_not_marked_safe_naming_her_answers(carys, dee_pair, amber, safe_ways):
    safe_ways(amber, carys, "text", letters_safe=False)
    with pytest.raises(ValidationError) as refused:
        pair_agreement_save(
            pair=dee_pair, acting_user=carys, contact_channels=["text", "letter"], if_worried_about_safety="Tell her."
        )
    assert refused.value.message_dict == {
        "contact_channels": [
            "“Letter” can't be agreed: “Letter” isn't ticked as a safe way on her record, "
            "and “Is it safe to send letters?” is “No”."
        ]
    }
    assert not dee_pair.agreements.exists()


def test_an_agreed_way_that_stops_being_safe_is_no_longer_one_of_her_safe_ways(
    carys, dee_pair, amber, safe_ways, consent
):
    safe_ways(amber, carys, "text", "phone")
    pair_agreement_save(
        pair=dee_pair, acting_user=carys, contact_channels=["text", "phone"], if_worried_about_safety="Tell her."
    )
    consent(amber, carys, "contact_phone", given=False)
    assert Mentee.objects.get(pk=amber.pk).safe_ways == ["text"]


# --- each date follows the events before it ---

YESTERDAY = timezone.localdate() - timedelta(days=1)


def test_a_consent_dated_before_the_proposal_is_refused(june, carys, ros, mentor_with):
    pair = pair_propose(mentee=june, mentor=mentor_with(ros, carys), acting_user=carys)
    with pytest.raises(ValidationError, match="before the pair was proposed") as refused:
        pair_record_consent(pair=pair, who="mentee", method="verbal", on=YESTERDAY, acting_user=carys)
    assert "on" in refused.value.error_dict
    pair.refresh_from_db()
    assert pair.mentee_consent_on is None and pair.status == PairStatus.PROPOSED


def test_a_start_dated_before_a_consent_is_refused(june, carys, ros, mentor_with):
    pair = pair_propose(mentee=june, mentor=mentor_with(ros, carys), acting_user=carys)
    for who in ("mentee", "mentor"):
        pair_record_consent(pair=pair, who=who, method="verbal", acting_user=carys)
    with pytest.raises(ValidationError, match="before she agreed to the pairing"):
        pair_activate(pair=pair, acting_user=carys, on=YESTERDAY)


def test_a_review_dated_before_the_pair_started_is_refused(carys, dee_pair):
    with pytest.raises(ValidationError, match="before the pair started"):
        pair_review_record(pair=dee_pair, acting_user=carys, on=YESTERDAY)
    assert not dee_pair.reviews.exists()


def test_a_review_dated_before_the_last_review_is_refused(carys, dee_pair):
    today = timezone.localdate()
    Pair.objects.filter(pk=dee_pair.pk).update(activated_on=today - timedelta(days=30))
    pair_review_record(pair=dee_pair, acting_user=carys, on=today - timedelta(days=5))
    with pytest.raises(ValidationError, match="before the last review"):
        pair_review_record(pair=dee_pair, acting_user=carys, on=today - timedelta(days=10))


def test_an_end_dated_before_the_pair_started_is_refused(carys, dee_pair):
    with pytest.raises(ValidationError, match="the pair became “Active” on"):
        pair_end(pair=dee_pair, end_reason="mutual", acting_user=carys, on=YESTERDAY)
    dee_pair.refresh_from_db()
    assert dee_pair.status == PairStatus.ACTIVE


def test_an_agreement_dated_before_the_proposal_is_refused(carys, dee_pair):
    with pytest.raises(ValidationError, match="before the pair was proposed"):
        pair_agreement_save(pair=dee_pair, acting_user=carys, agreed_on=YESTERDAY, if_worried_about_safety="Tell her.")
