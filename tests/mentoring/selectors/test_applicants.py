"""mentoring.selectors.applicants: the recruitment list and her record's history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import MentorStage, RecruitmentStatus
from mentoring.selectors.applicants import ApplicantFilters, applicant_history, filtered_applicants
from mentoring.services.applicants import (
    applicant_change_stage,
    applicant_close,
    applicant_create,
    applicant_reference_add,
)

pytestmark = pytest.mark.django_db


def test_the_list_is_her_hubs_open_recruitment_longest_waiting_first(nova, carys, hub, other_hub, priya):
    newer = applicant_create(hub=hub, name="Opal", acting_user=carys)
    gone = applicant_create(
        hub=hub, name="Pia", acting_user=carys, enquired_on=timezone.localdate() - timedelta(days=40)
    )
    applicant_close(applicant=gone, status=RecruitmentStatus.WITHDRAWN, reason="No time", acting_user=carys)
    applicant_create(hub=other_hub, name="Quinn", acting_user=priya)

    assert list(filtered_applicants(user=carys, filters=ApplicantFilters())) == [nova, newer]
    assert list(filtered_applicants(user=carys, filters=ApplicantFilters(status=RecruitmentStatus.WITHDRAWN))) == [gone]
    assert [a.name for a in filtered_applicants(user=priya, filters=ApplicantFilters())] == ["Quinn"]


def test_the_list_filters_by_stage_and_counts_references_back(nova, carys, hub):
    applicant_create(hub=hub, name="Opal", acting_user=carys)
    applicant_change_stage(applicant=nova, to_stage=MentorStage.REFERENCES, acting_user=carys)
    applicant_reference_add(applicant=nova, referee="Sam", outcome="satisfactory", acting_user=carys)
    applicant_reference_add(applicant=nova, referee="Jo", acting_user=carys)

    (row,) = filtered_applicants(user=carys, filters=ApplicantFilters(stage=MentorStage.REFERENCES))
    counts = (row.reference_count, row.references_back)  # type: ignore[attr-defined]  # annotations
    assert (row, *counts) == (nova, 2, 1)


def test_her_history_is_newest_first(nova, carys):
    applicant_change_stage(applicant=nova, to_stage=MentorStage.APPLICATION, acting_user=carys)
    assert [c.to_stage for c in applicant_history(nova)] == [MentorStage.APPLICATION, MentorStage.ENQUIRY]
