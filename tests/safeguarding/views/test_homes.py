import pytest
from django.urls import reverse

from mentoring.models import AccessLog
from mentoring.policies.audit import access_log_record
from tests.conftest import shows_name
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_lead_sees_who_looked_at_records_in_her_hubs_only(client, maz, carys, priya, amber, bea):
    access_log_record(user=carys, action=AccessLog.Action.VIEW, obj=amber, hub=amber.hub)
    access_log_record(user=priya, action=AccessLog.Action.VIEW, obj=bea, hub=bea.hub)
    client.force_login(maz)
    page = client.get(reverse("safeguarding:home")).content.decode()
    assert f'<a href="/mentees/{amber.pk}/">Amber</a>' in page  # named as people say it, linked
    assert "mentoring.mentee" not in page
    assert not shows_name(page, "Bea")  # another hub's log
    assert '<td data-label="Who">Carys</td>' in page and '<td data-label="What">Viewed</td>' in page
    assert reverse("safeguarding:access_log") in page


def test_home_query_count_does_not_grow(client, maz, carys, amber):
    client.force_login(maz)

    def add(n):
        for _ in range(n):
            access_log_record(user=carys, action=AccessLog.Action.VIEW, obj=amber, hub=amber.hub)

    assert_queries_do_not_grow(client, reverse("safeguarding:home"), add)


def test_others_are_refused(client, carys):
    client.force_login(carys)
    assert client.get(reverse("safeguarding:home")).status_code == 403
