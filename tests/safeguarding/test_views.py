import pytest
from django.urls import reverse

from mentoring.models import AccessLog
from mentoring.policies.audit import access_log_record
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_lead_sees_who_looked_at_records_in_her_hubs_only(client, maz, carys, priya, amber, bea):
    access_log_record(user=carys, action=AccessLog.Action.VIEW, obj=amber, hub=amber.hub)
    access_log_record(user=priya, action=AccessLog.Action.VIEW, obj=bea, hub=bea.hub)
    client.force_login(maz)
    page = client.get(reverse("safeguarding:home")).content.decode()
    assert f"mentoring.mentee #{amber.pk}" in page
    assert f"mentoring.mentee #{bea.pk}" not in page
    assert "<td>Carys</td>" in page and "<td>Viewed</td>" in page  # who, and what in words
    assert "Amber" not in page  # ids, never names


def test_access_log_page_query_count_does_not_grow(client, maz, carys, amber):
    client.force_login(maz)

    def add(n):
        for _ in range(n):
            access_log_record(user=carys, action=AccessLog.Action.VIEW, obj=amber, hub=amber.hub)

    assert_queries_do_not_grow(client, reverse("safeguarding:home"), add)
