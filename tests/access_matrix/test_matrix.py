"""Every URL pattern, as every kind of person. See tests/access_matrix/checker.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import timezone

from mentoring.models import Invitation, Mentor, Role
from mentoring.services.intake import assessment_start, consent_record, goal_create, need_area_add
from mentoring.services.mentors import training_module_add
from mentoring.services.people import _token_hash, invitation_create, invitation_send
from mentoring.services.relationships import relationship_record
from tests.access_matrix.checker import SIGNED_IN, Rule, answers, check_route, only, undeclared_routes
from tests.access_matrix.mentor_rules import MENTOR_RULES
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

CASEWORK = ("coordinator", "safeguarding_lead")
COORDINATORS = ("coordinator", "other_hub_coordinator")
MENTORS = ("mentor_unpaired", "mentor_paired")
STAFF = ("coordinator", "safeguarding_lead", "decision_maker", "org_admin", "other_hub_coordinator")  # they have TOTP
EVERY_SIGNED_IN_PAGE = answers(200)  # her own account pages: 200 signed in, login page otherwise


def pk_of(attr: str):
    return lambda ctx: {"pk": getattr(ctx, attr).pk}


TABLE: dict[str, Rule] = {
    # --- role homes and the benchmark's bare page ---
    "": Rule(answers(302, superuser=200), name="home", note="redirects to her role home; no role: a plain page"),
    "healthz": Rule(answers(200, anonymous=200), name="healthz", note="public: load balancer check, no data"),
    "ping/": Rule(answers(200), name="ping"),
    "coordinator/": Rule(only(*COORDINATORS), name="coordinator_home"),
    "mentor/": Rule(only(*MENTORS), name="mentor_home"),
    "organisation/": Rule(
        only("org_admin"),
        name="orgadmin_home",
        data=lambda ctx: {"q": "o", "role": Role.MENTOR, "page": "2"},
        note="query: q (name or email), role, page: they narrow her own people, never widen the scope",
    ),
    "safeguarding/": Rule(only("safeguarding_lead"), name="safeguarding:home"),
    "insights/": Rule(only("decision_maker"), name="funding:home"),
    # --- people (org admin) ---
    "organisation/people/<int:pk>/deactivate/": Rule(
        only("org_admin", ok=302, denied=404), method="post", name="person_deactivate", kwargs=pk_of("target")
    ),
    "organisation/people/<int:pk>/reactivate/": Rule(
        only("org_admin", ok=302, denied=404), method="post", name="person_reactivate", kwargs=pk_of("target")
    ),
    "organisation/people/<int:pk>/roles/": Rule(
        only("org_admin", ok=200, denied=404), name="person_roles", kwargs=pk_of("target")
    ),
    "organisation/people/<int:pk>/email/": Rule(
        only("org_admin", ok=200, denied=404), name="person_email", kwargs=pk_of("target"), note="POST too"
    ),
    "organisation/need-areas/": Rule(only("org_admin"), name="need_areas"),
    "organisation/need-areas/<int:pk>/toggle/": Rule(
        only("org_admin", ok=302, denied=404), method="post", name="need_area_toggle", kwargs=pk_of("own_area")
    ),
    "organisation/hubs/<int:pk>/": Rule(only("org_admin", denied=404), name="hub_settings", kwargs=pk_of("hub")),
    # --- mentees ---
    "mentees/": Rule(only(*CASEWORK, "other_hub_coordinator"), name="mentee_list"),
    "mentees/<int:pk>/": Rule(
        only(*CASEWORK, "mentor_paired", denied=404), name="mentee_detail", kwargs=pk_of("amber")
    ),
    "mentees/<int:pk>/legal-name/": Rule(
        only(*CASEWORK, denied=404),
        method="post",
        name="mentee_reveal_legal_name",
        kwargs=pk_of("amber"),
        data=lambda ctx: {"reason": "Matrix test"},
    ),
    "mentees/waiting/": Rule(only(*COORDINATORS), name="waiting_list"),
    "mentees/new/": Rule(only(*COORDINATORS), name="referral_create"),
    "mentees/<int:pk>/edit/": Rule(only("coordinator", denied=404), name="mentee_edit", kwargs=pk_of("amber")),
    "mentees/<int:pk>/status/": Rule(
        only("coordinator", ok=302, denied=404),
        method="post",
        name="mentee_status",
        kwargs=pk_of("amber"),
        data=lambda ctx: {"to_status": "withdrawn", "reason": "Matrix test"},
    ),
    "mentees/<int:pk>/consents/": Rule(only(*CASEWORK, denied=404), name="mentee_consents", kwargs=pk_of("amber")),
    "mentees/<int:pk>/history/": Rule(only(*CASEWORK, denied=404), name="mentee_history", kwargs=pk_of("amber")),
    "mentees/<int:pk>/referrals/new/": Rule(
        only("coordinator", denied=404), name="re_referral_create", kwargs=pk_of("amber")
    ),
    "mentees/<int:pk>/assessments/": Rule(
        only(*CASEWORK, denied=404), name="mentee_assessments", kwargs=pk_of("amber")
    ),
    "mentees/<int:pk>/assessments/start/": Rule(
        only("coordinator", ok=302, denied=404), method="post", name="assessment_start", kwargs=pk_of("amber")
    ),
    "mentees/<int:pk>/assessments/<int:assessment_pk>/": Rule(
        only(*CASEWORK, denied=404),
        name="assessment_edit",
        kwargs=lambda ctx: {"pk": ctx.amber.pk, "assessment_pk": ctx.assessment.pk},
    ),
    "mentees/<int:pk>/goals/": Rule(only(*CASEWORK, denied=404), name="mentee_goals", kwargs=pk_of("amber")),
    "mentees/<int:pk>/goals/<int:goal_pk>/": Rule(
        only("coordinator", ok=302, denied=404),
        method="post",
        name="goal_progress",
        kwargs=lambda ctx: {"pk": ctx.amber.pk, "goal_pk": ctx.goal.pk},
        data=lambda ctx: {"note": "Matrix test", "outcome": "in_progress"},
    ),
    "mentees/<int:pk>/summary/": Rule(only(*CASEWORK, denied=404), name="mentee_summary", kwargs=pk_of("amber")),
    # --- matching and pairs: her hub's coordinators; the mentor of an active pair writes its agreement ---
    "mentees/<int:pk>/match/": Rule(only("coordinator", denied=404), name="mentee_match", kwargs=pk_of("amber")),
    "matching/": Rule(only(*COORDINATORS, ok=302), name="matching_home", note="one hub: straight to its batch"),
    "matching/hubs/<int:pk>/": Rule(only("coordinator", denied=404), name="hub_batch_match", kwargs=pk_of("hub")),
    "pairs/": Rule(only(*COORDINATORS), name="pair_list"),
    "pairs/<int:pk>/": Rule(only("coordinator", denied=404), name="pair_detail", kwargs=pk_of("pair")),
    "pairs/<int:pk>/consent/": Rule(
        only("coordinator", denied=404),
        method="post",
        name="pair_consent",
        kwargs=pk_of("pair"),
        data=lambda ctx: {"who": "mentee", "mentee-who": "mentee", "mentee-method": "verbal"},
        note="the pair is running: the form answers that consent comes first",
    ),
    "pairs/<int:pk>/status/": Rule(
        only("coordinator", ok=302, denied=404),
        method="post",
        name="pair_status",
        kwargs=pk_of("pair"),
        data=lambda ctx: {"action": "pause"},
    ),
    "pairs/<int:pk>/end/": Rule(only("coordinator", denied=404), name="pair_end", kwargs=pk_of("pair")),
    "pairs/<int:pk>/review/": Rule(
        only("coordinator", ok=302, denied=404),
        method="post",
        name="pair_review",
        kwargs=pk_of("pair"),
        # Dated today: a review can't be dated before the pair started.
        data=lambda ctx: {"notes": "Matrix test", "on": timezone.localdate().isoformat()},
    ),
    "pairs/<int:pk>/agreement/": Rule(
        only("coordinator", "mentor_paired", denied=404), name="pair_agreement", kwargs=pk_of("pair")
    ),
    # --- invitations ---
    "invitations/new/": Rule(only("org_admin", *COORDINATORS), name="invitation_create"),
    "invitations/<int:pk>/revoke/": Rule(
        only("org_admin", "coordinator", ok=302, denied=404),
        method="post",
        name="invitation_revoke",
        kwargs=pk_of("invitation"),
    ),
    "invite/<str:token>/": Rule(
        answers(200, anonymous=200),
        name="invitation_accept",
        kwargs=lambda ctx: {"token": ctx.token},
        note="public: the one-time token is the credential",
    ),
    # --- allauth: her own account; nobody else's data is reachable through these ---
    "accounts/login/": Rule(answers(302, anonymous=200), name="account_login"),
    "accounts/logout/": Rule(answers(200), name="account_logout"),
    "accounts/inactive/": Rule(answers(200, anonymous=200), name="account_inactive"),
    "accounts/signup/": Rule(answers(302, anonymous=200), name="account_signup", note="shows 'sign-up closed'"),
    "accounts/reauthenticate/": Rule(EVERY_SIGNED_IN_PAGE, name="account_reauthenticate"),
    "accounts/email/": Rule(EVERY_SIGNED_IN_PAGE, name="account_email"),
    "accounts/confirm-email/": Rule(answers(200, anonymous=200), name="account_email_verification_sent"),
    "accounts/password/change/": Rule(EVERY_SIGNED_IN_PAGE, name="account_change_password"),
    "accounts/password/set/": Rule(answers(302), name="account_set_password", note="she has a password: redirects"),
    "accounts/password/reset/": Rule(answers(200, anonymous=200), name="account_reset_password"),
    "accounts/login/code/confirm/": Rule(answers(302, anonymous=302), name="account_confirm_login_code"),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": Rule(
        answers(200, anonymous=200),
        name="account_confirm_email",
        kwargs=lambda ctx: {"key": "not-a-real-key"},
        note="a bad key shows 'link invalid'",
    ),
    "accounts/password/reset/key/done/": Rule(answers(200, anonymous=200), name="account_reset_password_from_key_done"),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Rule(
        answers(200, anonymous=200),
        name="account_reset_password_from_key",
        kwargs=lambda ctx: {"uidb36": "zz", "key": "bad-key"},
        note="a bad key shows 'link invalid'",
    ),
    "accounts/password/reset/done/": Rule(answers(200, anonymous=200), name="account_reset_password_done"),
    "accounts/2fa/": Rule(EVERY_SIGNED_IN_PAGE, name="mfa_index"),
    "accounts/2fa/authenticate/": Rule(answers(302, anonymous=302), name="mfa_authenticate"),
    "accounts/2fa/reauthenticate/": Rule(
        answers(302, **dict.fromkeys(STAFF, 200)), name="mfa_reauthenticate", note="only for people with MFA"
    ),
    "accounts/2fa/totp/activate/": Rule(answers(302), name="mfa_activate_totp", note="asks for reauthentication first"),
    "accounts/2fa/totp/deactivate/": Rule(
        answers(404, **dict.fromkeys(STAFF, 302)), name="mfa_deactivate_totp", note="404 without TOTP"
    ),
    "accounts/2fa/recovery-codes/": Rule(answers(404), name="mfa_view_recovery_codes", note="404 until generated"),
    "accounts/2fa/recovery-codes/generate/": Rule(answers(302), name="mfa_generate_recovery_codes"),
    "accounts/2fa/recovery-codes/download/": Rule(answers(404), name="mfa_download_recovery_codes"),
    "accounts/sessions/": Rule(EVERY_SIGNED_IN_PAGE, name="usersessions_list"),
}

TABLE.update(MENTOR_RULES)  # mentor records, relationships and the curriculum (tests/access_matrix/mentor_rules.py)

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


@pytest.fixture
def ctx(everyone, amber, hub, carys, olu, ros, dee_pair):
    target = make_person("target@example.test", "Target", hub, Role.MENTOR)
    invitation = invitation_create(email="invitee@example.test", hub=hub, role=Role.MENTOR, invited_by=carys)
    invitation_send(invitation_id=invitation.pk)
    # The token is only ever in the email; make a known one for the matrix.
    token = "matrix-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=_token_hash(token))
    consent_record(mentee=amber, kind="data_processing", given=True, method="verbal", acting_user=carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    goal = goal_create(mentee=amber, her_words="Find a flat", acting_user=carys)
    own_area = need_area_add(organisation_id=hub.organisation_id, name="Gambling", acting_user=everyone["org_admin"])
    ros_mentor = Mentor.objects.get(user=ros)
    relationship = relationship_record(mentee=amber, mentor=ros_mentor, kind="known", acting_user=carys)
    module = training_module_add(organisation_id=hub.organisation_id, name="Boundaries", is_core=True, acting_user=olu)
    return SimpleNamespace(
        hub=hub,
        pair=dee_pair,
        ros_mentor=ros_mentor,
        relationship=relationship,
        module=module,
        own_area=own_area,
        amber=amber,
        target=target,
        invitation=invitation,
        token=token,
        assessment=assessment,
        goal=goal,
        people=everyone,
    )


def test_every_route_is_declared():
    missing = undeclared_routes(TABLE, (ADMIN_PREFIX,))
    assert not missing, "Declare who may use these URLs in tests/access_matrix/test_matrix.py:\n" + "\n".join(missing)


def test_table_has_no_stale_routes():
    from tests.access_matrix.checker import walk_routes

    routes = {route for route, _ in walk_routes()}
    assert set(TABLE) - routes == set()


@pytest.mark.parametrize("route", sorted(TABLE))
def test_route_answers_each_person_as_declared(route, ctx):
    people = {**ctx.people, "anonymous": None}
    failures = check_route(route, TABLE[route], ctx, people)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", sorted(ADMIN_SAMPLES))
def test_operations_admin_is_for_superusers_only(route, ctx):
    failures = check_route(route, Rule(ADMIN_RULE, name=ADMIN_SAMPLES[route]), ctx, {**ctx.people, "anonymous": None})
    assert not failures, "\n".join(failures)


# --- the matrix must catch what it is for ---


@override_settings(ROOT_URLCONF="tests.access_matrix.leaky_urls")
def test_matrix_catches_a_view_that_skips_its_policy(ctx):
    failures = check_route("mentees/<int:pk>/", TABLE["mentees/<int:pk>/"], ctx, {**ctx.people, "anonymous": None})
    # The leaky view shows amber to everyone signed in: each person who should get 404 is caught.
    should_be_denied = [p for p in SIGNED_IN if TABLE["mentees/<int:pk>/"].expect[p] == 404]
    assert len(failures) == len(should_be_denied) > 0
    assert all("expected 404, got 200" in failure for failure in failures)


@override_settings(ROOT_URLCONF="tests.access_matrix.leaky_urls")
def test_matrix_catches_an_undeclared_url():
    assert undeclared_routes(TABLE, (ADMIN_PREFIX,), "tests.access_matrix.leaky_urls") == ["unlisted/"]
