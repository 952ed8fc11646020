"""The world the access matrix runs in: two organisations, their people, and records in every
state that changes who may see them, with a canary in every confidential field.

Built once per test module (tests/access_matrix/test_matrix.py), through the real services, and
rolled back at the end; each request is tried in a savepoint of its own on top of it.

Who may see a record is declared here in plain terms (her hub, and the mentor of her active
pair, if any), not worked out from the code under test: the matrix compares the code with this.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

from mentoring.fields import EncryptedJSONField, EncryptedTextField
from mentoring.models import (
    CLOSED_STATUSES,
    Assessment,
    ClaimState,
    Consent,
    ConsentKind,
    ExpenseClaim,
    ExpenseClaimEvent,
    Goal,
    GoalUpdate,
    Hub,
    Invitation,
    Membership,
    Mentee,
    MenteeStatus,
    MenteeStatusChange,
    Mentor,
    MentorApplicant,
    MentoringSession,
    MentoringSessionVersion,
    MentorReference,
    MentorStage,
    MentorStageChange,
    NeedArea,
    NeedRating,
    Pair,
    PairAgreement,
    PairReview,
    PairStatusChange,
    RecordedRelationship,
    Referral,
    Role,
    TrainingModule,
    User,
)
from mentoring.services.applicants import (
    applicant_change_stage,
    applicant_create,
    applicant_reference_add,
    applicant_update,
)
from mentoring.services.expenses import claim_approve, claim_query
from mentoring.services.intake import (
    assessment_save,
    assessment_start,
    consent_record,
    goal_add_update,
    goal_create,
    need_area_add,
    referral_create,
)
from mentoring.services.mentees import mentee_change_status, mentee_update_profile
from mentoring.services.mentors import mentor_change_stage, reference_add, training_module_add
from mentoring.services.pairs import pair_agreement_save, pair_end, pair_pause, pair_review_record
from mentoring.services.people import _token_hash, invitation_create, invitation_send
from mentoring.services.relationships import relationship_record
from mentoring.services.sessions import session_log
from tests.conftest import make_active_pair, make_person
from tests.factories import HubFactory, OrganisationFactory

# --- where everyone works ---

HUBS = {
    "saltmarsh": ("org1", "Saltmarsh Bay"),
    "kingsmere": ("org1", "Kingsmere"),  # another hub of the same organisation
    "northfield": ("org2", "Northfield"),  # the second organisation's hub
}


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    hub: str | None = None
    role: str | None = None


# Every kind of person the matrix asks as. A mentor's kind says where her pair stands.
ROSTER: dict[str, Person] = {
    "anonymous": Person("", ""),
    "coordinator": Person("carys@example.test", "Carys", "saltmarsh", Role.COORDINATOR),
    "safeguarding_lead": Person("maz@example.test", "Maz", "saltmarsh", Role.SAFEGUARDING_LEAD),
    "decision_maker": Person("ann@example.test", "Ann", "saltmarsh", Role.DECISION_MAKER),
    "org_admin": Person("olu@example.test", "Olu", "saltmarsh", Role.ORG_ADMIN),
    "mentor_unpaired": Person("ros@example.test", "Ros", "saltmarsh", Role.MENTOR),
    "mentor_paired": Person("dee@example.test", "Dee", "saltmarsh", Role.MENTOR),  # active pair
    "mentor_paused": Person("pat@example.test", "Pat", "saltmarsh", Role.MENTOR),  # her pair is paused
    "mentor_ended": Person("eve@example.test", "Eve", "saltmarsh", Role.MENTOR),  # her pair has ended
    "mentor_left": Person("lou@example.test", "Lou", "saltmarsh", Role.MENTOR),  # left, her pair paused
    "other_hub_coordinator": Person("priya@example.test", "Priya", "kingsmere", Role.COORDINATOR),
    "other_org_coordinator": Person("nia@example.test", "Nia", "northfield", Role.COORDINATOR),
    "other_org_mentor": Person("oli@example.test", "Oli", "northfield", Role.MENTOR),  # active pair
    "other_org_admin": Person("kit@example.test", "Kit", "northfield", Role.ORG_ADMIN),
    "superuser": Person("ops@example.test", "Ops"),
}
PEOPLE = list(ROSTER)
SIGNED_IN = [p for p in PEOPLE if p != "anonymous"]
MENTOR_KINDS = tuple(kind for kind, person in ROSTER.items() if person.role == Role.MENTOR)

# Who a record's audience is, relative to the record: resolved for each state below.
HER_COORDINATORS = "her hub's coordinators"
HER_CASEWORK = "her hub's coordinators and safeguarding leads"
HER_MENTOR = "the mentor of her active pair"
HER_HUB_ADMINS = "her hub's org admins"
HER_ORG_ADMINS = "the org admins of any hub of her organisation"
RELATIVE = (HER_COORDINATORS, HER_CASEWORK, HER_MENTOR, HER_HUB_ADMINS, HER_ORG_ADMINS)


def holding(roles: Iterable[str], hub: str | None = None, organisation: str | None = None) -> tuple[str, ...]:
    """The people of the roster holding one of these roles in that hub (or that organisation)."""
    roles = set(roles)
    return tuple(
        kind
        for kind, person in ROSTER.items()
        if person.role in roles
        and person.hub is not None
        and (hub is None or person.hub == hub)
        and (organisation is None or HUBS[person.hub][0] == organisation)
    )


# --- records in each state ---

MISSING_PK = 2_000_000_000  # no such record: the answer must be the same as for one she may not see


@dataclass
class State:
    """One record (or none, for `missing`) that a route is tried on, with who it belongs to."""

    name: str
    model: type[models.Model] | None
    pk: int
    hub: str | None = None
    mentor: str | None = None  # the kind of the mentor who may see it (her active pair's), if any
    extra: dict[str, Any] = field(default_factory=dict)  # other ids the route's path needs

    def audience(self, who: Iterable[str]) -> set[str]:
        """The people named by `who`, relative tokens resolved for this record."""
        people: set[str] = set()
        for token in who:
            if token == HER_COORDINATORS:
                people.update(holding([Role.COORDINATOR], self.hub) if self.hub else ())
            elif token == HER_CASEWORK:
                people.update(holding([Role.COORDINATOR, Role.SAFEGUARDING_LEAD], self.hub) if self.hub else ())
            elif token == HER_MENTOR:
                people.update([self.mentor] if self.mentor else [])
            elif token == HER_HUB_ADMINS:
                people.update(holding([Role.ORG_ADMIN], self.hub) if self.hub else ())
            elif token == HER_ORG_ADMINS:
                people.update(holding([Role.ORG_ADMIN], organisation=HUBS[self.hub][0]) if self.hub else ())
            else:
                assert token in ROSTER, f"unknown person in the matrix: {token}"
                people.add(token)
        return people

    @property
    def record(self) -> tuple[str, int] | None:
        """The record the request names (model label, pk), for checks that follow a record."""
        return (self.model._meta.label_lower, self.pk) if self.model else None


def missing(model: type[models.Model], *extra: str) -> State:
    return State("missing", model, MISSING_PK, extra=dict.fromkeys(extra, MISSING_PK))


@dataclass
class World:
    people: dict[str, User | None]
    hubs: dict[str, Hub]
    women: list[State]  # her record: one per state, then `missing`
    pairs: list[State]
    mentors: list[State]
    applicants: list[State]  # women in mentor recruitment, with no account yet
    relationships: list[State]
    invitations: list[State]
    persons: list[State]  # people an org admin manages
    need_areas: list[State]
    modules: list[State]
    hub_states: list[State]
    tokens: list[State]  # invitation links: one that works, one that never did
    token: str
    roles: list[State] = field(default_factory=list)  # a person's role in a hub (extra: the person's id)
    sessions: list[State] = field(default_factory=list)  # session logs (mentor: who wrote it, while hers)
    claims: list[State] = field(default_factory=list)  # expense claims (mentor: who claimed, always)
    canaries: dict[str, Canary] = field(default_factory=dict)

    def woman(self, name: str) -> State:
        return next(state for state in self.women if state.name == name)

    # For forms that name something of her own hub: what a permitted person would send.
    def hub_of(self, person: str) -> int:
        hub = ROSTER[person].hub
        return self.hubs[hub].pk if hub else 0

    def organisation_of(self, person: str) -> int:
        hub = ROSTER[person].hub
        return self.hubs[hub].organisation_id if hub else 0

    def mentor_in(self, hub: str | None) -> int:
        """A mentor record of that hub (0 if it has none)."""
        found = Mentor.objects.filter(hub__slug=hub, stage=MentorStage.ACTIVE).order_by("pk").first()
        return found.pk if found else 0

    def waiting_in(self, hub: str | None) -> int:
        """A woman of that hub whose record is open (0 if none)."""
        found = Mentee.objects.filter(hub__slug=hub).exclude(status__in=CLOSED_STATUSES).order_by("-status", "pk")
        first = found.filter(status=MenteeStatus.WAITING).first() or found.first()
        return first.pk if first else 0


# --- canaries: a unique word in every confidential field ---

CANARY = re.compile(r"canary\d{5}x")
_numbers = itertools.count(1)


def new_canary() -> str:
    return f"canary{next(_numbers):05d}x"


@dataclass(frozen=True)
class Canary:
    word: str
    model: str
    field: str
    owner: str  # the state's name of the record it belongs to, for messages
    audience: frozenset[str]  # the people who may see it; nobody else may, anywhere


# Confidential fields that are not encrypted: her chosen name (lists are searched by it), what she
# was told when she consented, and the reasons written down when her status or her pair changed.
PLAIN_CONFIDENTIAL: dict[type[models.Model], tuple[str, ...]] = {
    Mentee: ("chosen_name",),
    Consent: ("what_she_was_told",),
    MenteeStatusChange: ("reason",),
    PairStatusChange: ("reason",),
    Referral: ("referrer_organisation",),
    MentorReference: ("relationship",),
}

# Whose record each model with confidential fields belongs to (a path to her, her pair or the
# mentor), and who may see those fields. Every field is seen by the narrowest audience unless
# named in SHARED; a model with an encrypted field that isn't listed here fails the canary test.
OWNER: dict[type[models.Model], str] = {
    Mentee: "",
    Referral: "mentee",
    Consent: "mentee",
    MenteeStatusChange: "mentee",
    Assessment: "mentee",
    NeedRating: "assessment__mentee",
    Goal: "mentee",
    GoalUpdate: "goal__mentee",
    RecordedRelationship: "mentee",
    Pair: "",
    PairReview: "pair",
    PairAgreement: "pair",
    PairStatusChange: "pair",
    Mentor: "",
    # A mentor's, or (before she has an account) her recruitment's: the first of these she has.
    MentorReference: "mentor|applicant",
    MentorStageChange: "mentor|applicant",
    MentorApplicant: "",
    MentoringSession: "",
    MentoringSessionVersion: "session",
    ExpenseClaimEvent: "claim",
}
# Typed input kept over a timeout is hers alone, restored only to her on the same page; the
# matrix never leaves any behind.
# The access log's reasons are staff's words about why they looked, read by her hub's
# safeguarding lead on her home page (tests/safeguarding covers who sees them).
NOT_RECORDS = {"mentoring.stashedsubmission", "mentoring.accesslog"}

DEFAULT_AUDIENCE: dict[type[models.Model], tuple[str, ...]] = {
    # Her record and her intake: casework staff of her hub.
    Mentee: (HER_CASEWORK,),
    Referral: (HER_CASEWORK,),
    Consent: (HER_CASEWORK,),
    MenteeStatusChange: (HER_CASEWORK,),
    Assessment: (HER_CASEWORK,),
    NeedRating: (HER_CASEWORK,),
    Goal: (HER_CASEWORK,),
    GoalUpdate: (HER_CASEWORK,),
    # Matching work and pairs: her hub's coordinators.
    RecordedRelationship: (HER_COORDINATORS,),
    Pair: (HER_COORDINATORS,),
    PairReview: (HER_COORDINATORS,),
    PairStatusChange: (HER_COORDINATORS,),
    # The agreement is co-written with the mentor while the pair is active.
    PairAgreement: (HER_COORDINATORS, HER_MENTOR),
    # A mentor's checks and references: her hub's coordinators.
    Mentor: (HER_COORDINATORS,),
    MentorReference: (HER_COORDINATORS,),
    MentorStageChange: (HER_COORDINATORS,),
    # Someone in recruitment: her hub's coordinators, as for the mentor record she will have.
    MentorApplicant: (HER_COORDINATORS,),
    # A session log: her hub's coordinators, and the mentor who wrote it while the pair is active.
    MentoringSession: (HER_COORDINATORS, HER_MENTOR),
    MentoringSessionVersion: (HER_COORDINATORS, HER_MENTOR),
    # A claim's steps (a query, her answer): the coordinators of her hub, and she who claimed.
    ExpenseClaimEvent: (HER_COORDINATORS, HER_MENTOR),
}


def _shared_need(row: Any) -> bool:
    return bool(row.share_with_mentor)


def _shared_goal(row: Any) -> bool:
    return bool(row.share_with_mentor) and row.outcome == Goal.Outcome.IN_PROGRESS


# What her mentor sees besides (see docs/confidentiality.md): her chosen name and safe-contact
# preferences; needs and current goals she marked to share (her consent to share is in force for
# every woman of the world).
SHARED: dict[tuple[type[models.Model], str], Any] = {
    (Mentee, "chosen_name"): True,
    (Mentee, "safe_times"): True,
    (Mentee, "code_word"): True,
    (Mentee, "languages"): True,
    (NeedRating, "her_words"): _shared_need,
    (Goal, "her_words"): _shared_goal,
}


def confidential_fields(model: type[models.Model]) -> list[str]:
    encrypted = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
    return encrypted + [name for name in PLAIN_CONFIDENTIAL.get(model, ()) if name not in encrypted]


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(isinstance(f, EncryptedTextField) for f in model._meta.get_fields())
        and model._meta.label_lower not in NOT_RECORDS
    ]


def plant_canaries(world: World) -> dict[str, Canary]:
    """A fresh canary in every confidential field of every row the world's records own."""
    by_owner: dict[tuple[str, int], State] = {}
    for state in world.women + world.pairs + world.mentors + world.applicants + world.sessions + world.claims:
        if state.model is not None and state.name != "missing":
            by_owner[(state.model._meta.label_lower, state.pk)] = state
    canaries: dict[str, Canary] = {}
    for model in set(OWNER) | set(models_with_encrypted_fields()):
        assert model in OWNER, f"Declare whose record {model.__name__} is, and who may see it (in this file)"
        paths = OWNER[model].split("|")
        for row in model._default_manager.all():
            path = next((p for p in paths if not p or _value_at(row, p) is not None), paths[0])
            owner_model = model if not path else _model_at(model, path)
            owner_pk = row.pk if not path else _value_at(row, path).pk
            found = by_owner.get((owner_model._meta.label_lower, owner_pk))
            if found is None:
                continue  # not one of the world's records (none are made outside it)
            state = found
            updates = {}
            for name in confidential_fields(model):
                word = new_canary()
                who = set(state.audience(DEFAULT_AUDIENCE[model]))
                shared = SHARED.get((model, name))
                if shared is True or (callable(shared) and shared(row)):
                    who |= state.audience([HER_MENTOR])
                canaries[word] = Canary(word, model.__name__, name, state.name, frozenset(who))
                # A JSON field (the matcher's reasons: [[label, points], ...]) gets it as a label.
                json_field = isinstance(model._meta.get_field(name), EncryptedJSONField)
                updates[name] = [[word, 1.0]] if json_field else word
            model._default_manager.filter(pk=row.pk).update(**updates)
    return canaries


