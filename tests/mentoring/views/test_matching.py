"""mentoring.views.matching: the matching screen for one woman and a hub's batch screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.models import Pair, PairStatus
from mentoring.selectors.matching import batch_for_hub
from mentoring.services.mentees import mentee_create
from tests.conftest import make_waiting

pytestmark = pytest.mark.django_db


def test_batch_screen_propose_and_turn_down(client, hub, carys, ros, assess, mentor_with):
    mentor = mentor_with(ros, carys)
    mentee = mentee_create(hub=hub, chosen_name="Nell", acting_user=carys)
    assess(mentee, carys, needs={"housing": 1})
    make_waiting(mentee, carys)
    client.force_login(carys)
    url = reverse("hub_batch_match", args=[hub.pk])
    assert "Nell" in client.get(url).content.decode()
    client.post(url, {"mentee": mentee.pk, "mentor": mentor.pk, "decision": "reject"})
    assert Pair.objects.get(mentee=mentee).status == PairStatus.NOT_TAKEN
    # Turned down once, the same two aren't suggested again.
    assert batch_for_hub(hub)[0] == []


def test_matching_screen_explains_and_proposes(client, june, carys, ros, mentor_with):
    mentor = mentor_with(ros, carys, lived=["housing"])
    client.force_login(carys)
    page = client.get(reverse("mentee_match", args=[june.pk])).content.decode()
    assert "Ros" in page and "points" in page
    response = client.post(reverse("mentee_match", args=[june.pk]), {"mentor": mentor.pk})
    pair = Pair.objects.get(mentee=june)
    assert response["Location"] == reverse("pair_detail", args=[pair.pk])


def test_matching_screen_says_why_when_nobody_fits(client, june, carys, ros, mentor_with):
    mentor_with(ros, carys, capacity=0)
    client.force_login(carys)
    page = client.get(reverse("mentee_match", args=[june.pk])).content.decode()
    assert "No mentor can be suggested" in page and "no free place" in page
