import pytest
from django.urls import reverse

from tests.factories import MenteeFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_decision_maker_sees_suppressed_aggregates_never_names(client, ann, hub, amber):
    MenteeFactory.create_batch(2, hub=hub)
    client.force_login(ann)
    page = client.get(reverse("funding:home")).content.decode()
    assert hub.name in page
    assert "&lt;5" in page  # three mentees
    assert "Amber" not in page


def test_overview_query_count_does_not_grow(client, ann, hub):
    client.force_login(ann)
    assert_queries_do_not_grow(client, reverse("funding:home"), lambda n: MenteeFactory.create_batch(n, hub=hub))
