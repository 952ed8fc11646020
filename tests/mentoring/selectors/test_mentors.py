"""mentoring.selectors.mentors: the coordinator's mentor list and its readiness column."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.matching.eligibility import missing_for_matching
from mentoring.models import MentorStage
from mentoring.selectors.mentors import MentorFilters, filtered_mentors
from mentoring.services.mentors import mentor_change_stage, mentor_record_dbs

pytestmark = pytest.mark.django_db


def test_ready_column_agrees_with_missing_for_matching(carys, hub, core_module, ros_mentor, make_ready, new_mentor):
    ready = make_ready(new_mentor(hub, "Rhi"), carys)
    expired = make_ready(new_mentor(hub, "Eve"), carys, issued_days_ago=4 * 365)
    untrained = new_mentor(hub, "Uma")
    mentor_change_stage(mentor=untrained, to_stage=MentorStage.ACTIVE, acting_user=carys)
    mentor_record_dbs(
        mentor=untrained,
        level="basic",
        certificate_number="1",
        issued_on=timezone.localdate() - timedelta(days=3),
        acting_user=carys,
    )
    listed = filtered_mentors(user=carys, filters=MentorFilters())
    rows = {m.pk: m.ready for m in listed}  # type: ignore[attr-defined]  # an annotation
    for mentor in (ready, expired, untrained, ros_mentor):
        assert rows[mentor.pk] == (missing_for_matching(mentor) == []), mentor.name
    assert rows[ready.pk] and not rows[expired.pk] and not rows[untrained.pk]
