"""demo.seed: the small demo, through `seed_demo`."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo import seed as demo
from mentoring.models import (
    Assessment,
    Consent,
    ExpenseClaim,
    Goal,
    Hub,
    Membership,
    Mentee,
    Mentor,
    MentorApplicant,
    MentoringSession,
    MentorReference,
    NeedRating,
    Pair,
    PairAgreement,
    Role,
    User,
)
from mentoring.policies.mentees import mentees_visible_to

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_three_hubs_and_every_role_and_is_idempotent(capsys):
    def counts():
        models = (
            Hub,
            User,
            Mentee,
            Membership,
            Assessment,
            NeedRating,
            Consent,
            Goal,
            Mentor,
            Pair,
            PairAgreement,
            MentorApplicant,
            MentorReference,
        )
        return tuple(m.objects.count() for m in models)

    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[0] == 3
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    out = capsys.readouterr().out
    for account in demo.ACCOUNTS:
        assert account.email in out
    mentor = User.objects.get(email=demo.ACCOUNTS[4].email)
    assert mentees_visible_to(mentor).count() == 1
    # Intake: every hub has women at several stages, with her words, consents and a review.
    assert set(Mentee.objects.values_list("status", flat=True)) >= {"referred", "waiting", "matched"}
    assert Assessment.objects.filter(kind="review", state="complete").exists()
    assert Mentee.objects.filter(need_count__gte=3).exists()
    assert Hub.objects.filter(mentees__status="waiting").distinct().count() == 3
    # Mentors and pairs: an active pair with an agreement in each hub, made through the services.
    assert Pair.objects.filter(status="active").values("hub").distinct().count() == 3
    assert PairAgreement.objects.count() == 3
    assert Mentor.objects.filter(stage="active").count() >= 6 and Mentor.objects.exclude(stage="active").exists()
    assert Mentee.objects.filter(status="matched").count() == 3
    # Recruitment: a couple of enquiries in each hub, at several stages, some with references.
    assert MentorApplicant.objects.values("hub").distinct().count() == 3
    assert all(hub.mentor_applicants.count() >= 2 for hub in Hub.objects.all())
    assert set(MentorApplicant.objects.values_list("stage", flat=True)) == {"enquiry", "application", "references"}
    assert MentorReference.objects.filter(applicant__isnull=False).exists()
    assert MentorApplicant.objects.filter(email__isnull=True).exists()  # one to ask for an email first


def assert_histories_in_date_order(mentees, pairs) -> None:
    """Read in the order they were written, every woman's and every pair's history runs forward
    in time, and each pair's consents, start and reviews follow its proposal."""
    for mentee in mentees:
        dates = list(mentee.status_changes.order_by("created_at", "pk").values_list("changed_on", flat=True))
        assert dates == sorted(dates), f"{mentee.pk}: {dates}"
        # How long she has been in her status (how long she has waited) counts from her latest move.
        assert not dates or timezone.localdate(mentee.status_changed_at) == dates[-1], f"{mentee.pk}"
        referral = mentee.referrals.order_by("referred_on").first()
        for assessed_on in mentee.assessments.values_list("assessed_on", flat=True):
            assert referral is None or assessed_on >= referral.referred_on
    for pair in pairs:
        dates = list(pair.status_changes.order_by("created_at", "pk").values_list("changed_on", flat=True))
        assert dates and dates == sorted(dates), f"{pair.pk}: {dates}"
        proposed = timezone.localdate(pair.proposed_at)
        assert dates[0] == proposed
        consents = [pair.mentee_consent_on, pair.mentor_consent_on]
        assert all(proposed <= on <= pair.activated_on for on in consents if on is not None)
        assert all(on >= pair.activated_on for on in pair.reviews.values_list("reviewed_on", flat=True))


def test_seeded_histories_read_in_date_order():
    call_command("seed_demo")
    assert_histories_in_date_order(Mentee.objects.all(), Pair.objects.all())


