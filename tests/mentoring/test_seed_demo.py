import pytest
from django.core.management import call_command
from django.db.models import Q

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
from mentoring.policies.mentees import can_view_mentee, mentees_visible_to
from mentoring.services.intake import consent_in_force

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


def test_seed_demo_refuses_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_large_intake_gives_each_woman_a_completed_intake_as_the_services_would(carys, hub, other_hub, priya):
    """`seed_demo --size large` is too slow for the suite: its intake step runs here on a handful."""
    import random
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from demo.large.intake import seed_large_intake
    from mentoring.models import AffectsNow, ConsentKind, MenteeStatusChange
    from tests.factories import MenteeFactory

    hub.review_interval_weeks = 10
    hub.save()
    MenteeFactory.create_batch(12, hub=hub)
    MenteeFactory.create_batch(8, hub=other_hub)

    assert seed_large_intake(hubs=[hub, other_hub], rng=random.Random(7)) == 20
    mentees = list(Mentee.objects.select_related("latest_assessment", "hub"))
    now = timezone.now()
    for mentee in mentees:
        intake = mentee.latest_assessment
        assert intake is not None
        assert (intake.kind, intake.state) == ("intake", "complete")
        needs = list(intake.needs.all())
        assert 3 <= len(needs) <= 6
        assert mentee.need_count == sum(need.affects_now == AffectsNow.YES for need in needs)
        assert mentee.review_due_on == intake.assessed_on + timedelta(weeks=mentee.hub.review_interval_weeks)
        assert all(need.her_words and need.self_rating is not None and 0 <= need.self_rating <= 10 for need in needs)
        assert consent_in_force(mentee, ConsentKind.DATA_PROCESSING)
        if any(need.share_with_mentor for need in needs):
            assert consent_in_force(mentee, ConsentKind.SHARE_WITH_MENTOR)
        assert mentee.status_changed_at < now
        latest_change = MenteeStatusChange.objects.filter(mentee=mentee).first()
        assert latest_change is not None and latest_change.to_status == mentee.status
    assert {m.status for m in mentees} >= {"waiting", "matched", "assessing", "referred", "ended"}
    waiting = [m for m in mentees if m.status == "waiting"]
    assert all(m.latest_assessment and m.status_changed_at == m.latest_assessment.completed_at for m in waiting)

    # Her words are ciphertext in the database, so reading them costs real decryption.
    with connection.cursor() as cursor:
        cursor.execute("SELECT her_words FROM mentoring_needrating LIMIT 1")
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAA")

    def counts():
        return tuple(m.objects.count() for m in (Assessment, NeedRating, Consent, MenteeStatusChange))

    before = counts()
    assert seed_large_intake(hubs=[hub, other_hub], rng=random.Random(7)) == 0
    assert counts() == before


def test_large_mentors_and_pairs_leave_what_the_services_would(hub, carys):
    """The large seed's mentor and pair steps on a handful: every matched woman has one active
    pair, its mentor alone can see her, and no mentor holds more pairs than her capacity."""
    import random

    from django.db.models import Count

    from demo.large.intake import seed_large_intake
    from demo.large.mentors import seed_large_mentors, seed_large_pairs
    from tests.conftest import make_person
    from tests.factories import MenteeFactory

    mentors = [make_person(f"m{n}@example.test", f"M{n}", hub, Role.MENTOR) for n in range(6)]
    Mentor.objects.filter(user__in=mentors).delete()  # the large seed makes their records in bulk
    MenteeFactory.create_batch(40, hub=hub)
    rng = random.Random(3)
    seed_large_intake(hubs=[hub], rng=rng)
    assert seed_large_mentors(hubs=[hub], rng=rng) == 6
    made = seed_large_pairs(hubs=[hub], rng=rng)
    assert made > 0 and seed_large_pairs(hubs=[hub], rng=rng) == 0  # idempotent
    for mentee in Mentee.objects.filter(hub=hub, status="matched"):
        pair = Pair.objects.get(mentee=mentee, status="active")
        assert can_view_mentee(pair.mentor.user, mentee)
        assert [u for u in mentors if can_view_mentee(u, mentee)] == [pair.mentor.user]
    for mentor in Mentor.objects.filter(hub=hub).annotate(n=Count("pairs", filter=Q(pairs__status="active"))):
        assert mentor.n <= mentor.capacity
    assert not Pair.objects.filter(status="active").exclude(mentee__status="matched").exists()
