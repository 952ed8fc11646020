"""The capped count used by filtered lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.models import Mentee
from mentoring.paging import CappedPaginator
from mentoring.services.mentees import mentee_create
from mentoring.views import mentees as mentee_views

pytestmark = pytest.mark.django_db


def test_counts_up_to_the_cap_and_says_when_there_are_more(hub, carys):
    for n in range(5):
        mentee_create(hub=hub, chosen_name=f"Nell {n}", acting_user=carys)
    women = Mentee.objects.filter(chosen_name__startswith="Nell").order_by("chosen_name")
    capped = CappedPaginator(women, 2, cap=3)
    assert (capped.count, capped.capped, capped.num_pages) == (3, True, 2)
    # The pages keep their order; the last page stops at the cap.
    assert [m.chosen_name for m in capped.page(2)] == ["Nell 2"]
    roomy = CappedPaginator(women, 2, cap=10)
    assert (roomy.count, roomy.capped, roomy.num_pages) == (5, False, 3)


def test_a_filtered_mentee_list_says_when_it_has_counted_only_so_far(client, hub, carys, monkeypatch):
    monkeypatch.setattr(mentee_views, "FILTERED_COUNT_CAP", 3)
    for n in range(5):
        mentee_create(hub=hub, chosen_name=f"Nell {n}", acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("mentee_list"), {"q": "Nell"}).content.decode()
    assert "More than 3 mentees match" in page
    unfiltered = client.get(reverse("mentee_list")).content.decode()
    assert "5 mentees" in unfiltered and "More than" not in unfiltered