def test_seeded_women_waiting_since_weeks_ago_show_that_wait(client):
    """Women referred months ago and assessed a week later have waited weeks: the waiting list
    says so and the "waiting at least 2 weeks" filter finds them."""
    call_command("seed_demo")
    coordinator = User.objects.get(email=f"coordinator@{demo.DEMO_DOMAIN}")
    waiting = Mentee.objects.filter(hub__memberships__user=coordinator, status="waiting").distinct()
    assert waiting.exists()
    for mentee in waiting:
        joined = mentee.status_changes.filter(to_status="waiting").latest("created_at", "pk").changed_on
        assert joined <= timezone.localdate() - timedelta(weeks=2)
        assert timezone.localdate(mentee.status_changed_at) == joined
    TOTP.activate(coordinator, generate_totp_secret())  # staff pages need two-factor
    client.force_login(coordinator)
    response = client.get(reverse("mentee_list"), {"waited": "2"})
    assert response.status_code == 200, response
    listed = response.content.decode()
    assert [m.chosen_name for m in waiting if m.chosen_name not in listed] == [], listed
    page = client.get(reverse("waiting_list")).content.decode()
    assert "minute" not in page and "week" in page


def test_every_demo_coordinator_finds_work_waiting_on_her_home(client):
    """Each hub's coordinator opens the demo to a woman referred this week, an intake she hasn't
    finished and a proposal waiting for answers: her home shows its lists, not only empty states."""
    call_command("seed_demo")
    for email in ("coordinator", "coordinator.city", "coordinator.county"):
        coordinator = User.objects.get(email=f"{email}@{demo.DEMO_DOMAIN}")
        TOTP.activate(coordinator, generate_totp_secret())
        client.force_login(coordinator)
        todo = client.get(reverse("coordinator_home")).context["todo"]
        waiting = {
            "new_referrals": todo.new_referrals.total,
            "intakes_in_draft": todo.intakes_in_draft.total,
            "proposals_waiting": todo.proposals_waiting.total,
        }
        assert all(waiting.values()), (email, waiting)
    # The new women's stories run in date order too.
    assert_histories_in_date_order(Mentee.objects.all(), Pair.objects.all())


def test_the_demo_pairs_have_sessions_a_call_to_talk_and_a_quiet_pair(client):
    call_command("seed_demo")
    active = Pair.objects.filter(status="active", hub__slug__startswith="demo-")
    for pair in active:
        sessions = MentoringSession.objects.filter(pair=pair)
        assert sessions.exists(), pair.hub.slug
        started = pair.activated_on
        assert started is not None
        assert all(started <= day <= timezone.localdate() for day in sessions.values_list("held_on", flat=True))
        assert pair.last_contact_on == max(sessions.values_list("held_on", flat=True))
    counts = MentoringSession.objects.count()
    call_command("seed_demo")
    assert MentoringSession.objects.count() == counts  # run again: nothing new
    homes = {}
    for email in ("coordinator", "coordinator.county"):
        coordinator = User.objects.get(email=f"{email}@{demo.DEMO_DOMAIN}")
        TOTP.activate(coordinator, generate_totp_secret())
        client.force_login(coordinator)
        todo = client.get(reverse("coordinator_home")).context["todo"]
        homes[email] = (todo.talk_today.total, todo.quiet_pairs.total)
    assert homes == {"coordinator": (1, 0), "coordinator.county": (0, 1)}
    # Dee's travel claims stand at each state, as a month of them would.
    dee_claims = ExpenseClaim.objects.filter(mentor__user__email=f"mentor@{demo.DEMO_DOMAIN}")
    assert set(dee_claims.values_list("state", flat=True)) == {"paid", "approved", "queried", "submitted"}


def test_seed_demo_refuses_a_negative_number_of_session_logs():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--sessions"):
        call_command("seed_demo", "--size", "large", "--sessions", "-1")
    assert not Hub.objects.exists()  # refused before anything was written
