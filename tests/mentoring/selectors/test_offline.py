"""mentoring.selectors.offline: what a mentor's phone keeps is her active pairs' chosen names, her
organisation's active need areas and the choices; nothing of a pair paused, nothing of another
organisation, and each name sent is logged as a read."""

import pytest

from mentoring.models import AccessLog, NeedArea, Organisation
from mentoring.selectors.offline import offline_data_for
from mentoring.services.pairs import pair_pause

pytestmark = pytest.mark.django_db


def test_her_phone_keeps_her_active_pairs_names_and_her_organisations_areas(dee, dee_pair, carys):
    organisation = dee_pair.hub.organisation
    ours = NeedArea.objects.create(organisation=organisation, name="Court support", slug="court-support")
    NeedArea.objects.create(organisation=organisation, name="Retired area", slug="retired", is_active=False)
    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere")
    NeedArea.objects.create(organisation=elsewhere, name="Their own area", slug="their-own")

    data = offline_data_for(user=dee)
    assert data["pairs"] == [{"pair": dee_pair.pk, "name": "Amber", "organisation": organisation.pk}]
    names = [name for _, name in data["need_areas"][str(organisation.pk)]]
    assert "Court support" in names and "Housing and homelessness" in names
    assert "Retired area" not in names and "Their own area" not in names
    assert [ours.pk, "Court support"] in data["need_areas"][str(organisation.pk)]
    assert list(data["need_areas"]) == [str(organisation.pk)]
    assert AccessLog.objects.filter(user=dee, object_id=str(dee_pair.mentee_id)).count() == 1

    pair_pause(pair=dee_pair, acting_user=carys)
    assert offline_data_for(user=dee)["pairs"] == []
