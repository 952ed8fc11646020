"""mentoring.models.intake: the standard need areas the migrations seed."""

import pytest

pytestmark = pytest.mark.django_db


def test_standard_need_areas_are_seeded(areas):
    assert len(areas) >= 14
    assert {"domestic-abuse", "housing", "immigration", "exploitation"} <= set(areas)
