"""Expense claims: made from her session log, approved at the rate in force on the session's date
(split at 10,000 miles in a UK tax year, fixed once approved), queried, answered, paid; and who may."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from mentoring.models import (
    ClaimState,
    ExpenseClaim,
    MentoringSession,
    Pair,
    Role,
    split_mileage,
    tax_year_end,
    tax_year_start,
)
from mentoring.services.expenses import (
    claim_answer,
    claim_approve,
    claim_mark_paid,
    claim_query,
    claims_for_logged_sessions,
    mileage_rate_set,
)
from mentoring.services.people import membership_add
from mentoring.services.sessions import session_edit, session_log
from tests.conftest import make_active_pair, make_person

pytestmark = pytest.mark.django_db

LONG_AGO = date(2024, 1, 1)


def log(pair: Pair, user, *, held_on: date | None = None, **money) -> MentoringSession:
    session, _ = session_log(
        pair=pair,
        acting_user=user,
        client_id=uuid.uuid4(),
        held_on=held_on or timezone.localdate(),
        duration_minutes=60,
        mode="in_person",
        notes="We went to the housing office",
        **money,
    )
    return session


@pytest.fixture
def pair_since_2024(dee_pair) -> Pair:
    """Dee's pair, started long enough ago to log sessions either side of past tax years."""
    Pair.objects.filter(pk=dee_pair.pk).update(activated_on=LONG_AGO)
    dee_pair.refresh_from_db()
    return dee_pair


def approved(pair: Pair, mentor_user, coordinator, *, miles: str, held_on: date) -> ExpenseClaim:
    claim = log(pair, mentor_user, held_on=held_on, travel_miles=Decimal(miles)).claim
    return claim_approve(claim=claim, acting_user=coordinator)


def approve_miles(pair: Pair, mentor_user, coordinator, total: int, held_on: date) -> None:
    """Her miles approved that day, in 500-mile trips (the most one log takes) and what's left."""
    while total > 0:
        trip = min(total, 500)
        approved(pair, mentor_user, coordinator, miles=str(trip), held_on=held_on)
        total -= trip


# --- the tax year and the split, as rules ---


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2025, 4, 5), date(2024, 4, 6), date(2025, 4, 5)),
        (date(2025, 4, 6), date(2025, 4, 6), date(2026, 4, 5)),
        (date(2026, 1, 1), date(2025, 4, 6), date(2026, 4, 5)),
        (date(2025, 12, 31), date(2025, 4, 6), date(2026, 4, 5)),
    ],
)
def test_the_uk_tax_year_runs_6_april_to_5_april(day, start, end):
    assert (tax_year_start(day), tax_year_end(day)) == (start, end)


def test_a_claim_crossing_10000_miles_is_split_and_rounded_a_half_penny_up():
    split = split_mileage(
        Decimal("20.3"), approved_before=Decimal("9990"), first_pence=Decimal("45"), after_pence=Decimal("25")
    )
    assert (split.at_first_rate, split.at_after_rate) == (Decimal("10"), Decimal("10.3"))
    # 10 × 45p + 10.3 × 25p = 450p + 257.5p = 707.5p → £7.08
    assert split.amount == Decimal("7.08")
    past = split_mileage(
        Decimal("5"), approved_before=Decimal("12000"), first_pence=Decimal("45"), after_pence=Decimal("25")
    )
    assert (past.at_first_rate, past.at_after_rate, past.amount) == (Decimal("0"), Decimal("5"), Decimal("1.25"))


# --- made from her log ---


def test_a_log_with_travel_or_expenses_makes_a_submitted_claim_and_one_without_makes_none(dee, dee_pair):
    plain = log(dee_pair, dee)
    assert not ExpenseClaim.objects.filter(session=plain).exists()
    session = log(
        dee_pair,
        dee,
        travel_miles=Decimal("12.3"),
        travel_fare=Decimal("3.40"),
        expenses_amount=Decimal("2.50"),
        expenses_what="Tea",
    )
    claim = ExpenseClaim.objects.get(session=session)
    assert (claim.state, claim.miles, claim.fares, claim.other_amount) == (
        ClaimState.SUBMITTED,
        Decimal("12.3"),
        Decimal("3.40"),
        Decimal("2.50"),
    )
    assert claim.mentor.user_id == dee.pk and claim.hub_id == dee_pair.mentor.hub_id
    assert claim.total is None  # worked out only when approved
    assert [(e.from_state, e.to_state, e.by_id) for e in claim.events.all()] == [("", "submitted", dee.pk)]
    fare_only = log(dee_pair, dee, travel_fare=Decimal("1.80"))
    assert ExpenseClaim.objects.get(session=fare_only).miles == 0


