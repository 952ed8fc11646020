"""Every URL pattern, by every method, as every kind of person, on records in every state.
See tests/access_matrix/checker.py for how a route is tried, and world.py for the records."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentoringSession, Role
from tests.access_matrix.checker import (
    Answer,
    EveryReadLogged,
    Route,
    answers,
    check_route,
    log_in,
    matrix_size,
    only,
    undeclared_routes,
    walk_routes,
)
from tests.access_matrix.mentor_rules import MENTOR_RULES
from tests.access_matrix.world import (
    HER_CASEWORK,
    HER_COORDINATORS,
    HER_HUB_ADMINS,
    HER_MENTOR,
    HER_ORG_ADMINS,
    SIGNED_IN,
    State,
    build_world,
    confidential_fields,
    models_with_encrypted_fields,
)

pytestmark = pytest.mark.django_db

COORDINATORS = ("coordinator", "other_hub_coordinator", "other_org_coordinator")
CASEWORK = ("coordinator", "safeguarding_lead", "other_hub_coordinator", "other_org_coordinator")
MENTORS = ("mentor_unpaired", "mentor_paired", "mentor_paused", "mentor_ended", "mentor_left", "other_org_mentor")
ORG_ADMINS = ("org_admin", "other_org_admin")
# People with TOTP set up, as staff must.
STAFF = ("coordinator", "safeguarding_lead", "decision_maker", "org_admin", *COORDINATORS[1:], "other_org_admin")
EVERY_SIGNED_IN_PAGE = answers(200)  # her own account pages: 200 signed in, login page otherwise


def today() -> str:
    return timezone.localdate().isoformat()


def her(*who: str, ok: int = 200, **kw) -> Answer:
    """A record's page: these people get `ok`; for everyone else it doesn't exist."""
    return only(*who, ok=ok, denied=404, **kw)


def form_methods(answer):
    """POST and PUT, answered alike."""
    return {"post": answer, "put": answer}


def nested(attr: str):
    """Her record's id and the id of one of her records (assessment, goal) in the path."""
    return lambda state, world: {"pk": state.pk, attr: state.extra[attr]}


def another_womans(attr: str):
    """Her id with the id of another woman's record: nobody gets it, not even her coordinator."""

    def states(world) -> list[State]:
        amber, oona = world.woman("active pair"), world.woman("other organisation")
        return [State("another woman's", amber.model, amber.pk, extra={attr: oona.extra[attr]})]

    return states


