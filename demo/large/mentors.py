"""Large seed, mentors: a record for each of the 2,000 benchmark mentors, in bulk.

Shaped like a real network so the matcher's benchmark does real work: most are active with an
in-date DBS check and the core module done; some are still training, paused, or have a DBS
check that needs renewing; each has lived experience (with consent), languages, places,
ways of meeting, weekly times, capacity and interests. Idempotent.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from mentoring.models import (
    AVAILABILITY_SLOTS,
    Hub,
    MeetingMode,
    Membership,
    Mentee,
    MenteeStatus,
    MenteeStatusChange,
    MenteeUserObjectPermission,
    Mentor,
    MentorStage,
    NeedArea,
    Pair,
    PairAgreement,
    PairStatus,
    PairStatusChange,
    Role,
    TrainingCompletion,
    TrainingModule,
)

LANGUAGES = ["English"] * 6 + ["English, Polish", "English, Urdu", "English, Arabic", "English, Romanian", "Welsh"]
PLACES = [f"District {n}" for n in range(1, 16)]
INTERESTS = ["walking", "cooking", "crafts", "music", "gardening", "reading", "swimming", "football", "art", "dogs"]
SLOTS = [code for code, _ in AVAILABILITY_SLOTS]
MODES = list(MeetingMode.values)


def seed_large_mentors(*, hubs: list[Hub], rng: random.Random) -> int:
    """A Mentor record for every benchmark mentor without one. Returns how many were made."""
    today = timezone.localdate()
    organisation_id = hubs[0].organisation_id
    module, _ = TrainingModule.objects.get_or_create(
        organisation_id=organisation_id, name="Core mentor training (benchmark)", defaults={"is_core": True}
    )
    memberships = (
        Membership.objects.filter(hub__in=hubs, role=Role.MENTOR, user__mentor_record__isnull=True)
        .values_list("user_id", "hub_id")
        .order_by("user_id")
    )
    mentors = []
    for user_id, hub_id in memberships:
        roll = rng.random()
        stage: str = MentorStage.ACTIVE if roll < 0.85 else rng.choice([MentorStage.TRAINING, MentorStage.PAUSED])
        issued = today - timedelta(days=rng.randint(30, 1000))
        mentors.append(
            Mentor(
                user_id=user_id,
                hub_id=hub_id,
                stage=stage,
                lived_experience_consent=True,
                lived_experience_consent_on=issued,
                languages=rng.choice(LANGUAGES),
                areas=", ".join(rng.sample(PLACES, k=rng.randint(1, 3))),
                meeting_modes=rng.sample(MODES, k=rng.randint(1, 3)),
                availability=rng.sample(SLOTS, k=rng.randint(3, 9)),
                capacity=rng.choice([1, 1, 2, 2, 3]),
                interests=", ".join(rng.sample(INTERESTS, k=rng.randint(1, 3))),
                dbs_level="enhanced",
                dbs_certificate_number=f"00{user_id:010d}",  # synthetic
                dbs_issued_on=issued,
                # About one in twenty needs renewing: the matcher must rule them out.
                dbs_renewal_due=issued + timedelta(days=3 * 365) if roll > 0.05 else today - timedelta(days=1),
            )
        )
    Mentor.objects.bulk_create(mentors, batch_size=1000)
    areas = list(NeedArea.objects.filter(organisation__isnull=True).values_list("pk", flat=True))
    lived = []
    completions = []
    for mentor_id, stage in ((mentor.pk, mentor.stage) for mentor in mentors):  # PostgreSQL returns new ids
        lived += [
            Mentor.lived_experience.through(mentor_id=mentor_id, needarea_id=area_id)
            for area_id in rng.sample(areas, k=rng.randint(1, 4))
        ]
        if stage != MentorStage.TRAINING:
            completions.append(
                TrainingCompletion(mentor_id=mentor_id, module=module, completed_on=today - timedelta(days=90))
            )
    Mentor.lived_experience.through.objects.bulk_create(lived, batch_size=2000, ignore_conflicts=True)
    TrainingCompletion.objects.bulk_create(completions, batch_size=2000, ignore_conflicts=True)
    return len(mentors)


AGREEMENT = {
    "contact_channels": ["text", "phone"],
    "contact_hours": "Weekdays 9 to 5. Never after 8pm.",
    "social_media": "We won't connect on social media while we're paired.",
    "meeting_places": "The centre's café, or a walk.",
    "if_friendship_grows": "We'll talk about it with the coordinator first.",
    "if_worried_about_safety": "I'll tell you first, then the coordinator. No surprises.",
}


def seed_large_pairs(*, hubs: list[Hub], rng: random.Random) -> int:
    """Pairs for the women the intake seed marked as matched, within the mentors' capacity.

    A network of 2,000 volunteers can't hold 16,000 women at once: the women beyond the
    active mentors' places had their mentoring end (an ended pair, her status moved on, with
    its history row), so every "matched" woman has exactly one active pair and its mentor
    holds the view right on her, as the services would leave it. Idempotent.
    """
    if Pair.objects.filter(hub__in=hubs).exists():
        return 0
    today = timezone.localdate()
    permission = Permission.objects.get(content_type__app_label="mentoring", codename="view_mentee")
    mentors_by_hub: dict[int, list[tuple[int, int, int]]] = {}
    for mentor_id, user_id, hub_id, capacity in (
        Mentor.objects.filter(hub__in=hubs, stage=MentorStage.ACTIVE, dbs_renewal_due__gt=today)
        .order_by("pk")
        .values_list("pk", "user_id", "hub_id", "capacity")
    ):
        mentors_by_hub.setdefault(hub_id, []).append((mentor_id, user_id, capacity))
    women_by_hub: dict[int, list[int]] = {}
    for mentee_id, hub_id in (
        Mentee.objects.filter(hub__in=hubs, status=MenteeStatus.MATCHED).order_by("pk").values_list("pk", "hub_id")
    ):
        women_by_hub.setdefault(hub_id, []).append(mentee_id)
    # Each pair starts the day her history says she was matched, so her history and the pair's agree.
    matched_on: dict[int, date] = dict(
        MenteeStatusChange.objects.filter(
            mentee_id__in=[pk for women in women_by_hub.values() for pk in women], to_status=MenteeStatus.MATCHED
        )
        .order_by("mentee_id", "created_at")
        .values_list("mentee_id", "changed_on")
    )

    pairs: list[Pair] = []
    rights: list[MenteeUserObjectPermission] = []
    ended_women: list[int] = []
    for hub_id, women in women_by_hub.items():
        mentors = mentors_by_hub.get(hub_id, [])
        # Leave most mentors a free place, so the matcher has places to offer the women waiting.
        places = [(mentor_id, user_id) for mentor_id, user_id, capacity in mentors for _ in range(capacity - 1)]
        for index, mentee_id in enumerate(women):
            started = matched_on.get(mentee_id) or today - timedelta(days=rng.randint(14, 600))
            # Proposed a week before it started (she had waited at least that long), then both agreed.
            proposed = timezone.make_aware(datetime.combine(started - timedelta(days=7), time(10)))
            common = {
                "hub_id": hub_id,
                "mentee_id": mentee_id,
                "proposed_at": proposed,
                "score": float(rng.randint(20, 90)),
                "mentee_consent_on": started - timedelta(days=3),
                "mentee_consent_method": "verbal",
                "mentor_consent_on": started - timedelta(days=2),
                "mentor_consent_method": "written",
                "activated_on": started,
            }
            if index < len(places):
                mentor_id, user_id = places[index]
                pairs.append(
                    Pair(
                        mentor_id=mentor_id,
                        status=PairStatus.ACTIVE,
                        next_review_on=today + timedelta(days=rng.randint(-14, 84)),
                        **common,
                    )
                )
                rights.append(
                    MenteeUserObjectPermission(user_id=user_id, permission=permission, content_object_id=mentee_id)
                )
            elif mentors:
                mentor_id, _, _ = mentors[index % len(mentors)]
                pairs.append(
                    Pair(
                        mentor_id=mentor_id,
                        status=PairStatus.ENDED,
                        ended_on=min(today, started + timedelta(days=rng.randint(90, 400))),
                        end_reason=rng.choice(["goals_met", "moved_on", "mutual"]),
                        wants_new_mentor=False,
                        **common,
                    )
                )
                ended_women.append(mentee_id)
    Pair.objects.bulk_create(pairs, batch_size=2000)
    MenteeUserObjectPermission.objects.bulk_create(rights, batch_size=2000, ignore_conflicts=True)
    PairAgreement.objects.bulk_create(
        [
            PairAgreement(pair=pair, version=1, agreed_on=pair.activated_on or today, **AGREEMENT)
            for pair in pairs
            if pair.status == PairStatus.ACTIVE
        ],
        batch_size=2000,
    )
    PairStatusChange.objects.bulk_create([change for pair in pairs for change in _pair_history(pair)], batch_size=2000)
    ended_on = {pair.mentee_id: pair.ended_on for pair in pairs if pair.status == PairStatus.ENDED}
    MenteeStatusChange.objects.bulk_create(
        [
            MenteeStatusChange(
                mentee_id=mentee_id,
                from_status=MenteeStatus.MATCHED,
                to_status=MenteeStatus.ENDED,
                reason="Pair ended",
                changed_on=ended_on[mentee_id] or today,
                created_at=_moment(ended_on[mentee_id] or today, hour=16),
            )
            for mentee_id in ended_women
        ],
        batch_size=2000,
    )
    # Her time in her status counts from the day her pair ended, as the services would date it.
    Mentee.objects.bulk_update(
        [
            Mentee(
                pk=mentee_id,
                status=MenteeStatus.ENDED,
                status_changed_at=_moment(ended_on[mentee_id] or today, hour=16),
            )
            for mentee_id in ended_women
        ],
        ["status", "status_changed_at"],
        batch_size=2000,
    )
    return len(pairs)


def _moment(day: date, *, hour: int) -> datetime:
    """That day at that hour, or now if that is still to come: history is never dated ahead."""
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now())


def _pair_history(pair: Pair) -> list[PairStatusChange]:
    """The status changes the services would have written, in date order: proposed, asked, started
    (and ended)."""
    steps = [
        ("", PairStatus.PROPOSED, timezone.localdate(pair.proposed_at), 10),
        (PairStatus.PROPOSED, PairStatus.AWAITING_CONSENT, pair.mentee_consent_on, 11),
        (PairStatus.AWAITING_CONSENT, PairStatus.ACTIVE, pair.activated_on, 12),
    ]
    if pair.status == PairStatus.ENDED:
        steps.append((PairStatus.ACTIVE, PairStatus.ENDED, pair.ended_on, 15))
    return [
        PairStatusChange(
            pair=pair, from_status=from_status, to_status=to_status, changed_on=on, created_at=_moment(on, hour=hour)
        )
        for from_status, to_status, on, hour in steps
        if on is not None
    ]