def test_approval_fixes_the_amount_at_hmrc_rates_with_fares_and_expenses(dee, dee_pair, carys):
    session = log(
        dee_pair,
        dee,
        travel_miles=Decimal("12.3"),
        travel_fare=Decimal("3.40"),
        expenses_amount=Decimal("2.50"),
        expenses_what="Tea",
    )
    claim = claim_approve(claim=session.claim, acting_user=carys)
    claim.refresh_from_db()
    # 12.3 × 45p = 553.5p → £5.54; + £3.40 + £2.50
    assert (claim.first_rate_pence, claim.after_rate_pence) == (Decimal("45"), Decimal("25"))
    assert (claim.miles_at_first_rate, claim.miles_at_after_rate) == (Decimal("12.3"), Decimal("0"))
    assert (claim.mileage_amount, claim.total) == (Decimal("5.54"), Decimal("11.44"))
    assert (claim.state, claim.approved_by_id) == (ClaimState.APPROVED, carys.pk)
    assert claim.approved_at is not None


def test_a_claim_that_crosses_10000_miles_in_her_tax_year_gets_part_at_45p_and_part_at_25p(dee, pair_since_2024, carys):
    approve_miles(pair_since_2024, dee, carys, 9990, date(2025, 5, 1))
    crossing = approved(pair_since_2024, dee, carys, miles="20", held_on=date(2025, 6, 1))
    assert (crossing.miles_at_first_rate, crossing.miles_at_after_rate) == (Decimal("10"), Decimal("10"))
    assert crossing.mileage_amount == Decimal("7.00")  # 10 × 45p + 10 × 25p
    after = approved(pair_since_2024, dee, carys, miles="10", held_on=date(2025, 7, 1))
    assert (after.miles_at_first_rate, after.mileage_amount) == (Decimal("0"), Decimal("2.50"))
    # A claim submitted (not approved) doesn't count towards the threshold.
    log(pair_since_2024, dee, held_on=date(2025, 7, 2), travel_miles=Decimal("400"))
    assert approved(pair_since_2024, dee, carys, miles="4", held_on=date(2025, 7, 3)).mileage_amount == Decimal("1.00")


def test_the_threshold_starts_again_on_6_april(dee, pair_since_2024, carys):
    approve_miles(pair_since_2024, dee, carys, 10000, date(2025, 4, 5))
    last_day = approved(pair_since_2024, dee, carys, miles="10", held_on=date(2025, 4, 5))
    first_day = approved(pair_since_2024, dee, carys, miles="10", held_on=date(2025, 4, 6))
    assert (last_day.first_rate_pence, last_day.miles_at_after_rate, last_day.mileage_amount) == (
        Decimal("45"),
        Decimal("10"),
        Decimal("2.50"),
    )
    assert (first_day.miles_at_first_rate, first_day.mileage_amount) == (Decimal("10"), Decimal("4.50"))


def test_the_rate_in_force_on_the_session_date_is_used(dee, pair_since_2024, carys, olu, hub):
    mileage_rate_set(
        organisation_id=hub.organisation_id,
        effective_from=date(2025, 6, 1),
        first_pence=Decimal("50"),
        after_pence=Decimal("30"),
        acting_user=olu,
    )
    before = approved(pair_since_2024, dee, carys, miles="10", held_on=date(2025, 5, 31))
    on_the_day = approved(pair_since_2024, dee, carys, miles="10", held_on=date(2025, 6, 1))
    assert (before.first_rate_pence, before.mileage_amount) == (Decimal("45"), Decimal("4.50"))
    assert (on_the_day.first_rate_pence, on_the_day.after_rate_pence, on_the_day.mileage_amount) == (
        Decimal("50"),
        Decimal("30"),
        Decimal("5.00"),
    )


