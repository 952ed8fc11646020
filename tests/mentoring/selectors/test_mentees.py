"""mentoring.selectors.mentees: how long she has waited counts from her dated move to the waiting list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import MenteeStatus
from mentoring.selectors.mentees import MenteeFilters, filtered_mentees, waiting_list
from mentoring.services.mentees import mentee_change_status, mentee_create

pytestmark = pytest.mark.django_db


def test_a_move_to_the_waiting_list_recorded_later_counts_from_the_day_it_happened(hub, carys):
    """Her intake was weeks ago, recorded today: she has waited weeks, not minutes, and the
    "waiting at least 2 weeks" filter and the waiting list's order say so."""
    today = timezone.localdate()
    wendy = mentee_create(hub=hub, chosen_name="Wendy", acting_user=carys, opened_on=today - timedelta(weeks=6))
    for to_status, weeks_ago in ((MenteeStatus.ASSESSING, 5), (MenteeStatus.WAITING, 3)):
        mentee_change_status(
            mentee=wendy, to_status=to_status, reason="", acting_user=carys, on=today - timedelta(weeks=weeks_ago)
        )
    dora = mentee_create(hub=hub, chosen_name="Dora", acting_user=carys)
    for to_status in (MenteeStatus.ASSESSING, MenteeStatus.WAITING):
        mentee_change_status(mentee=dora, to_status=to_status, reason="", acting_user=carys)

    wendy.refresh_from_db()
    assert timezone.localdate(wendy.status_changed_at) == today - timedelta(weeks=3)
    assert timezone.now() - wendy.status_changed_at >= timedelta(weeks=3)
    waited = filtered_mentees(user=carys, filters=MenteeFilters(waited_weeks=2))
    assert [m.chosen_name for m in waited] == ["Wendy"]
    assert [m.chosen_name for m in waiting_list(user=carys)] == ["Wendy", "Dora"]


def test_a_record_opened_on_her_referral_day_dates_her_status_from_it(hub, carys):
    today = timezone.localdate()
    opened = mentee_create(hub=hub, chosen_name="Wendy", acting_user=carys, opened_on=today - timedelta(weeks=4))
    assert timezone.localdate(opened.status_changed_at) == today - timedelta(weeks=4)
    now = mentee_create(hub=hub, chosen_name="Dora", acting_user=carys, opened_on=today)
    assert timezone.now() - now.status_changed_at < timedelta(minutes=1)