TABLE: dict[str, Route] = {
    # --- role homes and the benchmark's bare page ---
    "": Route("home", get=answers(302, superuser=200), note="redirects to her role home; no role: a plain page"),
    "healthz": Route("healthz", get=answers(200, anonymous=200), note="public: load balancer check, no data"),
    "readyz": Route("readyz", get=answers(200, anonymous=200), note="public: readiness, a word per service, no data"),
    "ping/": Route("ping", get=answers(200)),
    "coordinator/": Route("coordinator_home", get=only(*COORDINATORS)),
    "mentor/": Route("mentor_home", get=only(*MENTORS)),
    "organisation/": Route(
        "orgadmin_home",
        get=only(*ORG_ADMINS),
        query=lambda world: {"q": "o", "role": Role.MENTOR, "page": "2"},
        note="query: q (name or email), role, page: they narrow her own people, never widen the scope",
    ),
    "safeguarding/": Route("safeguarding:home", get=only("safeguarding_lead")),
    "safeguarding/access-log/": Route(
        "safeguarding:access_log",
        get=only("safeguarding_lead"),
        query=lambda world: {"type": "mentoring.mentee", "id": str(world.woman("other organisation").pk), "page": "2"},
        note="query: a record of another organisation, by id: the log is hers alone and names nobody outside her hubs",
    ),
    "insights/": Route("funding:home", get=only("decision_maker")),
    # --- the mentor's offline app (mentoring/views/offline.py) ---
    "mentor/manifest.webmanifest": Route(
        "mentor_manifest", get=answers(200, anonymous=200), note="public: browsers fetch it without cookies; no data"
    ),
    "mentor/sw.js": Route("mentor_service_worker", get=answers(200, anonymous=200), note="public: the built worker"),
    "mentor/offline/": Route(
        "mentor_offline", get=answers(200, anonymous=200), note="public: the offline shell, rendered as for nobody"
    ),
    "mentor/offline-data.json": Route("mentor_offline_data", get=only(*MENTORS), note="her active pairs' names"),
    "weather/": Route("neutral_page", get=answers(200, anonymous=200), note="public: where quick-hide goes"),
    # --- people (org admin) ---
    "organisation/people/<int:pk>/deactivate/": Route(
        "person_deactivate", on="persons", get=her(HER_HUB_ADMINS), post=her(HER_HUB_ADMINS, ok=302)
    ),
    "organisation/people/<int:pk>/reactivate/": Route(
        "person_reactivate", on="persons", post=her(HER_HUB_ADMINS, ok=302)
    ),
    "organisation/people/<int:pk>/roles/": Route(
        "person_roles",
        on="persons",
        get=her(HER_HUB_ADMINS),
        post=her(HER_HUB_ADMINS, ok=302, data=lambda s, w, p: {"hub": w.hub_of(p), "role": Role.COORDINATOR}),
    ),
    "organisation/people/<int:pk>/roles/<int:membership_pk>/remove/": Route(
        "person_role_remove",
        on="roles",
        kwargs=lambda state, world: {"pk": state.extra["person"], "membership_pk": state.pk},
        get=her(HER_HUB_ADMINS),
        post=her(HER_HUB_ADMINS, ok=302),
    ),
    "organisation/people/<int:pk>/email/": Route(
        "person_email",
        on="persons",
        get=her(HER_HUB_ADMINS),
        post=her(HER_HUB_ADMINS, ok=302, data=lambda s, w, p: {"email": "a-new-address@example.test"}),
    ),
    "organisation/need-areas/": Route(
        "need_areas",
        get=only(*ORG_ADMINS),
        post=only(
            *ORG_ADMINS, ok=302, data=lambda s, w, p: {"name": "Matrix area", "organisation": w.organisation_of(p)}
        ),
    ),
    "organisation/need-areas/<int:pk>/toggle/": Route(
        "need_area_toggle", on="need_areas", post=her(HER_ORG_ADMINS, ok=302)
    ),
    "organisation/hubs/new/": Route(
        "hub_create",
        get=only(*ORG_ADMINS),
        post=only(*ORG_ADMINS, ok=302, data=lambda s, w, p: {"name": "Matrix hub", "review_interval_weeks": "12"}),
    ),
    "organisation/hubs/<int:pk>/": Route(
        "hub_settings",
        on="hub_states",
        get=her(HER_HUB_ADMINS),
        post=her(
            HER_HUB_ADMINS,
            ok=302,
            data=lambda s, w, p: {
                "name": "Renamed in the matrix",
                "area_description": "",
                "review_interval_weeks": "8",
            },
        ),
    ),
    # --- her record ---
    "mentees/": Route("mentee_list", get=only(*CASEWORK)),
    "mentees/<int:pk>/": Route("mentee_detail", on="women", get=her(HER_CASEWORK, HER_MENTOR)),
    "mentees/<int:pk>/legal-name/": Route(
        "mentee_reveal_legal_name",
        on="women",
        post=her(HER_CASEWORK, data=lambda s, w, p: {"reason": "Matrix test"}),
    ),
    "mentees/waiting/": Route("waiting_list", get=only(*COORDINATORS)),
    "mentees/new/": Route(
        "referral_create",
        get=only(*COORDINATORS),
        post=only(
            *COORDINATORS,
            ok=302,
            data=lambda s, w, p: {
                "chosen_name": "Matrix",
                "source": "self",
                "hub": w.hub_of(p),
                "referred_on": today(),
            },
        ),
    ),
    "mentees/<int:pk>/edit/": Route(
        "mentee_edit",
        on="women",
        get=her(HER_COORDINATORS),
        post=her(HER_COORDINATORS, ok=302, data=lambda s, w, p: {"chosen_name": "Renamed", "languages": "English"}),
    ),
    "mentees/<int:pk>/status/": Route(
        "mentee_status",
        on="women",
        post=her(HER_COORDINATORS, ok=302, data=lambda s, w, p: {"to_status": "withdrawn", "reason": "Matrix test"}),
    ),
    "mentees/<int:pk>/consents/": Route(
        "mentee_consents",
        on="women",
        get=her(HER_CASEWORK),
        post=her(
            HER_COORDINATORS,
            ok=302,
            data=lambda s, w, p: {"kind": "contact_text", "given": "true", "method": "verbal", "decided_on": today()},
        ),
        note="her safeguarding lead reads her consents but doesn't record them: 404, as for goals and assessments",
    ),
    "mentees/<int:pk>/history/": Route("mentee_history", on="women", get=her(HER_CASEWORK)),
    "mentees/<int:pk>/referrals/new/": Route(
        "re_referral_create",
        on="women",
        get=her(HER_COORDINATORS),
        post=her(
            HER_COORDINATORS,
            ok=200,
            ok_in={"closed": 302},
            data=lambda s, w, p: {"source": "self", "referred_on": today()},
        ),
        note="a re-referral is for a woman whose record is closed; otherwise the form says she's with us",
    ),
    "mentees/<int:pk>/assessments/": Route("mentee_assessments", on="women", get=her(HER_CASEWORK)),
    "mentees/<int:pk>/assessments/start/": Route("assessment_start", on="women", post=her(HER_COORDINATORS, ok=302)),
    "mentees/<int:pk>/assessments/<int:assessment_pk>/": Route(
        "assessment_edit",
        on="women",
        kwargs=nested("assessment_pk"),
        more_states=another_womans("assessment_pk"),
        get=her(HER_CASEWORK),
        post=her(HER_COORDINATORS, ok=302, data=lambda s, w, p: {"assessed_on": today(), "strengths": "Matrix"}),
    ),
    "mentees/<int:pk>/goals/": Route(
        "mentee_goals",
        on="women",
        get=her(HER_CASEWORK),
        post=her(HER_COORDINATORS, ok=302, data=lambda s, w, p: {"her_words": "Matrix goal"}),
    ),
    "mentees/<int:pk>/goals/<int:goal_pk>/": Route(
        "goal_progress",
        on="women",
        kwargs=nested("goal_pk"),
        more_states=another_womans("goal_pk"),
        post=her(HER_COORDINATORS, ok=302, data=lambda s, w, p: {"note": "Matrix test", "outcome": "in_progress"}),
    ),
    "mentees/<int:pk>/summary/": Route("mentee_summary", on="women", get=her(HER_CASEWORK)),
    # --- matching and pairs: her hub's coordinators; the mentor of an active pair writes its agreement ---
    "mentees/<int:pk>/match/": Route(
        "mentee_match",
        on="women",
        get=her(HER_COORDINATORS),
        post=her(
            HER_COORDINATORS, ok=302, ok_in={"other hub": 403}, data=lambda s, w, p: {"mentor": w.mentor_in(s.hub)}
        ),
    ),
    "matching/": Route("matching_home", get=only(*COORDINATORS, ok=302), note="one hub: straight to its batch"),
    "matching/hubs/<int:pk>/": Route(
        "hub_batch_match",
        on="hub_states",
        get=her(HER_COORDINATORS),
        post=her(
            HER_COORDINATORS,
            ok=302,
            ok_in={"other hub": 403},
            data=lambda s, w, p: {"mentee": w.waiting_in(s.hub), "mentor": w.mentor_in(s.hub), "decision": "reject"},
        ),
    ),
    "pairs/": Route("pair_list", get=only(*COORDINATORS)),
    "pairs/<int:pk>/": Route("pair_detail", on="pairs", get=her(HER_COORDINATORS)),
    "pairs/<int:pk>/consent/": Route(
        "pair_consent",
        on="pairs",
        post=her(
            HER_COORDINATORS,
            data=lambda s, w, p: {
                "who": "mentee",
                "mentee-who": "mentee",
                "mentee-method": "verbal",
                "mentee-on": today(),
            },
        ),
        note="the pairs are past consent: the form answers that consent comes first",
    ),
    "pairs/<int:pk>/status/": Route(
        "pair_status", on="pairs", post=her(HER_COORDINATORS, ok=302, data=lambda s, w, p: {"action": "pause"})
    ),
    "pairs/<int:pk>/end/": Route(
        "pair_end",
        on="pairs",
        get=her(HER_COORDINATORS),
        post=her(
            HER_COORDINATORS,
            ok=302,
            ok_in={"ended": 200},
            data=lambda s, w, p: {"end_reason": "goals_met", "on": today()},
        ),
    ),
    "pairs/<int:pk>/review/": Route(
        "pair_review",
        on="pairs",
        post=her(
            HER_COORDINATORS, ok=302, ok_in={"ended": 200}, data=lambda s, w, p: {"notes": "Matrix test", "on": today()}
        ),
        note="an ended pair isn't reviewed: the form says so",
    ),
    "pairs/<int:pk>/agreement/": Route(
        "pair_agreement",
        on="pairs",
        get=her(HER_COORDINATORS, HER_MENTOR),
        post=her(
            HER_COORDINATORS,
            HER_MENTOR,
            ok=302,
            ok_in={"ended": 200},
            data=lambda s, w, p: {"agreed_on": today(), "contact_hours": "x", "if_worried_about_safety": "Tell her"},
        ),
    ),
    # --- sessions: her mentor logs and corrects them while the pair is active; her hub's coordinators read them ---
    "mentor/pairs/<int:pk>/sessions/new/": Route(
        "session_log",
        on="pairs",
        get=her(HER_MENTOR),
        post=her(
            HER_MENTOR,
            ok=302,
            data=lambda s, w, p: {"held_on": today(), "duration_minutes": "30", "mode": "phone", "wellbeing": "fine"},
        ),
        note="a log is stored once by its client id; the offline queue's JSON answers are in the view tests",
    ),
    "mentor/pairs/<int:pk>/worried/": Route("session_worry", on="pairs", get=her(HER_MENTOR)),
    "mentor/sessions/": Route("my_sessions", get=only(*MENTORS)),
    "mentor/sessions/<int:pk>/edit/": Route(
        "session_edit",
        on="sessions",
        get=her(HER_MENTOR),
        post=her(
            HER_MENTOR,
            ok=302,
            data=lambda s, w, p: {
                "held_on": today(),
                "duration_minutes": "45",
                "mode": "phone",
                "wellbeing": "fine",
                "version": str(MentoringSession.objects.filter(pk=s.pk).values_list("version", flat=True).first() or 1),
            },
        ),
    ),
    "pairs/<int:pk>/sessions/": Route("pair_sessions", on="pairs", get=her(HER_COORDINATORS)),
    "sessions/<int:pk>/talked/": Route("session_talked", on="sessions", post=her(HER_COORDINATORS, ok=302)),
    # --- expense claims: she follows and answers her own; her hub's coordinators decide them and export ---
    "mentor/claims/": Route("my_claims", get=only(*MENTORS)),
    "mentor/claims/<int:pk>/answer/": Route(
        "claim_answer",
        on="claims",
        post=her(HER_MENTOR, ok=302, data=lambda s, w, p: {"answer": "Matrix answer"}),
        note="her own claim, whatever became of the pair; a claim with no question waiting says so",
    ),
    "claims/": Route(
        "claims_queue",
        get=only(*COORDINATORS),
        query=lambda world: {"state": "queried"},
        note="query: state narrows her hubs' claims, never widens them",
    ),
    "claims/export/": Route(
        "claims_export",
        get=only(*COORDINATORS),
        note="the form; with dates, the CSV (its content is in the view tests)",
    ),
    "claims/<int:pk>/approve/": Route(
        "claim_approve", on="claims", post=her(HER_COORDINATORS, ok=302), note="a claim not submitted: says so"
    ),
    "claims/<int:pk>/query/": Route(
        "claim_query",
        on="claims",
        post=her(HER_COORDINATORS, ok=302, data=lambda s, w, p: {"reason": "Matrix question"}),
    ),
    "claims/<int:pk>/paid/": Route(
        "claim_paid",
        on="claims",
        post=her(HER_COORDINATORS, ok=302, data=lambda s, w, p: {"paid_on": today()}),
    ),
    "organisation/mileage-rates/": Route(
        "mileage_rates",
        get=only(*ORG_ADMINS),
        post=only(
            *ORG_ADMINS,
            ok=302,
            data=lambda s, w, p: {
                "organisation": w.organisation_of(p),
                "effective_from": today(),
                "first_pence": "45",
                "after_pence": "25",
            },
        ),
    ),
    # --- invitations ---
    "invitations/new/": Route(
        "invitation_create",
        get=only(*ORG_ADMINS, *COORDINATORS),
        post=only(
            *ORG_ADMINS,
            *COORDINATORS,
            ok=302,
            data=lambda s, w, p: {"email": "new@example.test", "role": Role.MENTOR, "hub": w.hub_of(p)},
        ),
    ),
    "invitations/<int:pk>/revoke/": Route(
        "invitation_revoke", on="invitations", post=her(HER_HUB_ADMINS, HER_COORDINATORS, ok=302)
    ),
    "invitations/<int:pk>/resend/": Route(
        "invitation_resend", on="invitations", post=her(HER_HUB_ADMINS, HER_COORDINATORS, ok=302)
    ),
    "invite/<str:token>/": Route(
        "invitation_accept",
        on="tokens",
        kwargs=lambda state, world: {"token": world.token if state.name != "missing" else "no-such-token"},
        get=her(*SIGNED_IN, "anonymous", anonymous=None),
        post=her(
            *SIGNED_IN,
            "anonymous",
            anonymous=None,
            ok=302,
            data=lambda s, w, p: {
                "display_name": "New",
                "password1": "a-long-pass-phrase-1",
                "password2": "a-long-pass-phrase-1",
            },
        ),
        note="public: the one-time token is the credential",
    ),
    # --- allauth: her own account; nobody else's data is reachable through these. Its form views
    # take PUT as POST (Django's ProcessFormView); both are tried with nothing filled in. ---
    "accounts/login/": Route(
        "account_login", get=answers(302, anonymous=200), **form_methods(answers(302, anonymous=200))
    ),
    "accounts/logout/": Route("account_logout", get=answers(200), post=answers(302), note="POST signs her out"),
    "accounts/inactive/": Route("account_inactive", get=answers(200, anonymous=200)),
    "accounts/signup/": Route(
        "account_signup",
        get=answers(302, anonymous=200),
        **form_methods(answers(302, anonymous=200)),
        note="shows 'sign-up closed'",
    ),
    "accounts/reauthenticate/": Route("account_reauthenticate", get=EVERY_SIGNED_IN_PAGE, **form_methods(answers(200))),
    "accounts/email/": Route("account_email", get=EVERY_SIGNED_IN_PAGE, **form_methods(answers(302))),
    "accounts/confirm-email/": Route("account_email_verification_sent", get=answers(200, anonymous=200)),
    "accounts/password/change/": Route(
        "account_change_password", get=EVERY_SIGNED_IN_PAGE, **form_methods(answers(200))
    ),
    "accounts/password/set/": Route(
        "account_set_password",
        get=answers(302),
        **form_methods(answers(302)),
        note="she has a password: redirects",
    ),
    "accounts/password/reset/": Route(
        "account_reset_password", get=answers(200, anonymous=200), **form_methods(answers(200, anonymous=200))
    ),
    "accounts/login/code/confirm/": Route(
        "account_confirm_login_code",
        get=answers(302, anonymous=302),
        **form_methods(answers(302, anonymous=302)),
    ),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": Route(
        "account_confirm_email",
        kwargs=lambda state, world: {"key": "not-a-real-key"},
        get=answers(200, anonymous=200),
        post=answers(404, anonymous=404),
        note="a bad key shows 'link invalid'; confirming it finds nothing",
    ),
    "accounts/password/reset/key/done/": Route("account_reset_password_from_key_done", get=answers(200, anonymous=200)),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Route(
        "account_reset_password_from_key",
        path=lambda world: "/accounts/password/reset/key/zz-bad-key/",
        get=answers(200, anonymous=200),
        **form_methods(answers(200, anonymous=200)),
        note="a bad key shows 'link invalid'",
    ),
    "accounts/password/reset/done/": Route("account_reset_password_done", get=answers(200, anonymous=200)),
    "accounts/2fa/": Route("mfa_index", get=EVERY_SIGNED_IN_PAGE),
    "accounts/2fa/authenticate/": Route(
        "mfa_authenticate", get=answers(302, anonymous=302), post=answers(302, anonymous=302)
    ),
    "accounts/2fa/reauthenticate/": Route(
        "mfa_reauthenticate",
        get=answers(302, **dict.fromkeys(STAFF, 200)),
        **form_methods(answers(302, **dict.fromkeys(STAFF, 200))),
        note="only for people with MFA",
    ),
    "accounts/2fa/totp/activate/": Route(
        "mfa_activate_totp",
        get=answers(302),
        **form_methods(answers(302)),
        note="asks for reauthentication first",
    ),
    "accounts/2fa/totp/deactivate/": Route(
        "mfa_deactivate_totp",
        get=answers(404, **dict.fromkeys(STAFF, 302)),
        **form_methods(answers(404, **dict.fromkeys(STAFF, 302))),
        note="404 without TOTP",
    ),
    "accounts/2fa/recovery-codes/": Route("mfa_view_recovery_codes", get=answers(404), note="404 until generated"),
    "accounts/2fa/recovery-codes/generate/": Route(
        "mfa_generate_recovery_codes", get=answers(302), **form_methods(answers(302))
    ),
    "accounts/2fa/recovery-codes/download/": Route("mfa_download_recovery_codes", get=answers(404)),
    "accounts/sessions/": Route("usersessions_list", get=EVERY_SIGNED_IN_PAGE, **form_methods(answers(302))),
}

