"""Named people every test can use (one hub, Saltmarsh Bay, plus an outsider from Kingsmere).

- carys: coordinator, Saltmarsh Bay            - maz: safeguarding lead, Saltmarsh Bay
- dee: mentor in an active pair with amber     - ann: decision maker, Saltmarsh Bay
- ros: mentor, not paired                      - olu: org admin, Saltmarsh Bay
- priya: coordinator of another hub (Kingsmere), the outsider
- amber: a mentee in Saltmarsh Bay; bea: a mentee in Kingsmere

Staff have TOTP set up, as production requires (REQUIRE_MFA is on in tests).
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from mentoring.models import (
    Hub,
    Mentee,
    MenteeStatus,
    Mentor,
    MentorStage,
    Pair,
    PairStatus,
    Role,
    TrainingModule,
    User,
)
from mentoring.services.mentees import mentee_change_status, mentee_create
from mentoring.services.mentors import mentor_change_stage, mentor_record_dbs, training_record
from mentoring.services.pairs import pair_activate, pair_propose, pair_record_consent
from mentoring.services.people import membership_add
from tests.factories import HubFactory, MenteeFactory, OrganisationFactory, UserFactory

# live_server runs in a thread beside sync Playwright.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def make_person(email: str, name: str, hub: Hub, role: str, *, mfa: bool | None = None) -> User:
    user = UserFactory.create(email=email, display_name=name)
    membership_add(user=user, hub=hub, role=role)
    if mfa if mfa is not None else role != Role.MENTOR:
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def organisation():
    return OrganisationFactory.create()


@pytest.fixture
def hub(organisation) -> Hub:
    return HubFactory.create(organisation=organisation, name="Saltmarsh Bay", slug="saltmarsh-bay")


@pytest.fixture
def other_hub(organisation) -> Hub:
    return HubFactory.create(organisation=organisation, name="Kingsmere", slug="kingsmere")


@pytest.fixture
def carys(hub) -> User:
    return make_person("carys@example.test", "Carys", hub, Role.COORDINATOR)


@pytest.fixture
def maz(hub) -> User:
    return make_person("maz@example.test", "Maz", hub, Role.SAFEGUARDING_LEAD)


@pytest.fixture
def ann(hub) -> User:
    return make_person("ann@example.test", "Ann", hub, Role.DECISION_MAKER)


@pytest.fixture
def olu(hub) -> User:
    return make_person("olu@example.test", "Olu", hub, Role.ORG_ADMIN)


@pytest.fixture
def ros(hub) -> User:
    return make_person("ros@example.test", "Ros", hub, Role.MENTOR)


@pytest.fixture
def amber(hub, carys) -> Mentee:
    return mentee_create(hub=hub, chosen_name="Amber", legal_name="Amber Example", acting_user=carys)


def make_ready_mentor(user: User, coordinator: User) -> Mentor:
    """Her mentor record made ready to match through the services: active, DBS in date, and
    every core module of her organisation's curriculum done."""
    mentor = Mentor.objects.select_related("hub").get(user=user)
    if mentor.stage != MentorStage.ACTIVE:
        mentor_change_stage(mentor=mentor, to_stage=MentorStage.ACTIVE, acting_user=coordinator)
    mentor_record_dbs(
        mentor=mentor,
        level="enhanced",
        certificate_number="001234567890",
        issued_on=timezone.localdate() - timedelta(days=30),
        acting_user=coordinator,
    )
    for module in TrainingModule.objects.filter(organisation_id=mentor.hub.organisation_id, is_core=True):
        training_record(mentor=mentor, module=module, acting_user=coordinator)
    return mentor


def make_waiting(mentee: Mentee, coordinator: User) -> Mentee:
    """Referred → assessing → waiting for a mentor, through the services."""
    for status in (MenteeStatus.ASSESSING, MenteeStatus.WAITING):
        if mentee.status != status:
            mentee_change_status(mentee=mentee, to_status=status, reason="", acting_user=coordinator)
    return mentee


def make_active_pair(mentee: Mentee, mentor_user: User, coordinator: User) -> Pair:
    """Proposed, both consent, started: the mentor gains the right to see her, as in real use."""
    mentor = make_ready_mentor(mentor_user, coordinator)
    make_waiting(mentee, coordinator)
    pair = pair_propose(mentee=mentee, mentor=mentor, acting_user=coordinator)
    for who in ("mentee", "mentor"):
        pair_record_consent(pair=pair, who=who, method="verbal", acting_user=coordinator)
    return pair_activate(pair=pair, acting_user=coordinator)


@pytest.fixture
def dee(hub, amber, carys) -> User:
    """A mentor in an active pair with amber: she holds the view right on amber."""
    user = make_person("dee@example.test", "Dee", hub, Role.MENTOR)
    make_active_pair(amber, user, carys)
    return user


@pytest.fixture
def dee_pair(dee, amber) -> Pair:
    return Pair.objects.get(mentee=amber, mentor__user=dee, status=PairStatus.ACTIVE)


@pytest.fixture
def priya(other_hub) -> User:
    return make_person("priya@example.test", "Priya", other_hub, Role.COORDINATOR)


@pytest.fixture
def bea(other_hub) -> Mentee:
    return MenteeFactory.create(hub=other_hub, chosen_name="Bea")


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("ops@example.test", "an-ops-password-1")


@pytest.fixture
def everyone(carys, maz, ann, olu, ros, dee, priya, superuser) -> dict[str, User]:
    return {
        "coordinator": carys,
        "safeguarding_lead": maz,
        "decision_maker": ann,
        "org_admin": olu,
        "mentor_unpaired": ros,
        "mentor_paired": dee,
        "other_hub_coordinator": priya,
        "superuser": superuser,
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and TOTP replay marks live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