def test_an_approved_claim_keeps_its_rate_when_the_rate_changes_later(dee, pair_since_2024, carys, olu, hub):
    claim = approved(pair_since_2024, dee, carys, miles="10", held_on=date(2025, 6, 10))
    mileage_rate_set(
        organisation_id=hub.organisation_id,
        effective_from=date(2025, 4, 6),
        first_pence=Decimal("40"),
        after_pence=Decimal("20"),
        acting_user=olu,
    )
    claim.refresh_from_db()
    assert (claim.first_rate_pence, claim.mileage_amount, claim.total) == (
        Decimal("45"),
        Decimal("4.50"),
        Decimal("4.50"),
    )
    claim_mark_paid(claim=claim, acting_user=carys)
    claim.refresh_from_db()
    assert (claim.state, claim.total) == (ClaimState.PAID, Decimal("4.50"))
    # A new claim for the same date takes the new rate.
    assert approved(pair_since_2024, dee, carys, miles="10", held_on=date(2025, 6, 10)).mileage_amount == Decimal(
        "4.00"
    )


def test_only_her_organisations_admin_sets_a_mileage_rate(hub, carys, priya):
    with pytest.raises(PermissionDenied):
        mileage_rate_set(
            organisation_id=hub.organisation_id,
            effective_from=date(2025, 6, 1),
            first_pence=Decimal("50"),
            after_pence=Decimal("30"),
            acting_user=carys,
        )


# --- the steps of a claim ---


def test_a_query_goes_to_her_and_her_correction_of_the_log_resubmits_it(dee, dee_pair, carys):
    session = log(dee_pair, dee, travel_miles=Decimal("40"))
    with pytest.raises(ValidationError) as empty:
        claim_query(claim=session.claim, acting_user=carys, reason="  ")
    assert "reason" in empty.value.message_dict
    claim_query(claim=session.claim, acting_user=carys, reason="40 miles to the library?")
    claim = ExpenseClaim.objects.get(pk=session.claim.pk)
    assert claim.state == ClaimState.QUERIED
    with pytest.raises(ValidationError):
        claim_approve(claim=claim, acting_user=carys)  # she answers first
    session_edit(
        session=session,
        acting_user=dee,
        base_version=1,
        held_on=session.held_on,
        duration_minutes=60,
        mode="in_person",
        notes="We went to the housing office",
        travel_miles=Decimal("4"),
    )
    claim.refresh_from_db()
    assert (claim.state, claim.miles) == (ClaimState.SUBMITTED, Decimal("4"))
    steps = [(e.from_state, e.to_state, e.by_id, e.note) for e in claim.events.all()]
    assert steps == [
        ("", "submitted", dee.pk, ""),
        ("submitted", "queried", carys.pk, "40 miles to the library?"),
        ("queried", "submitted", dee.pk, "Corrected the session log"),
    ]


def test_she_answers_a_query_and_it_is_submitted_again_then_approved_and_paid(dee, dee_pair, carys, ros):
    claim = log(dee_pair, dee, travel_fare=Decimal("6.20")).claim
    claim_query(claim=claim, acting_user=carys, reason="Was that a return?")
    with pytest.raises(PermissionDenied):
        claim_answer(claim=claim, acting_user=ros, answer="Yes")
    with pytest.raises(ValidationError):
        claim_answer(claim=claim, acting_user=dee, answer="")
    claim_answer(claim=claim, acting_user=dee, answer="Yes, there and back")
    with pytest.raises(ValidationError):
        claim_answer(claim=claim, acting_user=dee, answer="Again")  # nothing waiting now
    with pytest.raises(ValidationError):
        claim_mark_paid(claim=claim, acting_user=carys)  # not approved yet
    claim_approve(claim=claim, acting_user=carys)
    with pytest.raises(ValidationError):
        claim_approve(claim=claim, acting_user=carys)
    with pytest.raises(ValidationError):
        claim_mark_paid(claim=claim, acting_user=carys, paid_on=timezone.localdate() + timedelta(days=1))
    claim_mark_paid(claim=claim, acting_user=carys)
    claim.refresh_from_db()
    assert (claim.state, claim.total, claim.paid_on, claim.paid_by_id) == (
        ClaimState.PAID,
        Decimal("6.20"),
        timezone.localdate(),
        carys.pk,
    )
    assert [e.to_state for e in claim.events.all()] == ["submitted", "queried", "submitted", "approved", "paid"]


