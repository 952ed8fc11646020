"""mentoring.services.relationships: recorded relationships between a woman and a mentor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentoring.models import RecordedRelationship, RelationshipKind
from mentoring.services.relationships import relationship_record, relationship_withdraw
from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "effect"),
    [
        (RelationshipKind.FRIENDS, "exclude"),
        (RelationshipKind.SAME_HOUSEHOLD, "exclude"),
        (RelationshipKind.KNOWN, "flag"),
        (RelationshipKind.KNOWS_HARMFUL_PERSON, "exclude"),
        (RelationshipKind.MENTEE_ASKED_NOT, "exclude"),
    ],
)
def test_relationship_default_effect_per_kind(ros_mentor, amber, carys, kind, effect):
    relationship = relationship_record(mentee=amber, mentor=ros_mentor, kind=kind, acting_user=carys)
    assert relationship.effect == effect
    assert relationship.recorded_by == carys


def test_relationship_effect_can_be_chosen(ros_mentor, amber, carys):
    relationship = relationship_record(
        mentee=amber, mentor=ros_mentor, kind=RelationshipKind.KNOWN, effect="exclude", acting_user=carys
    )
    assert relationship.effect == "exclude"


def test_relationship_across_hubs_is_refused(ros_mentor, other_hub, carys, priya):
    bea = MenteeFactory.create(hub=other_hub, chosen_name="Bea")
    with pytest.raises(PermissionDenied):
        # carys doesn't coordinate Bea's hub
        relationship_record(mentee=bea, mentor=ros_mentor, kind="known", acting_user=carys)
    with pytest.raises(ValidationError):
        # priya does, but ros mentors in another hub
        relationship_record(mentee=bea, mentor=ros_mentor, kind="known", acting_user=priya)
    assert not RecordedRelationship.objects.exists()


def test_withdrawing_keeps_the_row(ros_mentor, amber, carys):
    relationship = relationship_record(mentee=amber, mentor=ros_mentor, kind="friends", acting_user=carys)
    relationship_withdraw(relationship=relationship, acting_user=carys)
    first_withdrawn_at = relationship.withdrawn_at
    relationship_withdraw(relationship=relationship, acting_user=carys)  # twice: no change
    relationship.refresh_from_db()
    assert relationship.withdrawn_at == first_withdrawn_at is not None
    assert relationship.withdrawn_by == carys
    assert RecordedRelationship.objects.filter(pk=relationship.pk).exists()


def test_withdrawing_is_for_her_hubs_coordinator(ros_mentor, amber, carys, priya):
    relationship = relationship_record(mentee=amber, mentor=ros_mentor, kind="friends", acting_user=carys)
    with pytest.raises(PermissionDenied):
        relationship_withdraw(relationship=relationship, acting_user=priya)
