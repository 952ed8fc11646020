"""mentoring.services.mentees: her status lifecycle."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mentoring.models import MenteeStatus
from mentoring.services.mentees import mentee_change_status

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
