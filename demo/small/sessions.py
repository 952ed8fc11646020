"""Session logs for the demo pairs: weekly meetings since each pair started, told as a mentor would
tell them; in Saltmarsh Bay the latest left Dee needing to talk today, and in Tamar Vale the pair has
gone quiet (no session for five weeks), so each coordinator's home shows what it is for."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from mentoring.models import ClaimState, ExpenseClaim, MentoringSession, Pair, PairStatus, User
from mentoring.services.expenses import claim_approve, claim_mark_paid, claim_query
from mentoring.services.sessions import session_log

# (mode, place, minutes, activities, notes, next steps, miles, fare)
WEEKS = [
    (
        "in_person",
        "cafe",
        60,
        ["listening"],
        "First proper chat over tea. She talked about the flat.",
        "Meet same place next week.",
        "4.5",
        None,
    ),
    (
        "phone",
        "",
        20,
        ["listening", "practical"],
        "Quick call about the letter from the council.",
        "Bring the letter on Tuesday.",
        None,
        None,
    ),
    (
        "accompanied",
        "services",
        150,
        ["accompanying", "advocacy"],
        "Went with her to the housing appointment; she spoke up for herself.",
        "Wait for their reply; call Friday.",
        "9",
        None,
    ),
    (
        "in_person",
        "community",
        75,
        ["social", "goals"],
        "Came to the Thursday group with me and stayed for lunch.",
        "Try the group on her own next week.",
        None,
        "3.40",
    ),
    (
        "messages",
        "",
        15,
        ["listening"],
        "Messages: a hard day, she wanted someone to hear it.",
        "Check in tomorrow.",
        None,
        None,
    ),
    (
        "in_person",
        "outdoors",
        60,
        ["listening", "goals"],
        "Walk along the front. Talked about what she wants by summer.",
        "Write down two goals together.",
        "3",
        None,
    ),
    (
        "in_person",
        "cafe",
        50,
        ["signposting", "practical"],
        "Looked at the debt advice service together.",
        "She'll ring them with me there.",
        "4.5",
        None,
    ),
]


def _claims_at_each_state(pair: Pair, coordinator: User) -> None:
    """Her travel claims as a month of them would stand: the oldest paid, then one approved, one
    queried, the newest still waiting for her coordinator."""
    claims = list(
        ExpenseClaim.objects.filter(session__pair=pair, state=ClaimState.SUBMITTED).order_by("session__held_on")
    )
    for index, claim in enumerate(claims[:-1]):
        if index == 2:
            claim_query(claim=claim, acting_user=coordinator, reason="Was that the return trip too?")
            continue
        claim_approve(claim=claim, acting_user=coordinator)
        if index == 0:
            claim_mark_paid(claim=claim, acting_user=coordinator)


def seed_sessions(*, today: date, coordinators: dict[str, User]) -> int:
    """Logs for the active demo pairs that have none yet, their claims at each state. Returns how
    many logs were made."""
    made = 0
    for pair in Pair.objects.filter(status=PairStatus.ACTIVE, hub__slug__startswith="demo-").select_related(
        "hub", "mentor__user", "mentee"
    ):
        if MentoringSession.objects.filter(pair=pair).exists() or pair.activated_on is None:
            continue
        quiet = pair.hub.slug == "demo-county"
        last_day = today - timedelta(weeks=5) if quiet else today - timedelta(days=1)
        days = [pair.activated_on + timedelta(days=2 + 7 * week) for week in range(len(WEEKS))]
        days = [day for day in days if day <= last_day]
        for index, day in enumerate(days):
            mode, place, minutes, activities, notes, next_steps, miles, fare = WEEKS[index % len(WEEKS)]
            asks_to_talk = pair.hub.slug == "demo-coast" and index == len(days) - 1
            session_log(
                pair=pair,
                acting_user=pair.mentor.user,
                client_id=uuid.uuid4(),
                held_on=last_day if asks_to_talk else day,
                duration_minutes=minutes,
                mode=mode,
                place_type=place,
                activities=activities,
                notes=notes,
                next_steps=next_steps,
                wellbeing="talk_today" if asks_to_talk else ("chat" if index == 2 else "fine"),
                travel_miles=Decimal(miles) if miles else None,
                travel_fare=Decimal(fare) if fare else None,
                travel_minutes=20 if miles or fare else None,
            )
            made += 1
        _claims_at_each_state(pair, coordinators[pair.hub.slug.removeprefix("demo-")])
    return made
