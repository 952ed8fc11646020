"""mentoring.services.mentees: her status lifecycle, dated in order, and safe-contact answers that agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring.models import ConsentKind, MenteeStatus
from mentoring.services.mentees import mentee_change_status, mentee_update_profile

pytestmark = pytest.mark.django_db


def test_status_changes_are_recorded_and_only_allowed_moves_happen(carys, amber):
    with pytest.raises(ValidationError):
        mentee_change_status(mentee=amber, to_status=MenteeStatus.MATCHED, reason="", acting_user=carys)
    with pytest.raises(ValidationError):
        mentee_change_status(mentee=amber, to_status=MenteeStatus.WITHDRAWN, reason="", acting_user=carys)
    mentee_change_status(mentee=amber, to_status=MenteeStatus.WITHDRAWN, reason="Moved away", acting_user=carys)
    change = amber.status_changes.first()
    assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
        "referred",
        "withdrawn",
        "Moved away",
        carys,
    )


def test_her_status_cant_be_closed_by_hand_while_a_pair_runs(amber, carys, dee_pair):
    with pytest.raises(ValidationError):
        mentee_change_status(mentee=amber, to_status="withdrawn", reason="Moved away", acting_user=carys)


def test_a_status_change_dated_before_the_one_it_follows_is_refused(carys, amber):
    mentee_change_status(mentee=amber, to_status=MenteeStatus.ASSESSING, reason="", acting_user=carys)
    with pytest.raises(ValidationError, match="she became “Assessing” on"):
        mentee_change_status(
            mentee=amber,
            to_status=MenteeStatus.WAITING,
            reason="",
            acting_user=carys,
            on=timezone.localdate() - timedelta(days=1),
        )
    amber.refresh_from_db()
    assert amber.status == MenteeStatus.ASSESSING


# --- one answer to how she may be contacted: answers that contradict each other are refused ---


def refused(amber, carys, **answers) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refusal:
        mentee_update_profile(mentee=amber, acting_user=carys, **answers)
    amber.refresh_from_db()
    assert amber.safe_channels == []  # nothing of the refused answers was saved
    return refusal.value.message_dict


def test_letter_as_a_safe_way_while_letters_are_not_safe_is_refused_naming_both_answers(carys, amber, consent):
    consent(amber, carys, ConsentKind.CONTACT_LETTER)
    errors = refused(amber, carys, safe_channels=["letter"], letters_safe=False)
    assert errors == {"letters_safe": ["“Letter” is ticked as a safe way, but “Is it safe to send letters?” is “No”."]}


def test_email_as_a_safe_way_without_her_consent_to_email_is_refused(carys, amber):
    errors = refused(amber, carys, safe_channels=["email"])
    assert errors["safe_channels"] == [
        "“Email” is ticked as a safe way, but her consent to “Contact by email” hasn't been asked yet "
        "(record it on her Consents tab)."
    ]


def test_email_as_a_safe_way_after_she_withdrew_consent_is_refused(carys, amber, consent):
    consent(amber, carys, ConsentKind.CONTACT_EMAIL)
    consent(amber, carys, ConsentKind.CONTACT_EMAIL, given=False)
    errors = refused(amber, carys, safe_channels=["email"])
    assert "she withdrew her consent to “Contact by email” on" in errors["safe_channels"][0]


def test_letters_or_voicemail_safe_without_that_way_ticked_is_refused(carys, amber, consent):
    consent(amber, carys, ConsentKind.CONTACT_TEXT)
    errors = refused(amber, carys, safe_channels=["text"], letters_safe=True, voicemail_safe=True)
    assert errors == {
        "letters_safe": ["“Is it safe to send letters?” is “Yes”, but “Letter” isn't ticked as a safe way."],
        "voicemail_safe": ["“Is it safe to leave a voicemail?” is “Yes”, but “Phone call” isn't ticked as a safe way."],
    }


def test_answers_that_agree_are_saved_and_are_her_safe_ways(carys, amber, consent):
    for kind in (ConsentKind.CONTACT_LETTER, ConsentKind.CONTACT_PHONE):
        consent(amber, carys, kind)
    mentee_update_profile(
        mentee=amber,
        acting_user=carys,
        safe_channels=["letter", "phone", "in_person"],
        letters_safe=True,
        voicemail_safe=False,
    )
    amber.refresh_from_db()
    assert amber.safe_ways == ["letter", "phone", "in_person"]
