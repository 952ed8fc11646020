"""Demo data for `manage.py seed_demo`. Fictional, clearly synthetic people; fixed seed; idempotent.

The three demo hubs mirror the organisations in the research (Gilbert 2025): a
deprived coastal town in the east of England, a large Midlands city, and a
city-and-rural county in the South West.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from demo.large.bulk import checked_per_statement
from demo.large.copies import LARGE_MODELS, seed_copies
from demo.large.intake import seed_large_intake
from demo.large.mentors import seed_large_mentors, seed_large_pairs
from demo.large.sessions import SESSIONS, seed_large_sessions
from mentoring.models import Hub, Membership, Mentee, Mentor, MentoringSession, Organisation, Role, User
from mentoring.services.intake import referral_create
from mentoring.services.mentees import mentee_update_profile
from mentoring.services.people import membership_add

SEED = 2025
DEMO_PASSWORD = "alongside-demo"  # noqa: S105  (demo mode only; seed_demo refuses to run elsewhere)
DEMO_DOMAIN = "demo.alongside.test"

HUBS = [
    ("coast", "Saltmarsh Bay", "Coastal town, east of England"),
    ("city", "Kingsmere", "Large city, the Midlands"),
    ("county", "Tamar Vale", "City and rural county, South West"),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[tuple[str, str], ...]  # (role, hub key or "*")
    note: str


ACCOUNTS = [
    DemoAccount(f"admin@{DEMO_DOMAIN}", "Olu (org admin)", ((Role.ORG_ADMIN, "*"),), "users, hubs, invitations"),
    DemoAccount(
        f"coordinator@{DEMO_DOMAIN}",
        "Carys (coordinator)",
        ((Role.COORDINATOR, "coast"),),
        "coordinator, Saltmarsh Bay",
    ),
    DemoAccount(
        f"coordinator.city@{DEMO_DOMAIN}",
        "Priya (coordinator)",
        ((Role.COORDINATOR, "city"),),
        "coordinator, Kingsmere",
    ),
    DemoAccount(
        f"coordinator.county@{DEMO_DOMAIN}",
        "Jess (coordinator)",
        ((Role.COORDINATOR, "county"),),
        "coordinator, Tamar Vale",
    ),
    DemoAccount(
        f"mentor@{DEMO_DOMAIN}", "Dee (mentor)", ((Role.MENTOR, "coast"),), "mentor with one mentee, Saltmarsh Bay"
    ),
    DemoAccount(
        f"mentor2@{DEMO_DOMAIN}", "Ros (mentor)", ((Role.MENTOR, "coast"),), "mentor not yet matched, Saltmarsh Bay"
    ),
    DemoAccount(
        f"safeguarding@{DEMO_DOMAIN}",
        "Maz (safeguarding lead)",
        ((Role.SAFEGUARDING_LEAD, "*"),),
        "safeguarding lead, all hubs",
    ),
    DemoAccount(
        f"trustee@{DEMO_DOMAIN}", "Ann (decision maker)", ((Role.DECISION_MAKER, "*"),), "decision maker, all hubs"
    ),
]
OPS_ACCOUNT = DemoAccount(f"ops@{DEMO_DOMAIN}", "Ops (superuser)", (), "operations admin only, no role")

# Clearly synthetic chosen names: a woman's chosen name is what everyone calls her.
CHOSEN_NAMES = [
    "Amber",
    "Bex",
    "Cat",
    "Dani",
    "Ellie",
    "Fran",
    "Gem",
    "Hana",
    "Izzy",
    "Jo",
    "Kez",
    "Lou",
    "Mags",
    "Nell",
    "Orla",
    "Pip",
    "Queenie",
    "Rae",
    "Sal",
    "Tash",
    "Ula",
    "Vee",
    "Wren",
    "Yas",
    "Zara",
]
SURNAMES = ["Example", "Sample", "Testperson", "Placeholder", "Fictional", "Demo"]


def _user(account: DemoAccount, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        if superuser:
            user = User.objects.create_superuser(account.email, DEMO_PASSWORD, display_name=account.name)
        else:
            user = User.objects.create_user(account.email, DEMO_PASSWORD, display_name=account.name)
    return user


@transaction.atomic
def seed_small() -> dict[str, int]:
    rng = random.Random(SEED)
    org, _ = Organisation.objects.get_or_create(slug="demo-women", defaults={"name": "Women Together (demo)"})
    hubs: dict[str, Hub] = {}
    for key, name, area in HUBS:
        hubs[key], _ = Hub.objects.get_or_create(
            slug=f"demo-{key}", defaults={"organisation": org, "name": name, "area_description": area}
        )
    for account in ACCOUNTS:
        user = _user(account)
        for role, hub_key in account.roles:
            for hub in hubs.values() if hub_key == "*" else [hubs[hub_key]]:
                membership_add(user=user, hub=hub, role=role)
    _user(OPS_ACCOUNT, superuser=True)

    coordinators = {
        "coast": User.objects.get(email=f"coordinator@{DEMO_DOMAIN}"),
        "city": User.objects.get(email=f"coordinator.city@{DEMO_DOMAIN}"),
        "county": User.objects.get(email=f"coordinator.county@{DEMO_DOMAIN}"),
    }
    names = CHOSEN_NAMES[:]
    rng.shuffle(names)
    sources = ["self", "self", "probation", "housing", "womens_service", "health", "social_services"]
    for index, name in enumerate(names[:12]):
        key = HUBS[index % 3][0]
        surname = rng.choice(SURNAMES)
        source = rng.choice(sources)
        if not Mentee.objects.filter(hub=hubs[key], chosen_name=name).exists():
            referral = referral_create(
                hub=hubs[key],
                chosen_name=name,
                acting_user=coordinators[key],
                source=source,
                referred_on=timezone.localdate() - timedelta(weeks=15 - index),
            )
            mentee_update_profile(mentee=referral.mentee, acting_user=coordinators[key], legal_name=f"{name} {surname}")
    from demo.small.intake import seed_intake

    seed_intake(coordinators={hubs[key].pk: user for key, user in coordinators.items()})
    from demo.small.mentors import seed_mentors

    seed_mentors(
        hubs=hubs,
        coordinators=coordinators,
        admin=User.objects.get(email=f"admin@{DEMO_DOMAIN}"),
        domain=DEMO_DOMAIN,
        password=DEMO_PASSWORD,
    )
    from demo.small.homes import seed_waiting_work

    seed_waiting_work(hubs=hubs, coordinators=coordinators)

    from demo.small.applicants import seed_applicants

    seed_applicants(hubs=hubs, coordinators=coordinators, domain=DEMO_DOMAIN)
    from demo.small.sessions import seed_sessions

    seed_sessions(today=timezone.localdate(), coordinators=coordinators)
    return {"hubs": Hub.objects.count(), "users": User.objects.count(), "mentees": Mentee.objects.count()}


LARGE = {"hubs": 20, "mentors": 2000, "mentees": 20000}
BENCH_SAFE_TIMES = ["Weekday mornings", "After 7pm", "School hours only", "Any time", "Text first, then call"]
BENCH_CODE_WORDS = ["bluebell", "lighthouse", "marmalade", "pebble", "kestrel"]


def seed_large(
    scale: int = 1, *, sessions: int = SESSIONS, say: Callable[[str], object] = lambda line: None
) -> dict[str, int]:
    """A large organisation for benchmarks: 20 hubs, 2,000 mentors, 20,000 mentees and `sessions`
    session logs, in bulk; with `scale` above 1, that many copies of them in the one organisation
    (demo/large/copies.py). Each step that wrote something says how long it took."""
    with checked_per_statement():
        org, hubs = _seed_large_set(sessions=sessions, say=say)
    started = time.perf_counter()
    made = seed_copies(hubs=hubs, scale=scale)
    if made:
        say(f"copies {', '.join(map(str, made))} of the large set: {time.perf_counter() - started:.1f} s")
    _refresh_statistics(LARGE_MODELS)
    everything = Hub.objects.filter(organisation=org)
    return {
        "hubs": everything.count(),
        "mentors": Mentor.objects.filter(hub__in=everything).count(),
        "mentees": Mentee.objects.filter(hub__in=everything).count(),
        "sessions": MentoringSession.objects.filter(hub__in=everything).count(),
    }


def _seed_large_set(*, sessions: int, say: Callable[[str], object]) -> tuple[Organisation, list[Hub]]:
    """The large set itself (copy 1): its organisation and its hubs."""
    rng = random.Random(SEED + 1)
    org, _ = Organisation.objects.get_or_create(slug="bench-women", defaults={"name": "Large network (benchmark)"})
    hubs = []
    for number in range(1, LARGE["hubs"] + 1):
        hub, _ = Hub.objects.get_or_create(
            slug=f"bench-{number:02d}",
            defaults={"organisation": org, "name": f"Benchmark hub {number:02d}", "area_description": "Generated"},
        )
        hubs.append(hub)
    # One coordinator per hub, plus bench@ who coordinates every benchmark hub.
    from django.contrib.auth.hashers import make_password

    password = make_password(DEMO_PASSWORD)
    wanted = [(f"bench.coordinator{n:02d}@{DEMO_DOMAIN}", f"Coordinator {n:02d}") for n in range(1, LARGE["hubs"] + 1)]
    wanted += [(f"bench.mentor{n:04d}@{DEMO_DOMAIN}", f"Mentor {n:04d}") for n in range(1, LARGE["mentors"] + 1)]
    wanted += [(f"bench@{DEMO_DOMAIN}", "Benchmark coordinator")]
    # The other role homes' worst cases: one person holding the role in every benchmark hub.
    all_hubs = {
        f"bench.admin@{DEMO_DOMAIN}": ("Benchmark org admin", Role.ORG_ADMIN),
        f"bench.safeguarding@{DEMO_DOMAIN}": ("Benchmark safeguarding lead", Role.SAFEGUARDING_LEAD),
        f"bench.trustee@{DEMO_DOMAIN}": ("Benchmark decision maker", Role.DECISION_MAKER),
    }
    wanted += [(email, name) for email, (name, _) in all_hubs.items()]
    existing = set(User.objects.filter(email__in=[email for email, _ in wanted]).values_list("email", flat=True))
    User.objects.bulk_create(
        [User(email=email, display_name=name, password=password) for email, name in wanted if email not in existing],
        batch_size=1000,
    )
    users = dict(User.objects.filter(email__in=[email for email, _ in wanted]).values_list("email", "pk"))
    memberships = []
    for n, hub in enumerate(hubs, start=1):
        memberships.append(
            Membership(user_id=users[f"bench.coordinator{n:02d}@{DEMO_DOMAIN}"], hub=hub, role=Role.COORDINATOR)
        )
        memberships.append(Membership(user_id=users[f"bench@{DEMO_DOMAIN}"], hub=hub, role=Role.COORDINATOR))
        memberships += [Membership(user_id=users[email], hub=hub, role=role) for email, (_, role) in all_hubs.items()]
    for n in range(1, LARGE["mentors"] + 1):
        memberships.append(
            Membership(
                user_id=users[f"bench.mentor{n:04d}@{DEMO_DOMAIN}"], hub=hubs[(n - 1) % len(hubs)], role=Role.MENTOR
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=2000, ignore_conflicts=True)

    have = Mentee.objects.filter(hub__in=hubs).count()
    mentees = []
    for n in range(have, LARGE["mentees"]):
        name = f"{rng.choice(CHOSEN_NAMES)} {n:05d}"
        # Filled like a real record's, so each row costs its real decryption when read.
        mentee = Mentee(
            hub=hubs[n % len(hubs)],
            chosen_name=name,
            contact_details=f"07700 900{n % 1000:03d}",  # Ofcom's range for drama: never a real number
            safe_times=rng.choice(BENCH_SAFE_TIMES),
            code_word=rng.choice(BENCH_CODE_WORDS),
        )
        mentee.legal_name = f"{name} {rng.choice(SURNAMES)}" if n % 3 == 0 else ""
        mentees.append(mentee)
    Mentee.objects.bulk_create(mentees, batch_size=2000)
    seed_large_intake(hubs=hubs, rng=rng)
    seed_large_mentors(hubs=hubs, rng=rng)
    seed_large_pairs(hubs=hubs, rng=rng)
    started = time.perf_counter()
    if made := seed_large_sessions(hubs=hubs, rng=random.Random(SEED + 2), count=sessions):
        say(f"{made:,} session logs, each with its first version: {time.perf_counter() - started:.1f} s")
    return org, hubs


def _refresh_statistics(model_classes: list[type[models.Model]]) -> None:
    """Bulk inserts leave the planner's statistics stale, and autovacuum may be off or late:
    without this, the first benchmark runs against row estimates a tenth of the truth.
    VACUUM also sets the visibility map, so index-only scans skip the heap."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"  # VACUUM can't run in a transaction
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
