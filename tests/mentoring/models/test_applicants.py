"""mentoring.models.applicants, and the mentors' rows that hang on her recruitment before she joins."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from mentoring.models import MentorReference, MentorStageChange

pytestmark = pytest.mark.django_db


def test_a_reference_or_stage_change_belongs_to_a_mentor_or_her_recruitment(nova, carys):
    assert MentorReference.objects.create(applicant=nova, referee="Sam", recorded_by=carys).mentor is None
    for make in (
        lambda: MentorReference.objects.create(referee="Nobody's", recorded_by=carys),
        lambda: MentorStageChange.objects.create(to_stage="application", changed_by=carys),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            make()


def test_her_record_names_no_one_when_printed(nova):
    assert str(nova) == f"Applicant {nova.pk}"  # admin pages and logs never show her name
    assert nova.get_safe_ways_display_list() == ["Phone calls", "Email"]
