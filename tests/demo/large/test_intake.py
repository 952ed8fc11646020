"""demo.large.intake: the large seed's intake step, on a handful."""

import pytest

from mentoring.models import Assessment, Consent, Mentee, NeedRating
from mentoring.services.intake import consent_in_force

pytestmark = pytest.mark.django_db


def test_large_intake_gives_each_woman_a_completed_intake_as_the_services_would(carys, hub, other_hub, priya):
    """`seed_demo --size large` is too slow for the suite: its intake step runs here on a handful."""
    import random
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from demo.large.intake import seed_large_intake
    from mentoring.models import AffectsNow, ConsentKind, MenteeStatusChange
    from tests.factories import MenteeFactory

    hub.review_interval_weeks = 10
    hub.save()
    MenteeFactory.create_batch(12, hub=hub)
    MenteeFactory.create_batch(8, hub=other_hub)

    assert seed_large_intake(hubs=[hub, other_hub], rng=random.Random(7)) == 20
    mentees = list(Mentee.objects.select_related("latest_assessment", "hub"))
    now = timezone.now()
    for mentee in mentees:
        intake = mentee.latest_assessment
        assert intake is not None
        assert (intake.kind, intake.state) == ("intake", "complete")
        needs = list(intake.needs.all())
        assert 3 <= len(needs) <= 6
        assert mentee.need_count == sum(need.affects_now == AffectsNow.YES for need in needs)
        assert mentee.review_due_on == intake.assessed_on + timedelta(weeks=mentee.hub.review_interval_weeks)
        assert all(need.her_words and need.self_rating is not None and 0 <= need.self_rating <= 10 for need in needs)
        assert consent_in_force(mentee, ConsentKind.DATA_PROCESSING)
        if any(need.share_with_mentor for need in needs):
            assert consent_in_force(mentee, ConsentKind.SHARE_WITH_MENTOR)
        assert mentee.status_changed_at < now
        latest_change = MenteeStatusChange.objects.filter(mentee=mentee).first()
        assert latest_change is not None and latest_change.to_status == mentee.status
    assert {m.status for m in mentees} >= {"waiting", "matched", "assessing", "referred", "ended"}
    waiting = [m for m in mentees if m.status == "waiting"]
    assert all(m.latest_assessment and m.status_changed_at == m.latest_assessment.completed_at for m in waiting)

    # Her words are ciphertext in the database, so reading them costs real decryption.
    with connection.cursor() as cursor:
        cursor.execute("SELECT her_words FROM mentoring_needrating LIMIT 1")
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAA")

    def counts():
        return tuple(m.objects.count() for m in (Assessment, NeedRating, Consent, MenteeStatusChange))

    before = counts()
    assert seed_large_intake(hubs=[hub, other_hub], rng=random.Random(7)) == 0
    assert counts() == before
