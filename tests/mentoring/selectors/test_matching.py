"""mentoring.selectors.matching: suggestions for one woman (ranked, with reasons, the ruled-out counted)
and a hub's fair batch, from the database; ineligible mentors are never suggested or proposed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring.models import MeetingMode, Mentee, MentorStage, Pair, RelationshipKind, Role
from mentoring.selectors.matching import batch_for_hub, suggestions_for
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import (
    mentor_change_stage,
    mentor_record_dbs,
    mentor_update_profile,
    training_module_add,
)
from mentoring.services.pairs import pair_propose
from mentoring.services.relationships import relationship_record, relationship_withdraw
from tests.conftest import make_person, make_waiting

pytestmark = pytest.mark.django_db


def test_lived_experience_of_her_priorities_ranks_first_with_its_reasons(june, hub, carys, ros, mentor_with):
    kim = make_person("kim@example.test", "Kim", hub, Role.MENTOR)
    mentor_with(ros, carys, lived=["housing"], meeting_modes=[MeetingMode.WALK])
    mentor_with(kim, carys, lived=[], meeting_modes=[MeetingMode.WALK])
    suggestions = suggestions_for(june)
    assert [c.mentor_name for c in suggestions.candidates] == ["Ros", "Kim"]
    top = suggestions.candidates[0]
    labels = [label for label, _ in top.reasons]
    assert any("Housing" in label or "housing" in label for label in labels)
    # Whole points on screen: the shown reasons add up to the shown score, give or take rounding.
    assert abs(sum(points for _, points in top.reasons) - top.score) < len(top.reasons)


def test_lived_experience_without_her_consent_is_not_used(june, hub, carys, ros, mentor_with):
    mentor = mentor_with(ros, carys, lived=["housing"])
    with_consent = suggestions_for(june).candidates[0].score
    mentor_update_profile(mentor=mentor, acting_user=carys, lived_experience_consent=False)
    assert suggestions_for(june).candidates[0].score < with_consent


@pytest.mark.parametrize("kind", RelationshipKind.values)
def test_each_recorded_relationship_excludes_or_flags(june, carys, ros, kind, mentor_with):
    mentor = mentor_with(ros, carys)
    relationship = relationship_record(mentee=june, mentor=mentor, kind=kind, acting_user=carys)
    suggestions = suggestions_for(june)
    if relationship.effect == "exclude":
        assert suggestions.candidates == []
        assert sum(suggestions.ruled_out.values()) == 1
        with pytest.raises(ValidationError):
            pair_propose(mentee=june, mentor=mentor, acting_user=carys)
    else:
        assert suggestions.candidates[0].flags == [relationship.get_kind_display()]
    # Withdrawn, it no longer counts; the record stays.
    relationship_withdraw(relationship=relationship, acting_user=carys)
    again = suggestions_for(june)
    assert again.candidates and again.candidates[0].flags == []
    assert mentor.relationships.count() == 1


@pytest.mark.parametrize("problem", ["dbs_expired", "not_active", "training_missing", "full"])
def test_ineligible_mentors_are_never_suggested_or_proposed(june, hub, carys, ros, olu, problem, mentor_with):
    mentor = mentor_with(ros, carys)
    if problem == "dbs_expired":
        mentor_record_dbs(
            mentor=mentor,
            level="enhanced",
            certificate_number="1",
            issued_on=timezone.localdate() - timedelta(days=4 * 365),
            renewal_due=timezone.localdate() - timedelta(days=1),
            acting_user=carys,
        )
    elif problem == "not_active":
        mentor_change_stage(mentor=mentor, to_stage=MentorStage.PAUSED, acting_user=carys)
    elif problem == "training_missing":
        training_module_add(
            organisation_id=hub.organisation_id, name="Safeguarding basics", is_core=True, acting_user=olu
        )
    else:
        mentor_update_profile(mentor=mentor, acting_user=carys, capacity=0)
    suggestions = suggestions_for(june)
    assert suggestions.candidates == []
    assert sum(suggestions.ruled_out.values()) == 1
    with pytest.raises(ValidationError):
        pair_propose(mentee=june, mentor=mentor, acting_user=carys)
    assert not Pair.objects.filter(mentee=june).exists()


def test_a_required_language_rules_out_mentors_who_dont_speak_it(hub, carys, ros, assess, mentor_with):
    mentee = mentee_create(hub=hub, chosen_name="Ola", languages="Polish, English", acting_user=carys)
    assess(mentee, carys, needs={"money": 1}, mentor_language="Polish")
    make_waiting(mentee, carys)
    mentor_with(ros, carys, languages="English")
    suggestions = suggestions_for(mentee)
    assert suggestions.candidates == []
    assert suggestions.ruled_out == {"doesn't speak Polish": 1}


def test_batch_proposals_honour_capacity_and_favour_the_longest_wait(hub, carys, ros, assess, mentor_with):
    mentor_with(ros, carys)  # one place
    women = []
    for name, days in (("Early", 40), ("Late", 3)):
        mentee = mentee_create(hub=hub, chosen_name=name, acting_user=carys)
        assess(mentee, carys, needs={"housing": 1})
        make_waiting(mentee, carys)
        Mentee.objects.filter(pk=mentee.pk).update(status_changed_at=timezone.now() - timedelta(days=days))
        women.append(mentee)
    rows, left = batch_for_hub(hub)
    assert [row.mentee_name for row in rows] == ["Early"]
    assert [row.mentee_name for row in left] == ["Late"]
