"""The demo coordinator's to-do home: in every hub, work waiting for her as on a real Monday
morning (a woman referred this week, an intake she started and hasn't finished, a proposal
waiting for the two women's answers), so the home shows its lists and not only kind words.

Fictional, written through the services, idempotent: a hub that already has such work keeps it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from demo.small.intake import NEW_WOMEN, date_latest_change
from mentoring.models import (
    OPEN_PAIR_STATUSES,
    WAITING_PAIR_STATUSES,
    Assessment,
    ConsentKind,
    Hub,
    Mentee,
    MenteeStatus,
    Mentor,
    MentorStage,
    Pair,
    User,
)
from mentoring.selectors.mentors import with_list_figures
from mentoring.services.intake import assessment_start, consent_record, referral_create
from mentoring.services.pairs import pair_propose

REFERRED_DAYS_AGO = 3
INTAKE_STARTED_DAYS_AGO = 2
PROPOSED_DAYS_AGO = 4


@transaction.atomic
def seed_waiting_work(*, hubs: dict[str, Hub], coordinators: dict[str, User]) -> None:
    today = timezone.localdate()
    for key, hub in hubs.items():
        coordinator = coordinators[key]
        referred_name, drafting_name = NEW_WOMEN[key]
        if not Mentee.objects.filter(hub=hub, chosen_name=referred_name).exists():
            referral_create(
                hub=hub,
                chosen_name=referred_name,
                acting_user=coordinator,
                source="self",
                referred_on=today - timedelta(days=REFERRED_DAYS_AGO),
            )
        if not Mentee.objects.filter(hub=hub, chosen_name=drafting_name).exists():
            started_on = today - timedelta(days=INTAKE_STARTED_DAYS_AGO)
            mentee = referral_create(
                hub=hub,
                chosen_name=drafting_name,
                acting_user=coordinator,
                source="womens_service",
                referred_on=started_on - timedelta(days=7),
            ).mentee
            consent_record(
                mentee=mentee,
                kind=ConsentKind.DATA_PROCESSING,
                given=True,
                method="verbal",
                acting_user=coordinator,
                what_she_was_told="Who can see her record, why, and that she can change her mind at any time.",
                decided_on=started_on - timedelta(days=7),
            )
            draft = assessment_start(mentee=mentee, acting_user=coordinator)
            Assessment.objects.filter(pk=draft.pk).update(assessed_on=started_on)
            date_latest_change(mentee, started_on)
        _propose_one(hub, coordinator)


def _propose_one(hub: Hub, coordinator: User) -> None:
    """A waiting woman proposed to a ready mentor with a free place, unless one is waiting already."""
    if Pair.objects.filter(hub=hub, status__in=WAITING_PAIR_STATUSES).exists():
        return
    women = (
        Mentee.objects.filter(hub=hub, status=MenteeStatus.WAITING)
        .exclude(pairs__status__in=OPEN_PAIR_STATUSES)
        .order_by("pk")
    )
    mentors = [
        mentor
        for mentor in with_list_figures(Mentor.objects.filter(hub=hub, stage=MentorStage.ACTIVE)).order_by("-pk")
        if mentor.ready and mentor.free_places > 0  # type: ignore[attr-defined]
    ]
    for mentee in women:
        for mentor in mentors:
            try:
                pair = pair_propose(mentee=mentee, mentor=mentor, acting_user=coordinator)
            except ValidationError:
                continue  # not a fit the matcher allows (a relationship to honour, say)
            # Demo only: proposed a few days ago, so the home says how long she has waited.
            proposed = timezone.localdate() - timedelta(days=PROPOSED_DAYS_AGO)
            Pair.objects.filter(pk=pair.pk).update(
                proposed_at=timezone.make_aware(datetime.combine(proposed, time(10)))
            )
            pair.status_changes.update(changed_on=proposed)
            return
