import pytest
from django.core.management import call_command

from mentoring import demo, policies
from mentoring.models import Assessment, Consent, Goal, Hub, Membership, Mentee, NeedRating, Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_three_hubs_and_every_role_and_is_idempotent(capsys):
    def counts():
        return tuple(m.objects.count() for m in (Hub, User, Mentee, Membership, Assessment, NeedRating, Consent, Goal))

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
    assert policies.mentees_visible_to(mentor).count() == 1
    # Intake: every hub has women at several stages, with her words, consents and a review.
    assert set(Mentee.objects.values_list("status", flat=True)) >= {"referred", "waiting", "matched"}
    assert Assessment.objects.filter(kind="review", state="complete").exists()
    assert Mentee.objects.filter(need_count__gte=3).exists()
    assert Hub.objects.filter(mentees__status="waiting").distinct().count() == 3


def test_seed_demo_refuses_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
