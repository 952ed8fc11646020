"""Reads of claims and hours: finance's row for a claim split at the threshold, and her volunteer
hours this tax year (from 6 April) and since she started."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mentoring.models import ClaimState, ExpenseClaim, Hub, Mentor, MentoringSession, Pair, User
from mentoring.selectors.expenses import export_rows, volunteer_hours
from mentoring.services.sessions import session_log


def test_a_split_claims_row_gives_the_miles_at_each_rate():
    claim = ExpenseClaim(
        pk=7,
        mentor=Mentor(user=User(display_name="Dee")),
        hub=Hub(name="Saltmarsh Bay"),
        session=MentoringSession(expenses_what="Tea"),
        state=ClaimState.PAID,
        held_on=date(2025, 6, 1),
        miles=Decimal("20.0"),
        fares=Decimal("0"),
        other_amount=Decimal("1.50"),
        miles_at_first_rate=Decimal("10.0"),
        miles_at_after_rate=Decimal("10.0"),
        first_rate_pence=Decimal("45.00"),
        after_rate_pence=Decimal("25.50"),
        mileage_amount=Decimal("7.05"),
        total=Decimal("8.55"),
        approved_at=timezone.make_aware(datetime(2025, 6, 3, 12)),
        approved_by=User(display_name="Carys"),
        paid_on=date(2025, 6, 10),
    )
    (row,) = export_rows([claim])
    assert row == [
        "7", "Dee", "Saltmarsh Bay", "2025-06-01", "20.0", "10.0 at 45p; 10.0 at 25.5p", "7.05", "0", "1.50", "Tea",
        "8.55", "Paid", "Carys", "2025-06-03", "2025-06-10",
    ]  # fmt: skip


@pytest.mark.django_db
def test_her_hours_count_sessions_and_travel_this_tax_year_from_6_april(dee, dee_pair):
    Pair.objects.filter(pk=dee_pair.pk).update(activated_on=date(2024, 1, 1))
    dee_pair.refresh_from_db()
    for held_on, minutes, travel in (
        (date(2025, 4, 5), 60, 30),
        (date(2025, 4, 6), 45, None),
        (date(2025, 9, 1), 30, 15),
    ):
        session_log(
            pair=dee_pair,
            acting_user=dee,
            client_id=uuid.uuid4(),
            held_on=held_on,
            duration_minutes=minutes,
            travel_minutes=travel,
            mode="in_person",
        )
    hours = volunteer_hours(mentor_user_id=dee.pk, today=date(2026, 4, 5))
    assert hours.tax_year_from == date(2025, 4, 6)
    assert (hours.this_tax_year.sessions, hours.this_tax_year.minutes) == (2, 90)
    assert (hours.all_time.sessions, hours.all_time.minutes, hours.all_time.hours) == (3, 180, 3.0)
    assert volunteer_hours(mentor_user_id=dee.pk, today=date(2026, 4, 6)).this_tax_year.sessions == 0
