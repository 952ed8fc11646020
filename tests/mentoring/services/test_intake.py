"""mentoring.services.intake: consents, assessments and reviews, referrals."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mentoring.models import Assessment, MenteeStatus
from mentoring.selectors.intake import distance_travelled
from mentoring.services.intake import assessment_save, assessment_start, referral_create
from mentoring.services.mentees import mentee_change_status, mentee_update_profile

pytestmark = pytest.mark.django_db


def test_a_review_is_prefilled_and_shows_distance_travelled(carys, amber, areas, consent):
    consent(amber, carys)
    first = assessment_start(mentee=amber, acting_user=carys)
    assessment_save(
        assessment=first,
        acting_user=carys,
        fields={"assessed_on": timezone.localdate() - timedelta(weeks=12)},
        needs={areas["housing"].pk: {"affects_now": "yes", "her_words": "Sofa surfing", "self_rating": 2}},
        complete=True,
    )
    review = assessment_start(mentee=amber, acting_user=carys)
    assert review.kind == Assessment.Kind.REVIEW
    carried = review.needs.get(need_area=areas["housing"])
    assert (carried.her_words, carried.self_rating) == ("Sofa surfing", 2)
    assessment_save(
        assessment=review,
        acting_user=carys,
        fields={},
        needs={areas["housing"].pk: {"affects_now": "yes", "her_words": "A flat at last", "self_rating": 7}},
        complete=True,
    )
    dates, series = distance_travelled(amber)
    assert len(dates) == 2
    housing = next(s for s in series if s.need_area == areas["housing"].name)
    assert [value for _, value in housing.points] == [2, 7]
    assert housing.change == 5


def test_her_words_are_encrypted_in_the_database(carys, amber, areas, consent):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    assessment_save(
        assessment=assessment,
        acting_user=carys,
        fields={"strengths": "Stubborn in a good way"},
        needs={areas["drugs"].pk: {"affects_now": "yes", "her_words": "Clean for 30 days"}},
    )
    mentee_update_profile(mentee=amber, acting_user=carys, contact_details="07700 900123", code_word="bluebell")
    with connection.cursor() as cursor:
        cursor.execute("SELECT her_words FROM mentoring_needrating")
        words = cursor.fetchone()[0]
        cursor.execute("SELECT contact_details, code_word FROM mentoring_mentee WHERE id = %s", [amber.pk])
        contact, code = cursor.fetchone()
        cursor.execute("SELECT strengths FROM mentoring_assessment")
        strengths = cursor.fetchone()[0]
    for raw in (words, contact, code, strengths):
        assert raw.startswith("gAAAA")
    assert "Clean" not in words and "07700" not in contact and "bluebell" not in code


def test_sharing_cannot_be_marked_without_consent(carys, amber, areas, consent):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    with pytest.raises(ValidationError):
        assessment_save(
            assessment=assessment,
            acting_user=carys,
            fields={},
            needs={areas["housing"].pk: {"share_with_mentor": True}},
        )


def test_re_referral_keeps_her_history(carys, amber):
    mentee_change_status(mentee=amber, to_status=MenteeStatus.WITHDRAWN, reason="Moved away", acting_user=carys)
    referral_create(hub=amber.hub, mentee=amber, acting_user=carys, source="housing")
    amber.refresh_from_db()
    assert amber.status == MenteeStatus.REFERRED
    assert amber.referrals.count() == 1
    assert [c.to_status for c in amber.status_changes.order_by("created_at", "pk")] == [
        "referred",
        "withdrawn",
        "referred",
    ]
