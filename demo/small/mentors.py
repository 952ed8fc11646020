"""Mentors and pairs demo data: a curriculum, mentors across the three hubs with lived
experience, training and DBS dates, a recorded relationship, and active pairs with agreements.

Written through the services, as coordinators would; fictional and clearly synthetic.
Idempotent: what exists is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from mentoring.models import (
    AVAILABILITY_SLOTS,
    OPEN_PAIR_STATUSES,
    Hub,
    Mentee,
    MenteeStatus,
    Mentor,
    NeedArea,
    Pair,
    RelationshipKind,
    Role,
    TrainingModule,
    User,
)
from mentoring.services.mentors import (
    mentor_change_stage,
    mentor_record_dbs,
    mentor_update_profile,
    reference_add,
    training_module_add,
    training_record,
)
from mentoring.services.pairs import (
    pair_activate,
    pair_agreement_save,
    pair_propose,
    pair_record_consent,
    pair_review_record,
)
from mentoring.services.people import membership_add
from mentoring.services.relationships import relationship_record

CURRICULUM = [
    ("Welcome, role and boundaries", True),
    ("Safeguarding and no surprises", True),
    ("Trauma-responsive practice", True),
    ("Drugs and alcohol awareness", False),
]
SLOTS = [code for code, _ in AVAILABILITY_SLOTS]


def _slots(*parts: str) -> list[str]:
    """_slots("mon_am", "weekday_pm") -> slot codes; 'weekday_x' means Monday to Friday."""
    out: list[str] = []
    for part in parts:
        if part.startswith("weekday_"):
            out += [f"{day}_{part.removeprefix('weekday_')}" for day in ("mon", "tue", "wed", "thu", "fri")]
        else:
            out.append(part)
    return [slot for slot in out if slot in SLOTS]


# (email local part, name, hub key, stage, lived experience, languages, areas, modes, slots, capacity, interests,
#  DBS issued days ago (None: none yet))
MENTORS = [
    ("mentor", "Dee (mentor)", "coast", "active", ["housing", "drugs", "children-family"], "English",
     "Saltmarsh Bay, Eastwick", ["in_person", "walk", "phone"], _slots("weekday_am", "sat_am"), 2,
     "walking, cooking, crafts", 200),
    ("mentor2", "Ros (mentor)", "coast", "active", ["domestic-abuse", "mental-health", "isolation"], "English",
     "Saltmarsh Bay", ["in_person", "phone"], _slots("weekday_pm", "tue_eve"), 1, "music, gardening", 400),
    ("mentor.bex", "Bex (mentor)", "coast", "training", ["alcohol", "criminal-justice"], "English",
     "Eastwick", ["walk"], _slots("weekday_am"), 1, "swimming", None),
    ("mentor.amira", "Amira (mentor)", "city", "active", ["immigration", "domestic-abuse", "isolation"],
     "English, Arabic", "Kingsmere centre, Northfield", ["in_person", "video"], _slots("weekday_pm"), 2,
     "cooking, reading", 100),
    ("mentor.gosia", "Gosia (mentor)", "city", "active", ["money", "housing", "alcohol"], "Polish, English",
     "Kingsmere centre", ["in_person", "phone"], _slots("weekday_eve", "sun_pm"), 1, "crafts, football", 900),
    ("mentor.kerry", "Kerry (mentor)", "county", "active", ["criminal-justice", "drugs", "mental-health"],
     "English", "Tamar, Lydcombe", ["walk", "phone"], _slots("weekday_am", "weekday_pm"), 2, "walking, dogs", 300),
    ("mentor.nia", "Nia (mentor)", "county", "active", ["sexual-violence", "physical-health"], "English, Welsh",
     "Lydcombe", ["phone", "video"], _slots("mon_eve", "wed_eve"), 1, "reading, music", 1200),
]  # fmt: skip


def _curriculum(organisation_id: int, admin: User) -> list[TrainingModule]:
    for name, core in CURRICULUM:
        if not TrainingModule.objects.filter(organisation_id=organisation_id, name=name).exists():
            training_module_add(organisation_id=organisation_id, name=name, is_core=core, acting_user=admin)
    return list(TrainingModule.objects.filter(organisation_id=organisation_id))


@transaction.atomic
def seed_mentors(
    *, hubs: dict[str, Hub], coordinators: dict[str, User], admin: User, domain: str, password: str
) -> int:
    """Mentors with records, then a few pairs (the first waiting woman of each hub). Returns pairs made."""
    today = timezone.localdate()
    organisation_id = next(iter(hubs.values())).organisation_id
    modules = _curriculum(organisation_id, admin)
    areas = {area.slug: area for area in NeedArea.objects.filter(organisation__isnull=True)}
    for local, name, key, stage, lived, languages, places, modes, slots, capacity, interests, dbs in MENTORS:
        email = f"{local}@{domain}"
        user = User.objects.filter(email=email).first() or User.objects.create_user(email, password, display_name=name)
        membership_add(user=user, hub=hubs[key], role=Role.MENTOR)
        mentor = Mentor.objects.get(user=user)
        coordinator = coordinators[key]
        if mentor.stage_changes.exists():
            continue  # seeded before
        mentor_update_profile(
            mentor=mentor,
            acting_user=coordinator,
            lived_experience=[areas[slug] for slug in lived],
            lived_experience_consent=True,
            share_lived_experience=True,
            languages=languages,
            areas=places,
            meeting_modes=modes,
            availability=slots,
            capacity=capacity,
            interests=interests,
        )
        path = ["application", "references", "dbs_check", "training", "active"]
        for step in path[: path.index(stage) + 1]:
            mentor_change_stage(mentor=mentor, to_stage=step, acting_user=coordinator)
        if dbs is not None:
            mentor_record_dbs(
                mentor=mentor,
                level="enhanced",
                certificate_number=f"00{mentor.pk:010d}",  # synthetic
                issued_on=today - timedelta(days=dbs),
                acting_user=coordinator,
            )
        for module in modules if stage == "active" else modules[:1]:
            training_record(
                mentor=mentor, module=module, completed_on=today - timedelta(days=60), acting_user=coordinator
            )
        reference_add(
            mentor=mentor,
            referee="A support worker (synthetic)",
            relationship="support worker",
            outcome="satisfactory",
            received_on=today - timedelta(days=120),
            acting_user=coordinator,
        )
    return _pairs(hubs=hubs, coordinators=coordinators, today=today)


def _pairs(*, hubs: dict[str, Hub], coordinators: dict[str, User], today: date) -> int:
    made = 0
    plan = {"coast": "mentor", "city": "mentor.amira", "county": "mentor.kerry"}
    for key, local in plan.items():
        mentor = Mentor.objects.get(user__email__startswith=f"{local}@")
        if Pair.objects.filter(mentor=mentor).exists():
            continue
        coordinator = coordinators[key]
        mentee = (
            Mentee.objects.filter(hub=hubs[key], status=MenteeStatus.WAITING)
            .exclude(pairs__status__in=OPEN_PAIR_STATUSES)
            .order_by("pk")
            .first()
        )
        if mentee is None:
            continue
        pair = pair_propose(mentee=mentee, mentor=mentor, acting_user=coordinator)
        started = today - timedelta(weeks=8)
        # Demo only: the pair was proposed before it started, so date the proposal back too.
        proposed = started - timedelta(days=7)
        Pair.objects.filter(pk=pair.pk).update(proposed_at=timezone.make_aware(datetime.combine(proposed, time(10))))
        pair.status_changes.update(changed_on=proposed)
        pair_record_consent(
            pair=pair, who="mentee", method="verbal", on=started - timedelta(days=3), acting_user=coordinator
        )
        pair_record_consent(
            pair=pair, who="mentor", method="written", on=started - timedelta(days=2), acting_user=coordinator
        )
        pair = pair_activate(pair=pair, acting_user=coordinator, on=started)
        pair_agreement_save(
            pair=pair,
            acting_user=coordinator,
            agreed_on=started,
            contact_channels=pair.mentee.safe_ways,  # the agreement offers only her safe ways
            contact_hours="Weekdays 9 to 5. Never after 8pm.",
            social_media="We won't connect on social media while we're paired.",
            meeting_places="The centre's café, or a walk along the front.",
            if_friendship_grows="We'll talk about it with the coordinator first.",
            if_worried_about_safety="I'll tell you first, then the coordinator. No surprises.",
        )
        pair_review_record(
            pair=pair, notes="Settling in well.", on=started + timedelta(weeks=6), acting_user=coordinator
        )
        made += 1
    # One recorded relationship, so the matcher has something to honour.
    ros = Mentor.objects.filter(user__email__startswith="mentor2@").first()
    waiting = Mentee.objects.filter(hub=hubs["coast"], status=MenteeStatus.WAITING).order_by("-pk").first()
    if ros and waiting and not ros.relationships.exists():
        relationship_record(
            mentee=waiting, mentor=ros, kind=RelationshipKind.FRIENDS, acting_user=coordinators["coast"]
        )
    return made
