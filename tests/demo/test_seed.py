"""demo.seed: the small demo, through `seed_demo`."""

import pytest
from django.core.management import call_command

from demo import seed as demo
from mentoring.models import (
    Assessment,
    Consent,
    Goal,
    Hub,
    Membership,
    Mentee,
    Mentor,
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
        models = (Hub, User, Mentee, Membership, Assessment, NeedRating, Consent, Goal, Mentor, Pair, PairAgreement)
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