def _model_at(model: type[models.Model], path: str) -> type[models.Model]:
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
    return model


def _value_at(row: Any, path: str) -> Any:
    for part in path.split("__"):
        row = getattr(row, part)
    return row


# --- building it ---

FILL = "to be replaced by a canary"


def _woman(name: str, hub: Hub, coordinator: User, areas: dict[str, NeedArea]) -> Mentee:
    """A woman with a referral, consents, a completed intake and a draft review, and goals,
    every confidential field filled in, through the services."""
    referral = referral_create(
        hub=hub,
        acting_user=coordinator,
        chosen_name=name,
        referrer_organisation=FILL,
        referrer_contact=FILL,
        referrer_reason=FILL,
    )
    mentee = referral.mentee
    # Text is a safe way only once she has agreed to be texted.
    consent_record(mentee=mentee, kind=ConsentKind.CONTACT_TEXT, given=True, method="verbal", acting_user=coordinator)
    mentee_update_profile(
        mentee=mentee,
        acting_user=coordinator,
        **{f: FILL for f in ("legal_name", "contact_details", "safe_times", "code_word", "access_needs", "children")},
        safe_channels=["text"],
    )
    for kind in (ConsentKind.DATA_PROCESSING, ConsentKind.SHARE_WITH_MENTOR):
        consent_record(
            mentee=mentee, kind=kind, given=True, method="verbal", what_she_was_told=FILL, acting_user=coordinator
        )
    needs = {
        areas["housing"].pk: {"affects_now": "yes", "her_words": FILL, "priority": 1, "self_rating": 3},
        areas["drugs"].pk: {
            "affects_now": "yes",
            "her_words": FILL,
            "priority": 2,
            "self_rating": 4,
            "share_with_mentor": True,
        },
    }
    for complete in (True, False):  # her intake, then a review left as a draft
        assessment = assessment_start(mentee=mentee, acting_user=coordinator)
        assessment_save(
            assessment=assessment,
            acting_user=coordinator,
            complete=complete,
            fields={"strengths": FILL, "interests": FILL},
            needs=needs,
        )
    for shared in (True, False):
        goal = goal_create(mentee=mentee, her_words=FILL, share_with_mentor=shared, acting_user=coordinator)
        goal_add_update(goal=goal, note=FILL, acting_user=coordinator)
    mentee.refresh_from_db()
    return mentee


