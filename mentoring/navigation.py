"""Each role's home page and menu. Kept in one place so the menu, the redirect after
sign-in and the access-matrix test agree."""

from __future__ import annotations

from dataclasses import dataclass

from mentoring.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str


# Order matters: the first role she holds decides where she lands after signing in.
ROLE_HOMES: dict[str, str] = {
    Role.COORDINATOR: "coordinator_home",
    Role.SAFEGUARDING_LEAD: "safeguarding:home",
    Role.MENTOR: "mentor_home",
    Role.DECISION_MAKER: "funding:home",
    Role.ORG_ADMIN: "orgadmin_home",
}

ROLE_MENUS: dict[str, list[MenuItem]] = {
    Role.COORDINATOR: [
        MenuItem("Coordinator home", "coordinator_home"),
        MenuItem("Mentees", "mentee_list"),
        MenuItem("Waiting list", "waiting_list"),
        MenuItem("Mentors", "mentor_list"),
        MenuItem("Matching", "matching_home"),
        MenuItem("Pairs", "pair_list"),
        MenuItem("Claims", "claims_queue"),
        MenuItem("Invite a mentor", "invitation_create"),
    ],
    Role.SAFEGUARDING_LEAD: [
        MenuItem("Safeguarding home", "safeguarding:home"),
        MenuItem("Access log", "safeguarding:access_log"),
        MenuItem("Mentees", "mentee_list"),
    ],
    Role.MENTOR: [
        MenuItem("My mentees", "mentor_home"),
        MenuItem("My sessions", "my_sessions"),
        MenuItem("My claims", "my_claims"),
    ],
    Role.DECISION_MAKER: [MenuItem("Programme overview", "funding:home")],
    Role.ORG_ADMIN: [
        MenuItem("People and hubs", "orgadmin_home"),
        MenuItem("Invite someone", "invitation_create"),
        MenuItem("Need areas", "need_areas"),
        MenuItem("Training curriculum", "training_modules"),
        MenuItem("Mileage rates", "mileage_rates"),
    ],
}