def test_an_approved_claims_amounts_cant_change_under_it_but_the_rest_of_the_log_can(dee, dee_pair, carys):
    session = log(dee_pair, dee, travel_miles=Decimal("8"))
    claim_approve(claim=session.claim, acting_user=carys)
    base = {"held_on": session.held_on, "duration_minutes": 60, "mode": "in_person"}
    with pytest.raises(ValidationError) as refused:
        session_edit(session=session, acting_user=dee, base_version=1, **base, travel_miles=Decimal("80"))
    assert set(refused.value.message_dict) == {"travel_miles"}
    assert "approved" in refused.value.message_dict["travel_miles"][0]
    stored = MentoringSession.objects.get(pk=session.pk)
    assert (stored.travel_miles, stored.version) == (Decimal("8.0"), 1)
    session_edit(
        session=session, acting_user=dee, base_version=1, **base, travel_miles=Decimal("8"), notes="Better notes"
    )
    assert MentoringSession.objects.get(pk=session.pk).version == 2


def test_taking_the_travel_off_the_log_withdraws_the_claim_and_putting_it_back_resubmits(dee, dee_pair):
    session = log(dee_pair, dee, travel_miles=Decimal("8"))
    base = {"held_on": session.held_on, "duration_minutes": 60, "mode": "in_person"}
    session_edit(session=session, acting_user=dee, base_version=1, **base, travel_miles=None)
    assert ExpenseClaim.objects.get(session=session).state == ClaimState.WITHDRAWN
    session_edit(
        session=session, acting_user=dee, base_version=2, **base, expenses_amount=Decimal("2"), expenses_what="Tea"
    )
    claim = ExpenseClaim.objects.get(session=session)
    assert (claim.state, claim.miles, claim.other_amount) == (ClaimState.SUBMITTED, Decimal("0"), Decimal("2.00"))


# --- who may ---


def test_only_a_coordinator_of_her_hub_decides_a_claim(dee, dee_pair, priya, ros, maz):
    claim = log(dee_pair, dee, travel_miles=Decimal("8")).claim
    for someone in (priya, ros, maz, dee):
        for decide in (
            lambda who: claim_approve(claim=claim, acting_user=who),
            lambda who: claim_query(claim=claim, acting_user=who, reason="Why?"),
        ):
            with pytest.raises(PermissionDenied):
                decide(someone)
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED and claim.events.count() == 1


def test_a_coordinator_never_decides_her_own_claim(hub, carys, june):
    cora = make_person("cora@example.test", "Cora", hub, Role.COORDINATOR)
    membership_add(user=carys, hub=hub, role=Role.MENTOR)
    pair = make_active_pair(june, carys, cora)
    claim = log(pair, carys, travel_miles=Decimal("8")).claim
    with pytest.raises(PermissionDenied):
        claim_approve(claim=claim, acting_user=carys)
    assert claim_approve(claim=claim, acting_user=cora).state == ClaimState.APPROVED
    with pytest.raises(PermissionDenied):
        claim_mark_paid(claim=claim, acting_user=carys)


def test_claims_for_logs_saved_before_claims_existed_are_made_once(dee, dee_pair):
    with_miles = log(dee_pair, dee, travel_miles=Decimal("8"))
    log(dee_pair, dee)
    ExpenseClaim.objects.filter(session=with_miles).delete()  # as a log saved before claims existed
    assert claims_for_logged_sessions() == 1
    assert claims_for_logged_sessions() == 0
    assert ExpenseClaim.objects.get(session=with_miles).state == ClaimState.SUBMITTED


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction the activity view is a snapshot taken once: take a fresh one each time.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.usefixtures("committed_db")
def test_two_of_her_claims_approved_at_once_count_the_threshold_once(dee, pair_since_2024, carys):
    """The first approval is held open until the second has either finished (nothing made it wait:
    it counted without the first's miles) or is waiting on a lock; only then does the first commit."""
    approve_miles(pair_since_2024, dee, carys, 9990, date(2025, 5, 1))
    claims = [log(pair_since_2024, dee, held_on=date(2025, 6, 1), travel_miles=Decimal("20")).claim for _ in range(2)]
    first_approved, second_done = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                claim_approve(claim=claims[0], acting_user=carys)
                first_approved.set()
                deadline = time.monotonic() + 30
                while not second_done.is_set() and not _someone_waits_on_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.01)
        finally:
            connection.close()

    def second() -> None:
        try:
            first_approved.wait()
            claim_approve(claim=claims[1], acting_user=carys)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first_claim, second_claim = (ExpenseClaim.objects.get(pk=claim.pk) for claim in claims)
    # Only 10 miles were left at 45p: the first has them (£4.50 + 10 × 25p), the second none (20 × 25p).
    assert (first_claim.mileage_amount, second_claim.mileage_amount) == (Decimal("7.00"), Decimal("5.00"))