TABLE.update(MENTOR_RULES)  # mentor records, relationships and the curriculum (tests/access_matrix/mentor_rules.py)

# Her own account's pages know nothing of hubs or records: only whether she is signed in, has
# TOTP set up (staff) or not (a mentor), or is a superuser. One of each is enough.
ACCOUNT_PEOPLE = ["anonymous", "coordinator", "mentor_unpaired", "superuser"]
for _route, _rule in TABLE.items():
    if _route.startswith("accounts/"):
        _rule.people = ACCOUNT_PEOPLE

# The operations admin: every route under ops/ is Django's admin, which lets in active
# staff (superusers) only. Declared as a prefix and sampled below.
ADMIN_PREFIX = "ops/"
ADMIN_SAMPLES = {
    "ops/": "admin:index",
    "ops/mentoring/user/": "admin:mentoring_user_changelist",
    "ops/mentoring/accesslog/": "admin:mentoring_accesslog_changelist",
    "ops/mentoring/hub/": "admin:mentoring_hub_changelist",
}
ADMIN_RULE = answers(302, superuser=200)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module and rolled back after it: each test's own transaction, and
    each case's savepoint inside it, start from the same records."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.clients = log_in(built)  # type: ignore[attr-defined]
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def clients(world):
    return world.clients


def test_every_route_is_declared():
    missing = undeclared_routes(TABLE, (ADMIN_PREFIX,))
    assert not missing, "Declare who may use these URLs in tests/access_matrix/test_matrix.py:\n" + "\n".join(missing)


