"""mentoring.services.mentors: stages, DBS, training, references, the curriculum, her profile and
lived experience."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentoring.models import AccessLog, Mentor, MentorStage, NeedArea, Role
from mentoring.policies.mentees import can_view_mentee, grant_mentee_view
from mentoring.services.mentors import (
    mentor_change_stage,
    mentor_record_dbs,
    mentor_update_profile,
    reference_add,
    training_module_add,
    training_module_update,
    training_record,
)
from mentoring.services.pairs import pair_end
from tests.conftest import make_person
from tests.factories import HubFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("stage", [MentorStage.PAUSED, MentorStage.LEFT, MentorStage.TRAINING])
def test_a_mentor_with_an_active_pair_cant_leave_or_pause_while_she_still_sees_her(carys, dee, dee_pair, amber, stage):
    mentor = dee_pair.mentor
    with pytest.raises(ValidationError):
        mentor_change_stage(mentor=mentor, to_stage=stage, acting_user=carys)
    assert can_view_mentee(dee, amber)
    pair_end(pair=dee_pair, end_reason="mentor_left", wants_new_mentor=True, acting_user=carys)
    mentor_change_stage(mentor=mentor, to_stage=stage, acting_user=carys)
    assert not can_view_mentee(dee, amber)


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


def test_a_mentor_who_leaves_loses_every_right_at_once_and_it_is_logged(amber, carys, dee, dee_pair):
    pair_end(pair=dee_pair, end_reason="mentor_left", acting_user=carys)
    grant_mentee_view(dee, amber)  # a right left behind by anything at all
    mentor_change_stage(mentor=dee_pair.mentor, to_stage=MentorStage.LEFT, acting_user=carys)
    assert not can_view_mentee(dee, amber)
    # The reason is encrypted, so it is compared after reading, not in the query.
    revokes = AccessLog.objects.filter(action=AccessLog.Action.REVOKE, object_id=str(amber.pk))
    assert "Mentor left" in [entry.reason for entry in revokes]
