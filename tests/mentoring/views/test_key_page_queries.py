"""The key record and matching pages make a fixed number of queries, however much a record holds
or however many mentors a hub has: a page that starts to ask once per row fails here, before the
benchmark. (The list and home pages have theirs beside their other tests.)"""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from mentoring.models import ConsentKind, Role
from mentoring.services.intake import consent_record, goal_create
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import reference_add, training_module_add, training_record
from mentoring.services.pairs import pair_review_record
from tests.conftest import make_person, make_waiting, shows_name
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db
_n = itertools.count()


def test_her_record_page(client, carys, june):
    client.force_login(carys)

    def add(n: int) -> None:
        for _ in range(n):
            goal_create(mentee=june, her_words=f"Goal {next(_n)}", acting_user=carys)
            consent_record(mentee=june, kind=ConsentKind.CONTACT_TEXT, given=True, method="verbal", acting_user=carys)

    url = reverse("mentee_detail", args=[june.pk])
    assert_queries_do_not_grow(client, url, add, rows=6)
    assert june.goals.count() == 8


def test_a_mentors_record_page(client, carys, olu, hub, dee_pair):
    client.force_login(carys)
    mentor = dee_pair.mentor

    def add(n: int) -> None:
        for _ in range(n):
            number = next(_n)
            reference_add(mentor=mentor, referee=f"Referee {number}", relationship="employer", acting_user=carys)
            module = training_module_add(
                organisation_id=hub.organisation_id, name=f"Module {number}", is_core=False, acting_user=olu
            )
            training_record(mentor=mentor, module=module, acting_user=carys)

    url = reverse("mentor_detail", args=[mentor.pk])
    assert_queries_do_not_grow(client, url, add, rows=6)
    assert mentor.references.count() == 8 and shows(client, url, f"Module {next(_n) - 1}")


def test_a_pairs_page(client, carys, dee_pair):
    client.force_login(carys)

    def add(n: int) -> None:
        for _ in range(n):
            pair_review_record(pair=dee_pair, notes=f"Review {next(_n)}", acting_user=carys)

    url = reverse("pair_detail", args=[dee_pair.pk])
    assert_queries_do_not_grow(client, url, add, rows=6)
    assert dee_pair.reviews.count() == 8


def shows(client, url: str, *texts: str) -> bool:
    """The rows added are on the page: the count held with them there, not without them."""
    page = client.get(url).content.decode()
    return all(shows_name(page, text) for text in texts)


def _ready_mentors(hub, carys, make_ready):
    def add(n: int) -> None:
        for _ in range(n):
            number = next(_n)
            make_ready(make_person(f"ready{number}@example.test", f"Ready{number}", hub, Role.MENTOR), carys)

    return add


def test_finding_a_mentor_for_her(client, carys, hub, june, make_ready, core_module):
    client.force_login(carys)
    url = reverse("mentee_match", args=[june.pk])
    assert_queries_do_not_grow(client, url, _ready_mentors(hub, carys, make_ready), rows=8)
    assert shows(client, url, f"Ready{next(_n) - 1}")


def test_suggesting_mentors_for_everyone_waiting(client, carys, hub, june, make_ready, core_module, assess):
    client.force_login(carys)
    ready = _ready_mentors(hub, carys, make_ready)

    def add(n: int) -> None:
        ready(n)
        for _ in range(n):
            woman = mentee_create(hub=hub, chosen_name=f"Waiting{next(_n)}", acting_user=carys)
            assess(woman, carys, needs={"housing": 2})
            make_waiting(woman, carys)

    url = reverse("hub_batch_match", args=[hub.pk])
    assert_queries_do_not_grow(client, url, add, rows=6)
    assert shows(client, url, f"Waiting{next(_n) - 1}")