def test_table_has_no_stale_routes():
    routes = {route for route, _ in walk_routes()}
    assert set(TABLE) - routes == set()


@pytest.mark.parametrize("route", sorted(TABLE))
def test_route_answers_each_person_as_declared(route, world, clients):
    _, failures = check_route(route, TABLE[route], world, clients)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", sorted(ADMIN_SAMPLES))
def test_operations_admin_is_for_superusers_only(route, world, clients):
    # Django's admin answers any method; whatever the method, it is for superusers only.
    rule = Route(ADMIN_SAMPLES[route], get=ADMIN_RULE, methods_from_view=False)
    _, failures = check_route(route, rule, world, clients)
    assert not failures, "\n".join(failures)


def test_matrix_size(world):
    size = matrix_size(TABLE, world)
    print(size)  # the report reads it with -s
    # More than one method on some routes, more than one state on some methods, and every
    # person on each: a matrix that fell back to one try per route would fail here.
    assert size["route_method_states"] > size["route_methods"] > size["routes"]
    assert size["requests"] > size["route_method_states"] * 2


# --- the matrix must catch what it is for ---

LEAKY = "tests.access_matrix.leaky_urls"


def test_matrix_catches_a_view_that_skips_its_policy(world, clients):
    route = "mentees/<int:pk>/"
    with override_settings(ROOT_URLCONF=LEAKY):
        _, failures = check_route(route, TABLE[route], world, clients)
    # The leaky view shows every woman to everyone signed in: each person who should get 404 is
    # caught, on every record, and her chosen name is caught on the page.
    denied = [
        (state.name, person)
        for state in TABLE[route].states(world)
        if state is not None and state.name != "missing"
        for person, status in TABLE[route].get.expected(state).items()  # type: ignore[union-attr]
        if status == 404
    ]
    status_failures = [f for f in failures if "expected 404, got 200" in f]
    assert len(status_failures) == len(denied) > 0
    assert any("shows Mentee.chosen_name of the other organisation record" in f for f in failures)


