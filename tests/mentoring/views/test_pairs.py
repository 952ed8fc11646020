"""mentoring.views.pairs: the pair list and a pair's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.models import Pair, Role
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import mentor_update_profile
from tests.conftest import make_active_pair, make_person
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_pair_list_query_count_does_not_grow(client, hub, carys):
    client.force_login(carys)

    def add_pairs(n: int) -> None:
        for k in range(n):
            user = make_person(f"m{Pair.objects.count()}-{k}@example.test", "M", hub, Role.MENTOR)
            mentee = mentee_create(hub=hub, chosen_name=f"W{k}", acting_user=carys)
            make_active_pair(mentee, user, carys)

    assert_queries_do_not_grow(client, reverse("pair_list"), add_pairs, rows=5)


def test_pair_page_says_whether_the_mentors_lived_experience_may_be_shared(client, carys, dee_pair):
    client.force_login(carys)
    url = reverse("pair_detail", args=[dee_pair.pk])
    assert "hasn't agreed to her lived experience being shared" in client.get(url).content.decode()
    mentor_update_profile(
        mentor=dee_pair.mentor, acting_user=carys, lived_experience_consent=True, share_lived_experience=True
    )
    assert "Amber may be told which experiences they share" in client.get(url).content.decode()
