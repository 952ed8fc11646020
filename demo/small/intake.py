"""Intake demo data: her record, consents, assessments (one with a review) and goals.

Fictional and clearly synthetic. Written through the services, as coordinators would,
so the demo obeys the same rules as real use. Idempotent: a mentee with any assessment
is left alone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentoring.models import ConsentKind, ContactChannel, Mentee, MenteeStatusChange, NeedArea, User
from mentoring.services.intake import assessment_save, assessment_start, consent_record, goal_create
from mentoring.services.mentees import mentee_update_profile, status_moment

# Fictional words, one or two per need area, written as a woman might say them.
HER_WORDS = {
    "domestic-abuse": ["He's gone but I still check the locks every night.", "I'm scared he'll find out where I am."],
    "sexual-violence": ["I'm not ready to talk about that yet."],
    "housing": [
        "Sofa surfing at my sister's. I can't stay past Christmas.",
        "The hostel is loud and I don't feel safe.",
    ],
    "drugs": ["Been on a script for six months now.", "Trying to stay away from the people I used with."],
    "alcohol": ["Drinking less than I was, but weekends are hard."],
    "mental-health": ["Some days I can't get out of bed.", "The panic attacks are worse on the bus."],
    "physical-health": ["My back's bad. I can't walk far."],
    "criminal-justice": ["On licence till March. Probation every fortnight."],
    "children-family": [
        "I want my kids back. Contact is Saturdays.",
        "Social services are involved and I'm scared of them.",
    ],
    "money": ["My Universal Credit got stopped and I don't know why.", "Rent arrears. The letters frighten me."],
    "education-work": ["I'd like to do my English GCSE.", "I used to work in a kitchen. I'd like that again."],
    "isolation": ["I don't really talk to anyone apart from the kids.", "I'd like a friend to have a coffee with."],
    "immigration": ["Waiting on my visa decision."],
    "exploitation": ["Someone was using my flat. That's stopped now."],
}
STRENGTHS = [
    "I'm a good mum.",
    "I never give up.",
    "I make people laugh.",
    "I'm a good cook.",
    "I'm honest, even when it's hard.",
]
GOALS = [
    "Get my own front door key.",
    "Go to a group on my own.",
    "Sort out my benefits.",
    "Walk the kids to school every day.",
]
SERVICES = ["GP", "Probation", "Housing officer", "Drug and alcohol service", "Citizens Advice", ""]


# Two women per hub who have only just come to the programme: one referred, one part-way
# through her intake. Names the rest of the demo never uses (none is in CHOSEN_NAMES).
NEW_WOMEN = {"coast": ("Mina", "Ceri"), "city": ("Rosa", "Faye"), "county": ("Dot", "Gail")}


def date_latest_change(mentee: Mentee, on: date) -> None:
    """Demo only: the services date her status changes today; her seeded story happened earlier,
    so the change just made is dated when it happened in the story, keeping her history in order,
    and her time in that status (how long she has waited) counts from that day too."""
    latest = mentee.status_changes.order_by("-created_at", "-pk").first()
    if latest is not None:
        MenteeStatusChange.objects.filter(pk=latest.pk).update(changed_on=on)
        Mentee.objects.filter(pk=mentee.pk).update(status_changed_at=status_moment(on))


@transaction.atomic
def seed_intake(*, coordinators: dict[int, User]) -> int:
    """Give each demo mentee without an assessment a full intake story. Returns how many."""
    rng = random.Random(2026)
    areas = {area.slug: area for area in NeedArea.objects.filter(organisation__isnull=True)}
    today = timezone.localdate()
    done = 0
    assessed = set(Mentee.objects.filter(assessments__isnull=False).values_list("pk", flat=True))
    # The women who have only just come (see demo.small.homes) stay at the start of their journey.
    just_come = [name for names in NEW_WOMEN.values() for name in names]
    women = Mentee.objects.filter(hub_id__in=coordinators).exclude(chosen_name__in=just_come).order_by("pk")
    for index, mentee in enumerate(women):
        coordinator = coordinators[mentee.hub_id]
        # Keep a couple of women at the start of their journey: referred, not yet assessed.
        if mentee.pk in assessed or index % 6 == 5:
            continue
        # Her story in date order: referred, consents the same day, her intake a week later.
        referred_on = mentee.referrals.order_by("referred_on").values_list("referred_on", flat=True).first() or today
        intake_on = min(referred_on + timedelta(weeks=1), today)
        for kind in (ConsentKind.DATA_PROCESSING, ConsentKind.CONTACT_TEXT, ConsentKind.CONTACT_PHONE):
            consent_record(
                mentee=mentee,
                kind=kind,
                given=True,
                method="verbal",
                acting_user=coordinator,
                what_she_was_told="Who can see her record, why, and that she can change her mind at any time.",
                decided_on=referred_on,
            )
        channels = rng.sample([ContactChannel.TEXT, ContactChannel.PHONE, ContactChannel.IN_PERSON], k=2)
        mentee_update_profile(
            mentee=mentee,
            acting_user=coordinator,
            safe_channels=channels,
            safe_times=rng.choice(["Weekday mornings", "After 7pm", "School hours only", "Any time"]),
            # A voicemail is safe only where a phone call is: her answers never contradict each other.
            voicemail_safe=rng.choice([True, False, None]) if ContactChannel.PHONE in channels else False,
            letters_safe=rng.choice([False, None]),
            code_word=rng.choice(["bluebell", "kettle", "harbour", "marigold"]),
            contact_details=f"07700 900{rng.randint(100, 999)} (fictional)",
            languages=rng.choice(["English", "English, Polish", "English, Urdu", "Tigrinya, some English"]),
            age_band=rng.choice(["18_24", "25_34", "35_44", "45_54"]),
        )
        shares = index % 3 != 2
        if shares:
            consent_record(
                mentee=mentee,
                kind=ConsentKind.SHARE_WITH_MENTOR,
                given=True,
                method="verbal",
                acting_user=coordinator,
                what_she_was_told="Only the needs she ticks are shown to her mentor.",
                decided_on=referred_on,
            )
        chosen = rng.sample(sorted(HER_WORDS), k=rng.randint(2, 6))
        needs: dict[int, dict[str, Any]] = {}
        for priority, slug in enumerate(chosen, start=1):
            not_said = slug == "sexual-violence"
            needs[areas[slug].pk] = {
                "affects_now": "not_said" if not_said else "yes",
                "her_words": rng.choice(HER_WORDS[slug]),
                "priority": priority,
                "self_rating": None if not_said else rng.randint(1, 5),
                "other_services": rng.choice(SERVICES),
                "share_with_mentor": shares and priority <= 2,
            }
        intake = assessment_start(mentee=mentee, acting_user=coordinator)
        date_latest_change(mentee, intake_on)
        assessment_save(
            assessment=intake,
            acting_user=coordinator,
            complete=True,
            needs=needs,
            fields={
                "assessed_on": intake_on,
                "strengths": rng.choice(STRENGTHS),
                "interests": rng.choice(["Gardening", "Music", "Walking by the sea", "Crafts"]),
                "meeting_modes": ["in_person", "phone"],
                "days_and_times": "Weekday mornings",
            },
            shared_experience_wanted=[areas[chosen[0]]],
        )
        date_latest_change(mentee, intake_on)
        if index % 2 == 0:  # a review last week: her own ratings move
            review = assessment_start(mentee=mentee, acting_user=coordinator)
            moved = {
                pk: {
                    **answers,
                    "self_rating": None
                    if answers["self_rating"] is None
                    else min(10, answers["self_rating"] + rng.randint(0, 4)),
                }
                for pk, answers in needs.items()
            }
            assessment_save(
                assessment=review,
                acting_user=coordinator,
                complete=True,
                needs=moved,
                fields={"assessed_on": today - timedelta(weeks=1)},
            )
        goal_create(
            mentee=mentee,
            her_words=rng.choice(GOALS),
            acting_user=coordinator,
            need_area=areas[chosen[0]],
            share_with_mentor=shares,
        )
        done += 1
    return done
