"""Large seed, mentors: a record for each of the 2,000 benchmark mentors, in bulk.

Shaped like a real network so the matcher's benchmark does real work: most are active with an
in-date DBS check and the core module done; some are still training, paused, or have a DBS
check that needs renewing; each has lived experience (with consent), languages, places,
ways of meeting, weekly times, capacity and interests. Idempotent.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import models
from django.utils import timezone

from mentoring.models import (
    AVAILABILITY_SLOTS,
    Hub,
    MeetingMode,
    Membership,
    Mentor,
    MentorStage,
    NeedArea,
    Role,
    TrainingCompletion,
    TrainingModule,
)

LANGUAGES = ["English"] * 6 + ["English, Polish", "English, Urdu", "English, Arabic", "English, Romanian", "Welsh"]
PLACES = [f"District {n}" for n in range(1, 16)]
INTERESTS = ["walking", "cooking", "crafts", "music", "gardening", "reading", "swimming", "football", "art", "dogs"]
SLOTS = [code for code, _ in AVAILABILITY_SLOTS]
MODES = list(MeetingMode.values)

LARGE_MENTOR_MODELS: list[type[models.Model]] = [Mentor, TrainingCompletion]


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