def _woman_state(name: str, mentee: Mentee, hub: str, mentor: str | None = None) -> State:
    draft = mentee.assessments.get(state=Assessment.State.DRAFT)
    goal = mentee.goals.filter(share_with_mentor=True).get()
    return State(name, Mentee, mentee.pk, hub, mentor, {"assessment_pk": draft.pk, "goal_pk": goal.pk})


def _pair_with(mentee: Mentee, mentor_user: User, coordinator: User) -> Pair:
    pair = make_active_pair(mentee, mentor_user, coordinator)
    pair_agreement_save(pair=pair, acting_user=coordinator, **{f: FILL for f in _AGREEMENT_TEXT})
    pair_review_record(pair=pair, notes=FILL, acting_user=coordinator)
    return pair


def _session(pair: Pair, mentor_user: User, **money: Decimal) -> MentoringSession:
    session, _ = session_log(
        pair=pair,
        acting_user=mentor_user,
        client_id=uuid.uuid4(),
        held_on=pair.activated_on,
        duration_minutes=60,
        mode="in_person",
        notes=FILL,
        next_steps=FILL,
        expenses_what=FILL,
        **money,
    )
    return session


_AGREEMENT_TEXT = (
    "contact_hours",
    "social_media",
    "meeting_places",
    "if_friendship_grows",
    "if_worried_about_safety",
    "anything_else",
)