def test_the_access_log_check_looks_at_each_kind_of_record_page(world, clients):
    """Every route test runs EveryReadLogged (a 200 on a confidential record's page wrote exactly
    one entry for it); here, that it really looks at pages of each kind of record."""
    for route in ("mentees/<int:pk>/", "mentees/<int:pk>/goals/", "pairs/<int:pk>/agreement/", "mentors/<int:pk>/dbs/"):
        logged = EveryReadLogged()
        _, failures = check_route(route, TABLE[route], world, clients, checks=[logged])
        assert not failures, "\n".join(failures)
        assert logged.checked >= 3, route  # her casework staff, or her coordinator and her mentor


def test_matrix_catches_a_read_that_is_not_logged(world, clients):
    route = "mentees/<int:pk>/"
    with override_settings(ROOT_URLCONF=LEAKY):
        _, failures = check_route(route, TABLE[route], world, clients, checks=[EveryReadLogged()])
    # The leaky view shows her record without its policy's fetch, so nothing is logged.
    assert failures and all("wrote 0 access-log entries for the mentoring.mentee" in f for f in failures)


def test_matrix_catches_a_denied_write(world, clients):
    route = "mentees/<int:pk>/status/"
    with override_settings(ROOT_URLCONF=LEAKY):
        _, failures = check_route(route, TABLE[route], world, clients)
    assert failures
    assert all("wrote to mentoring_mentee" in f for f in failures), failures
    assert any("[other organisation] as coordinator" in f for f in failures)


