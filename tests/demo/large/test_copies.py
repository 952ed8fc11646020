"""demo.large.copies: `seed_demo --size large --scale N`, its copies of the large set, on a handful."""

import random

import pytest
from django.apps import apps
from django.db import connection
from pghistory.models import Event

from demo.large.bulk import checked_per_statement
from demo.large.copies import COPIED, LARGE_MODELS, copy_email, copy_name, copy_slug, seed_copies
from demo.large.intake import seed_large_intake
from demo.large.mentors import seed_large_mentors, seed_large_pairs
from demo.large.sessions import seed_large_sessions
from mentoring.models import Hub, Membership, Mentee, Mentor, Pair, Role, TrainingModule, User
from mentoring.policies.mentees import can_view_mentee, mentees_visible_to
from tests.conftest import make_person
from tests.demo.test_seed import assert_histories_in_date_order
from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db


def test_copy_one_keeps_its_names_and_each_further_copy_has_its_own():
    assert (copy_slug("bench-07", 1), copy_email("bench@demo.test", 1), copy_name("Hub 07", 1)) == (
        "bench-07",
        "bench@demo.test",
        "Hub 07",
    )
    assert copy_slug("bench-07", 3) == "x3-bench-07"
    assert copy_email("bench.mentor0001@demo.test", 3) == "x3.bench.mentor0001@demo.test"
    assert copy_name("Benchmark hub 07", 3) == "Benchmark hub 07 (copy 3)"
    assert len({copy_slug("bench-07", n) for n in range(1, 11)}) == 10


def _counts(hubs: list[Hub]) -> dict[str, int]:
    counts = {model.__name__: model._default_manager.filter(**{f"{path}__in": hubs}).count() for model, path in COPIED}
    return {"Hub": len(hubs), **counts}


def _large_set_of_a_handful(hub: Hub, *, sessions: int = 120) -> None:
    """The large seed's steps on one hub: its coordinator (carys), six mentors, 30 women and
    `sessions` session logs."""
    rng = random.Random(5)
    mentors = [make_person(f"m{n}@example.test", f"M{n}", hub, Role.MENTOR) for n in range(6)]
    Mentor.objects.filter(user__in=mentors).delete()  # the large seed makes their records in bulk
    MenteeFactory.create_batch(30, hub=hub, contact_details="07700 900123")
    seed_large_intake(hubs=[hub], rng=rng)
    seed_large_mentors(hubs=[hub], rng=rng)
    seed_large_pairs(hubs=[hub], rng=rng)
    with checked_per_statement():
        seed_large_sessions(hubs=[hub], rng=rng, count=sessions)


def test_a_copy_is_copy_one_again_in_hubs_and_accounts_of_its_own(hub, carys):
    _large_set_of_a_handful(hub)
    before = _counts([hub])
    assert seed_copies(hubs=[hub], scale=3) == [2, 3]

    twin_hub = Hub.objects.get(slug=copy_slug(hub.slug, 2))
    assert (twin_hub.organisation_id, twin_hub.name) == (hub.organisation_id, copy_name(hub.name, 2))
    assert _counts([twin_hub]) == before
    assert _counts([Hub.objects.get(slug=copy_slug(hub.slug, 3))]) == before
    # Her coordinator's scope is what it was; her twin holds her role in the copy's hub alone.
    assert set(Membership.objects.filter(user=carys).values_list("hub", flat=True)) == {hub.pk}
    twin = User.objects.get(email=copy_email(carys.email, 2))
    assert list(Membership.objects.filter(user=twin).values_list("hub", "role")) == [(twin_hub.pk, Role.COORDINATOR)]
    assert mentees_visible_to(carys).count() == before["Mentee"]
    assert mentees_visible_to(twin).filter(hub=twin_hub).count() == before["Mentee"]

    # A matched woman's copy has her own active pair, and only its mentor (a copy too) sees her.
    copies = Mentee.objects.filter(hub=twin_hub)
    for mentee in copies.filter(status="matched"):
        pair = Pair.objects.select_related("mentor__user").get(mentee=mentee, status="active")
        assert pair.hub_id == twin_hub.pk and pair.mentor.hub_id == twin_hub.pk
        assert pair.mentor.user.email.startswith("x2.")
        assert can_view_mentee(pair.mentor.user, mentee)
        assert not can_view_mentee(User.objects.get(email=pair.mentor.user.email[3:]), mentee)
    # Her latest assessment is her copy's own, her words still ciphertext that reads back.
    for mentee in copies.select_related("latest_assessment"):
        assert mentee.latest_assessment is not None and mentee.latest_assessment.mentee_id == mentee.pk
        assert mentee.contact_details == "07700 900123"
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_details FROM mentoring_mentee WHERE hub_id = %s LIMIT 1", [twin_hub.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAA")
    # The history triggers wrote each copy's history as for copy 1's rows.
    history = apps.get_model("mentoring", "MenteeEvent").objects.filter(pgh_obj__hub=twin_hub, pgh_label="insert")
    assert history.count() == before["Mentee"]
    assert_histories_in_date_order(copies, Pair.objects.filter(hub=twin_hub))

    # The same scale again adds nothing; a larger one adds only the copies missing.
    everything = Hub.objects.filter(organisation=hub.organisation)
    total = _counts(list(everything))
    assert seed_copies(hubs=[hub], scale=3) == []
    assert _counts(list(everything)) == total
    assert seed_copies(hubs=[hub], scale=4) == [4]
    assert _counts([Hub.objects.get(slug=copy_slug(hub.slug, 4))]) == before


def test_every_table_the_large_seed_writes_is_copied(hub, carys):
    """A table the large seed comes to write, and the copies miss, would leave the copies short."""

    def counts():
        return {model: model._default_manager.count() for model in apps.get_models()}

    start = counts()
    _large_set_of_a_handful(hub)
    grown = {model for model, count in counts().items() if count > start[model]}
    # History rows are the triggers' own; the training module is the organisation's, for every copy.
    grown -= {model for model in grown if issubclass(model, Event)} | {TrainingModule}
    assert {Mentor, Pair} <= grown
    assert grown - set(LARGE_MODELS) == set()
