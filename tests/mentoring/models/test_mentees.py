"""mentoring.models.mentees: her record's change history."""

import pytest

pytestmark = pytest.mark.django_db


def test_mentee_changes_are_history_tracked_without_the_encrypted_field(carys, amber):
    amber.chosen_name = "Amba"
    amber.save()
    events = list(amber.events.order_by("pgh_id").values())
    assert [e["pgh_label"] for e in events] == ["insert", "update"]
    assert events[-1]["chosen_name"] == "Amba"
    assert all("legal_name" not in e for e in events)