def build_world() -> World:
    organisations = {
        key: OrganisationFactory.create(name=f"Women Together ({key})", slug=key) for key in ("org1", "org2")
    }
    hubs = {
        key: HubFactory.create(organisation=organisations[org], name=name, slug=key)
        for key, (org, name) in HUBS.items()
    }
    people: dict[str, User | None] = {"anonymous": None}
    for kind, person in ROSTER.items():
        if person.hub:
            assert person.role
            people[kind] = make_person(person.email, person.name, hubs[person.hub], person.role)
    people["superuser"] = User.objects.create_superuser(ROSTER["superuser"].email, "an-ops-password-1")

    def user(kind: str) -> User:
        found = people[kind]
        assert found is not None
        return found

    carys, priya, nia = user("coordinator"), user("other_hub_coordinator"), user("other_org_coordinator")
    areas = {area.slug: area for area in NeedArea.objects.filter(organisation__isnull=True)}
    # An org's curriculum makes its mentors' readiness mean something.
    module = training_module_add(
        organisation_id=organisations["org1"].pk, name="Boundaries", is_core=True, acting_user=user("org_admin")
    )
    other_module = training_module_add(
        organisation_id=organisations["org2"].pk, name="Listening", is_core=True, acting_user=user("other_org_admin")
    )

    # Her record in each state that changes who may see it.
    amber = _woman("Amber", hubs["saltmarsh"], carys, areas)
    active = _pair_with(amber, user("mentor_paired"), carys)
    paula = _woman("Paula", hubs["saltmarsh"], carys, areas)
    paused = _pair_with(paula, user("mentor_paused"), carys)
    # Logged before the pause, with a fare: her claim stays hers to follow and answer.
    paused_session = _session(paused, user("mentor_paused"), travel_fare=Decimal("3.20"))
    pair_pause(pair=paused, reason=FILL, acting_user=carys)
    erin = _woman("Erin", hubs["saltmarsh"], carys, areas)
    ended = _pair_with(erin, user("mentor_ended"), carys)
    # She would like a new mentor: her record stays open, only the pair has ended.
    pair_end(pair=ended, end_reason="goals_met", her_feedback=FILL, wants_new_mentor=True, acting_user=carys)
    lena = _woman("Lena", hubs["saltmarsh"], carys, areas)
    left_pair = _pair_with(lena, user("mentor_left"), carys)
    pair_pause(pair=left_pair, reason=FILL, acting_user=carys)
    lou = Mentor.objects.get(user=people["mentor_left"])
    mentor_change_stage(mentor=lou, to_stage=MentorStage.LEFT, note="Moved away", acting_user=carys)
    cleo = _woman("Cleo", hubs["saltmarsh"], carys, areas)
    mentee_change_status(mentee=cleo, to_status=MenteeStatus.WITHDRAWN, reason=FILL, acting_user=carys)
    bea = _woman("Bea", hubs["kingsmere"], priya, areas)
    oona = _woman("Oona", hubs["northfield"], nia, areas)
    other_org_pair = _pair_with(oona, user("other_org_mentor"), nia)
    own_session = _session(active, user("mentor_paired"), travel_miles=Decimal("6"), expenses_amount=Decimal("2.50"))
    queried = claim_query(claim=paused_session.claim, acting_user=carys, reason=FILL)
    other_org_claim = claim_approve(
        claim=_session(other_org_pair, user("other_org_mentor"), travel_miles=Decimal("10")).claim, acting_user=nia
    )
    claims = [
        State("submitted", ExpenseClaim, own_session.claim.pk, "saltmarsh", "mentor_paired"),
        State("queried", ExpenseClaim, queried.pk, "saltmarsh", "mentor_paused"),
        State("other organisation", ExpenseClaim, other_org_claim.pk, "northfield", "other_org_mentor"),
        missing(ExpenseClaim),
    ]
    sessions = [
        State("her own", MentoringSession, own_session.pk, "saltmarsh", "mentor_paired"),
        State("paused pair's", MentoringSession, paused_session.pk, "saltmarsh"),
        State(
            "other organisation",
            MentoringSession,
            _session(other_org_pair, user("other_org_mentor")).pk,
            "northfield",
            "other_org_mentor",
        ),
        missing(MentoringSession),
    ]

    women = [
        _woman_state("active pair", amber, "saltmarsh", "mentor_paired"),
        _woman_state("paused pair", paula, "saltmarsh"),  # her mentor loses sight while paused
        _woman_state("ended pair", erin, "saltmarsh"),
        _woman_state("mentor left", lena, "saltmarsh"),
        _woman_state("closed", cleo, "saltmarsh"),
        _woman_state("other hub", bea, "kingsmere"),
        _woman_state("other organisation", oona, "northfield", "other_org_mentor"),
        missing(Mentee, "assessment_pk", "goal_pk"),
    ]
    pairs = [
        State("active", Pair, active.pk, "saltmarsh", "mentor_paired"),
        State("paused", Pair, paused.pk, "saltmarsh"),
        State("ended", Pair, ended.pk, "saltmarsh"),
        State("mentor left", Pair, left_pair.pk, "saltmarsh"),
        State("other organisation", Pair, other_org_pair.pk, "northfield", "other_org_mentor"),
        missing(Pair),
    ]

    ros = Mentor.objects.get(user=people["mentor_unpaired"])
    dee = Mentor.objects.get(user=people["mentor_paired"])
    oli = Mentor.objects.get(user=people["other_org_mentor"])
    for mentor, coordinator in ((ros, carys), (dee, carys), (lou, carys), (oli, nia)):
        reference_add(mentor=mentor, referee=FILL, relationship=FILL, acting_user=coordinator)
    mentors = [
        State("unpaired", Mentor, ros.pk, "saltmarsh", "mentor_unpaired"),
        State("paired", Mentor, dee.pk, "saltmarsh", "mentor_paired"),
        State("left", Mentor, lou.pk, "saltmarsh", "mentor_left"),
        State("other organisation", Mentor, oli.pk, "northfield", "other_org_mentor"),
        missing(Mentor),
    ]
    applicants = []
    for hub_slug, coordinator_kind in (
        ("saltmarsh", "coordinator"),
        ("kingsmere", "other_hub_coordinator"),
        ("northfield", "other_org_coordinator"),
    ):
        coordinator = user(coordinator_kind)
        applicant = applicant_create(
            hub=hubs[hub_slug],
            name=FILL,
            phone=FILL,
            email=f"applicant-{hub_slug}@example.test",
            acting_user=coordinator,
        )
        applicant_update(applicant=applicant, source_detail=FILL, note=FILL, acting_user=coordinator)
        applicant_reference_add(applicant=applicant, referee=FILL, relationship=FILL, acting_user=coordinator)
        applicant_change_stage(
            applicant=applicant, to_stage=MentorStage.APPLICATION, note=FILL, acting_user=coordinator
        )
        name = {"saltmarsh": "her hub", "kingsmere": "other hub", "northfield": "other organisation"}[hub_slug]
        applicants.append(State(name, MentorApplicant, applicant.pk, hub_slug))
    applicants.append(missing(MentorApplicant))
    for mentee, mentor, coordinator in ((amber, ros, carys), (oona, oli, nia)):
        relationship_record(mentee=mentee, mentor=mentor, kind="known", note=FILL, acting_user=coordinator)
    relationships = [
        State(name, RecordedRelationship, RecordedRelationship.objects.get(mentee=mentee).pk, hub)
        for name, mentee, hub in (("her hub", amber, "saltmarsh"), ("other organisation", oona, "northfield"))
    ] + [missing(RecordedRelationship)]

    invitation = invitation_create(
        email="invitee@example.test", hub=hubs["saltmarsh"], role=Role.MENTOR, invited_by=carys
    )
    invitation_send(invitation_id=invitation.pk)
    # The token is only ever in the email; make a known one for the matrix.
    token = "matrix-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=_token_hash(token))
    other_invitation = invitation_create(
        email="other-invitee@example.test", hub=hubs["northfield"], role=Role.MENTOR, invited_by=nia
    )
    invitations = [
        State("her hub", Invitation, invitation.pk, "saltmarsh"),
        State("other organisation", Invitation, other_invitation.pk, "northfield"),
        missing(Invitation),
    ]
    target = make_person("target@example.test", "Target", hubs["saltmarsh"], Role.MENTOR)
    other_target = make_person("other-target@example.test", "Other target", hubs["northfield"], Role.MENTOR)
    persons = [
        State("her hub", User, target.pk, "saltmarsh"),
        State("other organisation", User, other_target.pk, "northfield"),
        missing(User),
    ]
    roles = [
        State("her hub", Membership, target.memberships.get().pk, "saltmarsh", extra={"person": target.pk}),
        State(
            "other organisation",
            Membership,
            other_target.memberships.get().pk,
            "northfield",
            extra={"person": other_target.pk},
        ),
        # A person of her hub with another person's role in the path: nobody may use it.
        State(
            "another person's",
            Membership,
            people["mentor_unpaired"].memberships.get().pk,  # type: ignore[union-attr]
            extra={"person": target.pk},
        ),
        missing(Membership, "person"),
    ]
    own_area = need_area_add(organisation_id=organisations["org1"].pk, name="Gambling", acting_user=user("org_admin"))
    other_area = need_area_add(
        organisation_id=organisations["org2"].pk, name="Debt", acting_user=user("other_org_admin")
    )
    need_areas = [
        State("her organisation's", NeedArea, own_area.pk, "saltmarsh"),
        State("other organisation's", NeedArea, other_area.pk, "northfield"),
        State("standard", NeedArea, areas["housing"].pk),  # every organisation's: nobody switches it off
        missing(NeedArea),
    ]
    modules = [
        State("her organisation's", TrainingModule, module.pk, "saltmarsh"),
        State("other organisation's", TrainingModule, other_module.pk, "northfield"),
        missing(TrainingModule),
    ]
    hub_states = [
        State("her hub", Hub, hubs["saltmarsh"].pk, "saltmarsh"),
        State("other hub", Hub, hubs["kingsmere"].pk, "kingsmere"),
        State("other organisation", Hub, hubs["northfield"].pk, "northfield"),
        missing(Hub),
    ]
    tokens = [State("usable", Invitation, invitation.pk, "saltmarsh"), missing(Invitation)]
    world = World(
        people=people,
        hubs=hubs,
        women=women,
        pairs=pairs,
        mentors=mentors,
        applicants=applicants,
        relationships=relationships,
        invitations=invitations,
        persons=persons,
        need_areas=need_areas,
        modules=modules,
        hub_states=hub_states,
        tokens=tokens,
        token=token,
        roles=roles,
        sessions=sessions,
        claims=claims,
    )
    world.canaries = plant_canaries(world)
    _check_world(world)
    return world


