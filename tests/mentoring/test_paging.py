"""The capped count used by filtered lists."""

from __future__ import annotations

import pytest

from mentoring.models import Mentee
from mentoring.paging import CappedPaginator
from mentoring.services.mentees import mentee_create

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
