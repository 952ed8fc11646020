"""Named people every test can use (one hub, Saltmarsh Bay, plus an outsider from Kingsmere).

- carys: coordinator, Saltmarsh Bay            - maz: safeguarding lead, Saltmarsh Bay
- dee: mentor in an active pair with amber     - ann: decision maker, Saltmarsh Bay
- ros: mentor, not paired                      - olu: org admin, Saltmarsh Bay
- priya: coordinator of another hub (Kingsmere), the outsider
- amber: a mentee in Saltmarsh Bay; bea: a mentee in Kingsmere
- june: a mentee in Saltmarsh Bay with a completed intake, waiting for a mentor
- nova: someone in mentor recruitment in Saltmarsh Bay (an enquiry; no account yet)

Staff have TOTP set up, as production requires (REQUIRE_MFA is on in tests).

Helpers several test files share are fixtures here too: `make_ready` (a mentor ready to be
matched), `new_mentor`, `mentor_with`, `assess`, `consent`, `safe_ways`, and `areas`, `core_module`,
`ros_mentor`.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from config.database import Credentials, DatabaseRoles
from config.database_roles import connected_as, grant_app_role, use_credentials
from mentoring.models import (
    CONSENT_FOR_CHANNEL,
    Consent,
    ConsentKind,
    ContactChannel,
    Hub,
    MeetingMode,
    Mentee,
    MenteeStatus,
    Mentor,
    MentorApplicant,
    MentorStage,
    NeedArea,
    Pair,
    PairStatus,
    RelationshipKind,
    Role,
    TrainingModule,
    User,
)
from mentoring.services.applicants import applicant_create
from mentoring.services.intake import (
    assessment_save,
    assessment_start,
    consent_record,
    goal_add_update,
    goal_create,
    referral_create,
)
from mentoring.services.mentees import mentee_change_status, mentee_create, mentee_update_profile
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
from mentoring.services.people import membership_add, stash_save
from mentoring.services.relationships import relationship_record
from mentoring.services.sessions import session_log
from tests.factories import HubFactory, MenteeFactory, OrganisationFactory, UserFactory

# live_server runs in a thread beside sync Playwright.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[DatabaseRoles]:
    """The test database is created and migrated as the owner; the tests run as the app's role,
    so every test meets the refusals production does (tests/config/test_database_roles.py).

    The app's role is DATABASE_URL's when MIGRATE_DATABASE_URL names the owner (or the embedded
    server's); with a single superuser URL, as on CI, a role of the test database's own is made.
    """
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        owner = Credentials(USER=connection.settings_dict["USER"], PASSWORD=connection.settings_dict["PASSWORD"])
        app = settings.DATABASE_ROLES["app"] if settings.DATABASE_ROLES else _make_test_app_role(connection)
        grant_app_role(connection, app["USER"])
        use_credentials(connection, app)
    yield DatabaseRoles(owner=owner, app=app)
    with django_db_blocker.unblock():
        use_credentials(connection, owner)


def _make_test_app_role(connection: BaseDatabaseWrapper) -> Credentials:
    """A login role named after the test database, so parallel runs against other databases of
    one server don't share it. Roles are cluster-wide and a run may race another: a role that
    already exists is taken over (its password reset for this run)."""
    name = f"{connection.settings_dict['NAME']}_app"[:63]
    password = secrets.token_hex(16)  # hex: safe inside the statement
    role = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if not (row and row[0]):
            raise RuntimeError(
                "The tests run as the app's role: set MIGRATE_DATABASE_URL to the owner's URL and DATABASE_URL "
                "to the app's, or give a DATABASE_URL whose role may create roles."
            )
        cursor.execute(f"DO $$ BEGIN CREATE ROLE {role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        cursor.execute(f"ALTER ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}'")
    return Credentials(USER=name, PASSWORD=password)


@pytest.fixture(scope="session")
def database_roles(django_db_setup) -> DatabaseRoles:
    """The owner's and the app's credentials the suite uses (it runs as the app's)."""
    return django_db_setup


def shows_name(page: str, name: str) -> bool:
    """The name as a word on the page: a random token (the CSRF token) may hold a short name's
    letters, and must not make a page look as if it shows someone."""
    return re.search(rf"\b{re.escape(name)}\b", page) is not None


def make_person(email: str, name: str, hub: Hub, role: str, *, mfa: bool | None = None) -> User:
    user = UserFactory.create(email=email, display_name=name)
    membership_add(user=user, hub=hub, role=role)
    if mfa if mfa is not None else role != Role.MENTOR:
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture(scope="session")
def seeded_data_restored_after_the_run(django_db_setup, django_db_blocker):
    """Leave the test database as the migrations made it, for the runs after this one.

    Ask for it in every transactional test (the browser tests, the database dump). The last
    one leaves every table empty, and `--reuse-db` (in addopts) keeps that database for the next
    run, whose tests would then miss the seeded rows (the standard need areas...). Django only
    restores serialized contents at the start of the next serialized test, so do it once here.
    """
    yield
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    # TRUNCATE and reloading with save() are the owner's to do (see owner_between_transactional_tests).
    with django_db_blocker.unblock(), connected_as(connection, django_db_setup["owner"]):
        if contents is not None:
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=DEFAULT_DB_ALIAS,
                reset_sequences=False,
                inhibit_post_migrate=True,
            )
            connection.creation.deserialize_db_from_string(contents)
            # The rows come back with their own ids: move each id sequence past them, as loaddata does.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                    cursor.execute(sql)
        # The serialized copy may be missing (the connection object was replaced during the run) or
        # have been taken from a database an earlier run left empty: put the areas back regardless.
        import_module("mentoring.migrations.0003_standard_need_areas").add_areas(apps, None)


@pytest.fixture(scope="module")
def owner_between_transactional_tests(database_roles):
    """Transactional tests tidy up as the owner; the tests themselves run as the app's role.

    After each transactional test pytest-django empties every table with TRUNCATE, and before
    each serialized one it reloads the seeded rows with save(), which tries an UPDATE first. The
    app's role may do neither to the access log and the history (and TRUNCATE nowhere), rightly.
    So between such tests the connection is the owner's, and `app_role_during_the_test` hands it
    to the app's role for each test's own body. Ask for both in every transactional test (the
    browser tests' conftest does it for all of them). Leaving, the app's role again.
    """
    from django.db import connection

    use_credentials(connection, database_roles["owner"])
    yield
    use_credentials(connection, database_roles["app"])


@pytest.fixture
def app_role_during_the_test(transactional_db, database_roles):
    """Set up after transactional_db, so torn down before its flush: the test, the fixtures after
    this one and the live server's requests run as the app's role; the flush as the owner."""
    from django.db import connection

    use_credentials(connection, database_roles["app"])
    yield
    use_credentials(connection, database_roles["owner"])


@pytest.fixture
def committed_db(
    owner_between_transactional_tests,
    transactional_db,
    django_db_serialized_rollback,
    app_role_during_the_test,
    standard_need_areas,
    seeded_data_restored_after_the_run,
):
    """For a test whose data must be committed (another connection reads it, or a command
    connects as the owner): transactional, run as the app's role, tidied up as the owner, with
    the migrations' rows back before it and after the run."""


@pytest.fixture
def standard_need_areas():
    """The rows the migrations seed (the standard need areas), put back the way the migration
    does it (idempotent): an earlier transactional test's TRUNCATE may have taken them, and
    serialized rollback does not bring them back once a browser test has run in the session
    (the test's connection object no longer holds the serialized rows then)."""
    from django.apps import apps

    import_module("mentoring.migrations.0003_standard_need_areas").add_areas(apps, None)


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


def _make_ready(who: Mentor | User, coordinator: User, *, issued_days_ago: int = 30) -> Mentor:
    """Her mentor record (or her user's) made ready to match through the services: active, DBS
    in date (issued `issued_days_ago` days ago: 4 * 365 makes it expired), and every core module
    of her organisation's curriculum done."""
    mentor = who if isinstance(who, Mentor) else Mentor.objects.select_related("hub").get(user=who)
    if mentor.stage != MentorStage.ACTIVE:
        mentor_change_stage(mentor=mentor, to_stage=MentorStage.ACTIVE, acting_user=coordinator)
    mentor_record_dbs(
        mentor=mentor,
        level="enhanced",
        certificate_number="001234567890",
        issued_on=timezone.localdate() - timedelta(days=issued_days_ago),
        acting_user=coordinator,
    )
    for module in TrainingModule.objects.filter(organisation_id=mentor.hub.organisation_id, is_core=True):
        training_record(mentor=mentor, module=module, acting_user=coordinator)
    return mentor


@pytest.fixture
def make_ready() -> Callable[..., Mentor]:
    """make_ready(mentor or her user, coordinator, *, issued_days_ago=30): ready to be matched."""
    return _make_ready


def make_waiting(mentee: Mentee, coordinator: User) -> Mentee:
    """Referred → assessing → waiting for a mentor, through the services."""
    for status in (MenteeStatus.ASSESSING, MenteeStatus.WAITING):
        if mentee.status != status:
            mentee_change_status(mentee=mentee, to_status=status, reason="", acting_user=coordinator)
    return mentee


def make_active_pair(mentee: Mentee, mentor_user: User, coordinator: User) -> Pair:
    """Proposed, both consent, started: the mentor gains the right to see her, as in real use."""
    mentor = _make_ready(mentor_user, coordinator)
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
def nova(hub, carys) -> MentorApplicant:
    """A woman who has asked about mentoring in Saltmarsh Bay and has no account yet."""
    return applicant_create(
        hub=hub,
        name="Nova",
        phone="07700 900123",
        email="nova@example.test",
        safe_ways=["phone", "email"],
        source="event",
        source_detail="Spring fair",
        enquired_on=timezone.localdate() - timedelta(days=20),
        note="Would like to give back",
        acting_user=carys,
    )


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


# --- helpers several test files share ---


@pytest.fixture
def areas() -> dict[str, NeedArea]:
    """The standard need areas (the migrations seed them), by slug."""
    return {area.slug: area for area in NeedArea.objects.filter(organisation__isnull=True)}


def _consent(mentee: Mentee, user: User, kind: str = ConsentKind.DATA_PROCESSING, given: bool = True) -> Consent:
    return consent_record(mentee=mentee, kind=kind, given=given, method="verbal", acting_user=user)


@pytest.fixture
def consent() -> Callable[..., Consent]:
    """consent(mentee, user, kind=data processing, given=True): her decision, recorded as told verbally."""
    return _consent


def _assess(mentee: Mentee, coordinator: User, *, needs: dict[str, int], wanted=(), **wants) -> None:
    """A completed intake through the services: need area slug -> her priority."""
    _consent(mentee, coordinator)
    assessment = assessment_start(mentee=mentee, acting_user=coordinator)
    areas = {area.slug: area for area in NeedArea.objects.filter(organisation__isnull=True)}
    assessment_save(
        assessment=assessment,
        acting_user=coordinator,
        complete=True,
        fields={"strengths": "I never give up.", **wants},
        needs={
            areas[slug].pk: {"affects_now": "yes", "her_words": "In her words", "priority": priority, "self_rating": 4}
            for slug, priority in needs.items()
        },
        shared_experience_wanted=[areas[slug] for slug in wanted],
    )


@pytest.fixture
def assess() -> Callable[..., None]:
    """assess(mentee, coordinator, *, needs={slug: priority}, wanted=(slugs), **wishes): a completed intake."""
    return _assess


def _safe_ways(mentee: Mentee, coordinator: User, *channels: str, **answers) -> Mentee:
    """Her safe ways, as a coordinator records them: her consent to each way that needs one
    first, then her record (letters are safe if Letter is one of them)."""
    for channel in channels:
        if channel in CONSENT_FOR_CHANNEL:
            _consent(mentee, coordinator, CONSENT_FOR_CHANNEL[channel])
    answers.setdefault("letters_safe", True if ContactChannel.LETTER in channels else None)
    return mentee_update_profile(mentee=mentee, acting_user=coordinator, safe_channels=list(channels), **answers)


@pytest.fixture
def safe_ways() -> Callable[..., Mentee]:
    """safe_ways(mentee, coordinator, *channels, **other answers): her consents, then her safe ways."""
    return _safe_ways


@pytest.fixture
def june(hub, carys, assess) -> Mentee:
    mentee = mentee_create(hub=hub, chosen_name="June", acting_user=carys)
    assess(mentee, carys, needs={"housing": 1, "drugs": 2}, meeting_modes=[MeetingMode.WALK])
    return make_waiting(mentee, carys)


@pytest.fixture
def mentor_with(make_ready) -> Callable[..., Mentor]:
    """mentor_with(user, coordinator, *, lived=(slugs), **profile): her record ready to be matched,
    with consented lived experience of those need areas and this profile."""

    def mentor_with(user: User, coordinator: User, *, lived=(), **profile) -> Mentor:
        mentor = make_ready(user, coordinator)
        areas = NeedArea.objects.filter(organisation__isnull=True, slug__in=lived)
        return mentor_update_profile(
            mentor=mentor, acting_user=coordinator, lived_experience=areas, lived_experience_consent=True, **profile
        )

    return mentor_with


@pytest.fixture
def core_module(hub, olu) -> TrainingModule:
    return training_module_add(
        organisation_id=hub.organisation_id, name="Safeguarding basics", is_core=True, acting_user=olu
    )


@pytest.fixture
def ros_mentor(ros) -> Mentor:
    return Mentor.objects.select_related("hub").get(user=ros)


_numbers = itertools.count()


@pytest.fixture
def new_mentor() -> Callable[[Hub, str], Mentor]:
    """new_mentor(hub, name): someone new with the mentor role in that hub; her mentor record."""

    def new_mentor(hub: Hub, name: str) -> Mentor:
        n = next(_numbers)
        user = make_person(f"mentor{n}@example.test", name, hub, Role.MENTOR)
        return Mentor.objects.select_related("hub").get(user=user)

    return new_mentor


@pytest.fixture
def every_kind_of_record(amber, june, carys, dee_pair, ros_mentor) -> None:
    """At least one row of every model with an encrypted field, made through the services (for
    the tests that check what the database holds of them)."""
    referral_create(hub=amber.hub, chosen_name="Cleo", acting_user=carys, referrer_organisation="A refuge")
    goal = goal_create(mentee=amber, her_words="To get my own place", acting_user=carys)
    goal_add_update(goal=goal, note="Viewed a flat", acting_user=carys)
    reference_add(mentor=dee_pair.mentor, referee="A referee", relationship="employer", acting_user=carys)
    pair_review_record(pair=dee_pair, notes="Going well", acting_user=carys)
    pair_agreement_save(pair=dee_pair, acting_user=carys, meeting_places="The library")
    relationship_record(
        mentee=june, mentor=ros_mentor, kind=RelationshipKind.KNOWN, acting_user=carys, note="Neighbours"
    )
    stash_save(user=carys, path=f"/mentees/{amber.pk}/edit/", data={"code_word": ["bluebell"]})
    applicant_create(
        hub=amber.hub,
        name="Nova",
        phone="07700 900123",
        email="nova@example.test",
        source_detail="Spring fair",
        note="Would like to give back",
        acting_user=carys,
    )
    session_log(
        pair=dee_pair,
        acting_user=dee_pair.mentor.user,
        client_id=uuid.uuid4(),
        held_on=timezone.localdate(),
        duration_minutes=45,
        mode="in_person",
        notes="We went to the housing office",
        next_steps="Call back Tuesday",
        expenses_amount=Decimal("2.50"),
        expenses_what="Tea at the café",
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and TOTP replay marks live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
