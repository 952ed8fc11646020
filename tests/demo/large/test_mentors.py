"""demo.large.mentors: the large seed's mentor and pair steps, on a handful."""

import pytest
from django.db.models import Q

from mentoring.models import Mentee, Mentor, Pair, Role
from mentoring.policies.mentees import can_view_mentee
from tests.demo.test_seed import assert_histories_in_date_order

pytestmark = pytest.mark.django_db


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
    # Her history and her pair's agree, and both run forward in time.
    assert_histories_in_date_order(Mentee.objects.filter(hub=hub), Pair.objects.filter(hub=hub))
    for pair in Pair.objects.filter(hub=hub):
        matched = pair.mentee.status_changes.filter(to_status="matched").latest("created_at")
        assert matched.changed_on == pair.activated_on
