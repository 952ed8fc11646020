"""mentoring.matching.eligibility: what stands between a mentor and being matched, and the three
forms of the readiness rule agreeing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from demo.seed import DEMO_DOMAIN, seed_small
from mentoring.matching.eligibility import DBS_DUE_SOON_DAYS, dbs_flag, is_ready, missing_for_matching, with_readiness
from mentoring.matching.loader import load
from mentoring.models import Hub, Mentor, MentorStage, Role, TrainingCompletion, TrainingModule, User
from mentoring.services.mentors import (
    mentor_change_stage,
    mentor_record_dbs,
    training_module_add,
    training_module_update,
    training_record,
)
from mentoring.services.people import user_deactivate
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


# --- what stands between her and being matched ---


def test_nothing_missing_when_all_is_done(ros_mentor, carys, core_module, olu, hub, make_ready):
    # An optional module never holds her back.
    training_module_add(organisation_id=hub.organisation_id, name="Optional", is_core=False, acting_user=olu)
    make_ready(ros_mentor, carys)
    assert missing_for_matching(ros_mentor) == []


def test_missing_says_her_stage(ros_mentor, carys, core_module, make_ready):
    make_ready(ros_mentor, carys)
    mentor_change_stage(mentor=ros_mentor, to_stage=MentorStage.PAUSED, acting_user=carys)
    (missing,) = missing_for_matching(ros_mentor)
    assert "Paused" in missing and "Active" in missing


def test_missing_says_her_account_is_deactivated(ros_mentor, carys, olu, core_module, make_ready):
    make_ready(ros_mentor, carys)
    user_deactivate(user=ros_mentor.user, acting_user=olu)
    ros_mentor.refresh_from_db()
    (missing,) = missing_for_matching(ros_mentor)
    assert "deactivated" in missing and ros_mentor.stage == MentorStage.ACTIVE


def test_missing_says_no_dbs(ros_mentor, carys, core_module):
    mentor_change_stage(mentor=ros_mentor, to_stage=MentorStage.ACTIVE, acting_user=carys)
    training_record(mentor=ros_mentor, module=core_module, acting_user=carys)
    assert missing_for_matching(ros_mentor) == ["No DBS check recorded."]


def test_missing_says_dbs_expired(ros_mentor, carys, core_module, make_ready):
    make_ready(ros_mentor, carys)
    issued = timezone.localdate() - relativedelta(years=4)
    mentor_record_dbs(mentor=ros_mentor, level="enhanced", certificate_number="1", issued_on=issued, acting_user=carys)
    (missing,) = missing_for_matching(ros_mentor)
    assert "DBS" in missing and "renewing" in missing


def test_missing_names_the_core_module(ros_mentor, carys, core_module, olu, hub, make_ready):
    make_ready(ros_mentor, carys)
    training_module_add(
        organisation_id=hub.organisation_id, name="Trauma-informed practice", is_core=True, acting_user=olu
    )
    (missing,) = missing_for_matching(ros_mentor)
    assert "Trauma-informed practice" in missing and "Safeguarding basics" not in missing


# --- the rule's three forms agree ---


def test_python_orm_and_the_matchers_sql_agree_on_every_mentor_of_the_demo(make_ready):
    """missing_for_matching / is_ready (one record), with_readiness (a page of mentors) and
    READY_SQL in the loader (a whole hub at once) give the same answer for every mentor."""
    seed_small()
    today = timezone.localdate()
    hub = Hub.objects.get(slug="demo-coast")
    coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
    admin = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
    # A retired core module: done by the mentor who lacks an active one, it must not count for her.
    retired = training_module_add(
        organisation_id=hub.organisation_id, name="Old induction", is_core=True, acting_user=admin
    )

    def edge(name: str) -> Mentor:
        user = make_person(f"{name.lower()}@edge.test", name, hub, Role.MENTOR)
        return make_ready(user, coordinator)

    def renewal_due(mentor: Mentor, on: date) -> None:
        mentor_record_dbs(
            mentor=mentor,
            level="enhanced",
            certificate_number="1",
            issued_on=today - timedelta(days=30),
            renewal_due=on,
            acting_user=coordinator,
        )

    names = ("Tia", "Tamsin", "Una", "Pia", "Leah", "Dora")
    due_today, due_tomorrow, untrained, paused, gone, deactivated = (edge(name) for name in names)
    user_deactivate(user=deactivated.user, acting_user=admin)
    renewal_due(due_today, today)
    renewal_due(due_tomorrow, today + timedelta(days=1))
    core = TrainingModule.objects.filter(organisation_id=hub.organisation_id, is_core=True).exclude(pk=retired.pk)
    TrainingCompletion.objects.filter(mentor=untrained, module=core.first()).delete()
    training_module_update(module=retired, is_active=False, acting_user=admin)
    mentor_change_stage(mentor=paused, to_stage=MentorStage.PAUSED, acting_user=coordinator)
    mentor_change_stage(mentor=gone, to_stage=MentorStage.LEFT, acting_user=coordinator)

    mentors = list(Mentor.objects.select_related("hub", "user"))
    python = {m.pk: is_ready(m, today=today) for m in mentors}
    orm = {m.pk: m.ready for m in with_readiness(Mentor.objects.all(), today=today)}  # type: ignore[attr-defined]
    loaded = load(hub_ids=list(Hub.objects.values_list("pk", flat=True)), mentee_ids=[], today=today)
    ids = loaded.pool.ids.tolist()
    assert ids == sorted(ids) == list(loaded.mentor_names)  # the pool is in mentor id order
    sql = dict(zip(ids, loaded.pool.eligible.tolist(), strict=True))

    assert set(orm) == set(python)
    for mentor in mentors:
        assert orm[mentor.pk] == python[mentor.pk], mentor.name
        if mentor.stage == MentorStage.LEFT:
            assert mentor.pk not in sql and not python[mentor.pk]  # the loader leaves out who left
        else:
            assert sql[mentor.pk] == python[mentor.pk], mentor.name
    # The edges land where the rule says, and the demo has both answers, so none of this is vacuous.
    assert python[due_tomorrow.pk] and not python[due_today.pk]
    assert not python[untrained.pk] and not python[paused.pk] and not python[gone.pk]
    assert not python[deactivated.pk] and deactivated.pk in sql
    demo = [m.pk for m in mentors if m.user.email.endswith(DEMO_DOMAIN)]
    assert any(python[pk] for pk in demo) and not all(python[pk] for pk in demo)


def test_dbs_flag_and_the_orm_annotation_agree_at_the_boundaries(carys, hub, new_mentor):
    today = timezone.localdate()
    soon = DBS_DUE_SOON_DAYS
    expected = {
        None: "",
        today - timedelta(days=1): "overdue",
        today: "overdue",
        today + timedelta(days=1): "soon",
        today + timedelta(days=soon): "soon",
        today + timedelta(days=soon + 1): "",
    }
    mentors = {}
    for n, renewal in enumerate(expected):
        mentor = new_mentor(hub, f"Dbs {n}")
        if renewal is not None:
            mentor_record_dbs(
                mentor=mentor,
                level="basic",
                certificate_number="1",
                issued_on=today - timedelta(days=400),
                renewal_due=renewal,
                acting_user=carys,
            )
        mentors[mentor.pk] = renewal
    listed = with_readiness(Mentor.objects.filter(pk__in=mentors), today=today)
    annotated = {m.pk: m.dbs_flag for m in listed}  # type: ignore[attr-defined]  # an annotation
    for pk, renewal in mentors.items():
        assert dbs_flag(renewal, today) == annotated[pk] == expected[renewal], renewal
