"""Named people every test can use (one hub, Saltmarsh Bay, plus an outsider from Kingsmere).

- carys: coordinator, Saltmarsh Bay            - maz: safeguarding lead, Saltmarsh Bay
- dee: mentor paired with amber                - ann: decision maker, Saltmarsh Bay
- ros: mentor, not paired                      - olu: org admin, Saltmarsh Bay
- priya: coordinator of another hub (Kingsmere), the outsider
- amber: a mentee in Saltmarsh Bay; bea: a mentee in Kingsmere

Staff have TOTP set up, as production requires (REQUIRE_MFA is on in tests).
"""

from __future__ import annotations

import os

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from mentoring import policies, services
from mentoring.models import Hub, Mentee, Role, User
from tests.factories import HubFactory, MenteeFactory, OrganisationFactory, UserFactory

# live_server runs in a thread beside sync Playwright.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def make_person(email: str, name: str, hub: Hub, role: str, *, mfa: bool | None = None) -> User:
    user = UserFactory.create(email=email, display_name=name)
    services.membership_add(user=user, hub=hub, role=role)
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
    return services.mentee_create(hub=hub, chosen_name="Amber", legal_name="Amber Example", acting_user=carys)


@pytest.fixture
def dee(hub, amber) -> User:
    """A mentor with an active pair: she holds the view right on amber."""
    user = make_person("dee@example.test", "Dee", hub, Role.MENTOR)
    policies.grant_mentee_view(user, amber)
    return user


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
