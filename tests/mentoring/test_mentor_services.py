"""Mentor services: stages, DBS, training, references, lived experience, recorded relationships,
the curriculum; and what stands between a mentor and being matched (missing_for_matching)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentoring.matching.eligibility import missing_for_matching
from mentoring.models import (
    MatchingSettings,
    Mentor,
    MentorStage,
    NeedArea,
    RecordedRelationship,
    RelationshipKind,
    Role,
)
from mentoring.services.matching import matching_settings_update
from mentoring.services.mentors import (
    mentor_change_stage,
    mentor_record_dbs,
    mentor_update_profile,
    reference_add,
    training_module_add,
    training_module_update,
    training_record,
)
from mentoring.services.relationships import relationship_record, relationship_withdraw
from tests.conftest import make_person
from tests.factories import HubFactory, MenteeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ros_mentor(ros) -> Mentor:
    return Mentor.objects.select_related("hub").get(user=ros)


@pytest.fixture
def core_module(hub, olu):
    return training_module_add(
        organisation_id=hub.organisation_id, name="Safeguarding basics", is_core=True, acting_user=olu
    )


def _today() -> date:
    return timezone.localdate()


# --- stages ---


def test_stage_change_is_dated_with_who_moved_her(ros_mentor, carys):
    mentor_change_stage(mentor=ros_mentor, to_stage=MentorStage.APPLICATION, acting_user=carys)
    mentor_change_stage(
        mentor=ros_mentor,
        to_stage=MentorStage.REFERENCES,
        note="Application in",
        on=_today() - timedelta(days=2),
        acting_user=carys,
    )
    ros_mentor.refresh_from_db()
    assert ros_mentor.stage == MentorStage.REFERENCES
    latest, first = list(ros_mentor.stage_changes.all())
    assert (first.from_stage, first.to_stage, first.changed_by, first.changed_on) == (
        MentorStage.ENQUIRY,
        MentorStage.APPLICATION,
        carys,
        _today(),
    )
    assert (latest.from_stage, latest.to_stage, latest.note) == (
        MentorStage.APPLICATION,
        MentorStage.REFERENCES,
        "Application in",
    )
    assert latest.changed_on == _today() - timedelta(days=2)


def test_moving_to_the_same_stage_is_refused(ros_mentor, carys):
    with pytest.raises(ValidationError):
        mentor_change_stage(mentor=ros_mentor, to_stage=MentorStage.ENQUIRY, acting_user=carys)
    assert not ros_mentor.stage_changes.exists()


@pytest.mark.parametrize("who", ["priya", "maz", "olu", "ros"])
def test_only_her_hubs_coordinator_changes_her_record(request, ros_mentor, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        mentor_change_stage(mentor=ros_mentor, to_stage=MentorStage.ACTIVE, acting_user=person)
    with pytest.raises(PermissionDenied):
        mentor_update_profile(mentor=ros_mentor, capacity=2, acting_user=person)


# --- DBS ---


def test_dbs_renewal_defaults_to_three_years(ros_mentor, carys):
    issued = _today() - timedelta(days=10)
    mentor_record_dbs(
        mentor=ros_mentor, level="enhanced", certificate_number=" 0012 ", issued_on=issued, acting_user=carys
    )
    ros_mentor.refresh_from_db()
    assert ros_mentor.dbs_renewal_due == issued + relativedelta(years=3)
    assert ros_mentor.dbs_certificate_number == "0012"


def test_dbs_renewal_can_be_set(ros_mentor, carys):
    issued = _today() - timedelta(days=10)
    mentor_record_dbs(
        mentor=ros_mentor,
        level="basic",
        certificate_number="1",
        issued_on=issued,
        renewal_due=issued + timedelta(days=365),
        acting_user=carys,
    )
    ros_mentor.refresh_from_db()
    assert ros_mentor.dbs_renewal_due == issued + timedelta(days=365)


def test_dbs_issue_date_in_the_future_is_refused(ros_mentor, carys):
    with pytest.raises(ValidationError) as caught:
        mentor_record_dbs(
            mentor=ros_mentor,
            level="enhanced",
            certificate_number="1",
            issued_on=_today() + timedelta(days=1),
            acting_user=carys,
        )
    assert "issued_on" in caught.value.message_dict


def test_dbs_renewal_before_issue_is_refused(ros_mentor, carys):
    issued = _today() - timedelta(days=10)
    with pytest.raises(ValidationError) as caught:
        mentor_record_dbs(
            mentor=ros_mentor,
            level="enhanced",
            certificate_number="1",
            issued_on=issued,
            renewal_due=issued - timedelta(days=1),
            acting_user=carys,
        )
    assert "renewal_due" in caught.value.message_dict
    ros_mentor.refresh_from_db()
    assert ros_mentor.dbs_issued_on is None


# --- training and references ---


def test_training_is_recorded_once_per_module(ros_mentor, carys, core_module):
    training_record(mentor=ros_mentor, module=core_module, completed_on=_today() - timedelta(days=5), acting_user=carys)
    training_record(mentor=ros_mentor, module=core_module, acting_user=carys)
    (completion,) = ros_mentor.training.all()
    assert completion.completed_on == _today() and completion.recorded_by == carys


def test_training_must_be_a_module_of_her_organisation(ros_mentor, carys):
    elsewhere = HubFactory.create(organisation=OrganisationFactory.create(slug="elsewhere", name="Elsewhere"))
    their_admin = make_person("admin@elsewhere.test", "Elsewhere admin", elsewhere, Role.ORG_ADMIN)
    foreign = training_module_add(
        organisation_id=elsewhere.organisation_id, name="Their module", is_core=True, acting_user=their_admin
    )
    with pytest.raises(ValidationError):
        training_record(mentor=ros_mentor, module=foreign, acting_user=carys)
    assert not ros_mentor.training.exists()


def test_training_completion_date_cannot_be_in_the_future(ros_mentor, carys, core_module):
    with pytest.raises(ValidationError):
        training_record(
            mentor=ros_mentor, module=core_module, completed_on=_today() + timedelta(days=1), acting_user=carys
        )


def test_reference_keeps_the_referee_encrypted(ros_mentor, carys):
    from django.db import connection

    reference = reference_add(
        mentor=ros_mentor, referee="Jo Referee, 07700 900123", relationship="employer", acting_user=carys
    )
    assert reference.outcome == "requested"
    with connection.cursor() as cursor:
        cursor.execute("SELECT referee FROM mentoring_mentorreference WHERE id = %s", [reference.pk])
        (stored,) = cursor.fetchone()
    assert "Jo Referee" not in str(stored)


# --- curriculum ---


def test_curriculum_is_the_org_admins(hub, olu, carys):
    module = training_module_add(organisation_id=hub.organisation_id, name="Boundaries", is_core=False, acting_user=olu)
    with pytest.raises(ValidationError):
        training_module_add(organisation_id=hub.organisation_id, name="boundaries", is_core=True, acting_user=olu)
    with pytest.raises(PermissionDenied):
        training_module_add(organisation_id=hub.organisation_id, name="Other", is_core=True, acting_user=carys)
    training_module_update(module=module, is_core=True, is_active=False, acting_user=olu)
    module.refresh_from_db()
    assert module.is_core and not module.is_active


# --- profile and lived experience ---


def test_lived_experience_consent_is_dated_and_cleared(ros_mentor, carys):
    areas = list(NeedArea.objects.filter(is_active=True)[:2])
    mentor_update_profile(
        mentor=ros_mentor,
        lived_experience=areas,
        lived_experience_consent=True,
        share_lived_experience=True,
        acting_user=carys,
    )
    ros_mentor.refresh_from_db()
    assert ros_mentor.lived_experience_consent_on == _today()
    assert ros_mentor.share_lived_experience
    assert set(ros_mentor.lived_experience.all()) == set(areas)

    mentor_update_profile(mentor=ros_mentor, lived_experience_consent=False, acting_user=carys)
    ros_mentor.refresh_from_db()
    assert ros_mentor.lived_experience_consent_on is None
    # Nothing is shared with a mentee without her consent to use it at all.
    assert not ros_mentor.share_lived_experience


def test_consent_date_is_kept_when_she_still_consents(ros_mentor, carys):
    mentor_update_profile(mentor=ros_mentor, lived_experience_consent=True, acting_user=carys)
    Mentor.objects.filter(pk=ros_mentor.pk).update(lived_experience_consent_on=_today() - timedelta(days=30))
    ros_mentor.refresh_from_db()
    mentor_update_profile(mentor=ros_mentor, lived_experience_consent=True, capacity=2, acting_user=carys)
    ros_mentor.refresh_from_db()
    assert ros_mentor.lived_experience_consent_on == _today() - timedelta(days=30)


@pytest.mark.parametrize(("capacity", "ok"), [(0, True), (6, True), (7, False)])
def test_capacity_bounds(ros_mentor, carys, capacity, ok):
    if ok:
        mentor_update_profile(mentor=ros_mentor, capacity=capacity, acting_user=carys)
        ros_mentor.refresh_from_db()
        assert ros_mentor.capacity == capacity
    else:
        with pytest.raises(ValidationError):
            mentor_update_profile(mentor=ros_mentor, capacity=capacity, acting_user=carys)


def test_profile_refuses_fields_it_does_not_own(ros_mentor, carys):
    with pytest.raises(ValueError):
        mentor_update_profile(mentor=ros_mentor, stage=MentorStage.ACTIVE, acting_user=carys)


# --- recorded relationships ---


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


# --- matching weights ---


def test_matching_weights_are_the_org_admins(hub, olu, carys):
    settings = matching_settings_update(hub=hub, language=25, priority_needs=4, acting_user=olu)
    assert (settings.language, settings.priority_needs, settings.area) == (25, 4, 10)
    with pytest.raises(PermissionDenied):
        matching_settings_update(hub=hub, language=1, acting_user=carys)
    with pytest.raises(ValidationError):
        matching_settings_update(hub=hub, priority_needs=0, acting_user=olu)
    assert MatchingSettings.objects.get(hub=hub).priority_needs == 4


# --- what stands between her and being matched ---


def _make_ready(mentor: Mentor, carys, module) -> Mentor:
    mentor_change_stage(mentor=mentor, to_stage=MentorStage.ACTIVE, acting_user=carys)
    mentor_record_dbs(
        mentor=mentor,
        level="enhanced",
        certificate_number="1",
        issued_on=_today() - timedelta(days=30),
        acting_user=carys,
    )
    training_record(mentor=mentor, module=module, acting_user=carys)
    return mentor


def test_nothing_missing_when_all_is_done(ros_mentor, carys, core_module, olu, hub):
    # An optional module never holds her back.
    training_module_add(organisation_id=hub.organisation_id, name="Optional", is_core=False, acting_user=olu)
    _make_ready(ros_mentor, carys, core_module)
    assert missing_for_matching(ros_mentor) == []


def test_missing_says_her_stage(ros_mentor, carys, core_module):
    _make_ready(ros_mentor, carys, core_module)
    mentor_change_stage(mentor=ros_mentor, to_stage=MentorStage.PAUSED, acting_user=carys)
    (missing,) = missing_for_matching(ros_mentor)
    assert "Paused" in missing and "Active" in missing


def test_missing_says_no_dbs(ros_mentor, carys, core_module):
    mentor_change_stage(mentor=ros_mentor, to_stage=MentorStage.ACTIVE, acting_user=carys)
    training_record(mentor=ros_mentor, module=core_module, acting_user=carys)
    assert missing_for_matching(ros_mentor) == ["No DBS check recorded."]


def test_missing_says_dbs_expired(ros_mentor, carys, core_module):
    _make_ready(ros_mentor, carys, core_module)
    issued = _today() - relativedelta(years=4)
    mentor_record_dbs(mentor=ros_mentor, level="enhanced", certificate_number="1", issued_on=issued, acting_user=carys)
    (missing,) = missing_for_matching(ros_mentor)
    assert "DBS" in missing and "renewing" in missing


def test_missing_names_the_core_module(ros_mentor, carys, core_module, olu, hub):
    _make_ready(ros_mentor, carys, core_module)
    training_module_add(
        organisation_id=hub.organisation_id, name="Trauma-informed practice", is_core=True, acting_user=olu
    )
    (missing,) = missing_for_matching(ros_mentor)
    assert "Trauma-informed practice" in missing and "Safeguarding basics" not in missing