def _check_world(world: World) -> None:
    """The states are what their names say: a wrong fixture would make every case below it meaningless."""
    by_name = {state.name: state for state in world.pairs}
    assert Pair.objects.get(pk=by_name["active"].pk).status == "active"
    assert Pair.objects.get(pk=by_name["paused"].pk).status == "paused"
    assert Pair.objects.get(pk=by_name["ended"].pk).status == "ended"
    assert Mentor.objects.get(user=world.people["mentor_left"]).stage == MentorStage.LEFT
    assert Mentee.objects.get(pk=world.woman("closed").pk).status == MenteeStatus.WITHDRAWN
    # Each hub's applicant is in recruitment, with no account and no mentor record yet.
    for state in world.applicants[:-1]:
        applicant = MentorApplicant.objects.get(pk=state.pk)
        assert (applicant.hub.slug, applicant.status, applicant.mentor_id) == (state.hub, "open", None)
    assert Mentee.objects.get(pk=world.woman("ended pair").pk).status == MenteeStatus.WAITING
    states = {state.name: ExpenseClaim.objects.get(pk=state.pk).state for state in world.claims[:-1]}
    assert states == {
        "submitted": ClaimState.SUBMITTED,
        "queried": ClaimState.QUERIED,
        "other organisation": ClaimState.APPROVED,
    }