def test_matrix_catches_a_field_her_mentor_may_not_see(world, clients):
    route = "pairs/<int:pk>/agreement/"
    rule = Route("pair_agreement", on="pairs", get=TABLE[route].get)
    with override_settings(ROOT_URLCONF=LEAKY):
        _, failures = check_route(route, rule, world, clients)
    leak = "shows Mentee.legal_name of the"
    assert failures == [
        f"GET {route} [active] as mentor_paired: {leak} active pair record",
        f"GET {route} [other organisation] as other_org_mentor: {leak} other organisation record",
    ]


def test_matrix_catches_a_view_that_takes_any_method(world, clients):
    route = "mentees/<int:pk>/assessments/"
    with override_settings(ROOT_URLCONF=LEAKY):
        _, failures = check_route(route, TABLE[route], world, clients)
    assert failures == [f"{route}: its view answers any method; say which with require_http_methods"]


def test_matrix_catches_an_undeclared_url():
    assert undeclared_routes(TABLE, (ADMIN_PREFIX,), LEAKY) == ["unlisted/"]


# --- the canaries are real: planted everywhere, and seen by those who may see them ---


def test_every_confidential_field_holds_a_canary(world):
    planted = {(canary.model, canary.field) for canary in world.canaries.values()}
    for model in models_with_encrypted_fields():
        for name in confidential_fields(model):
            assert (model.__name__, name) in planted, f"no canary in {model.__name__}.{name}: give the world one"
    owners = {canary.owner for canary in world.canaries.values()}
    assert {state.name for state in world.women if state.name != "missing"} <= owners


def _canaries(world, owner: str, model: str, *fields: str) -> list[str]:
    return [c.word for c in world.canaries.values() if c.owner == owner and c.model == model and c.field in fields]


def test_canaries_reach_those_who_may_see_them(world, clients):
    amber = world.woman("active pair")
    page = clients["coordinator"].get(reverse("mentee_detail", kwargs={"pk": amber.pk})).content.decode()
    for word in _canaries(world, "active pair", "Mentee", "chosen_name", "contact_details", "code_word", "safe_times"):
        assert word in page
    # Her legal name only on a request with a reason.
    (legal,) = _canaries(world, "active pair", "Mentee", "legal_name")
    assert legal not in page
    revealed = clients["coordinator"].post(
        reverse("mentee_reveal_legal_name", kwargs={"pk": amber.pk}), {"reason": "Matrix test"}
    )
    assert legal in revealed.content.decode()
    # Her mentor: what she agreed to share, and nothing else.
    shared = clients["mentor_paired"].get(reverse("mentee_detail", kwargs={"pk": amber.pk})).content.decode()
    for word in _canaries(world, "active pair", "Mentee", "chosen_name", "code_word", "safe_times"):
        assert word in shared
    for model in ("NeedRating", "Goal"):
        words = [c.word for c in world.canaries.values() if c.owner == "active pair" and c.model == model]
        assert any(word in shared for word in words), f"her mentor sees none of her shared {model} rows"
