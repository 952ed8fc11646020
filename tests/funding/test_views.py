import pytest
from django.urls import reverse

from funding.models import SuppressionThreshold
from tests.factories import MenteeFactory
from tests.querycount import assert_queries_do_not_grow, count_queries

pytestmark = pytest.mark.django_db


def test_decision_maker_sees_suppressed_aggregates_never_names(client, ann, hub, amber):
    MenteeFactory.create_batch(2, hub=hub)
    client.force_login(ann)
    page = client.get(reverse("funding:home")).content.decode()
    assert hub.name in page
    assert "&lt;5" in page  # three mentees
    assert "Counts from 1 to 4 show as “&lt;5”" in page
    assert "Amber" not in page


def test_the_page_names_the_organisations_threshold(client, ann, hub, organisation):
    SuppressionThreshold.objects.create(organisation=organisation, threshold=10)
    MenteeFactory.create_batch(7, hub=hub)
    client.force_login(ann)
    page = client.get(reverse("funding:home")).content.decode()
    assert "Counts from 1 to 9 show as “&lt;10”" in page
    assert ">7<" not in page


def test_overview_query_count_does_not_grow(client, ann, hub):
    client.force_login(ann)
    assert_queries_do_not_grow(client, reverse("funding:home"), lambda n: MenteeFactory.create_batch(n, hub=hub))


def test_overview_makes_three_queries_and_one_suppression_call(client, ann, hub, other_hub, organisation):
    """Her session, her account (with her roles and two-factor set-up), and her hubs with their
    threshold and counts: one suppression call needs nothing more."""
    SuppressionThreshold.objects.create(organisation=organisation, threshold=5)
    MenteeFactory.create_batch(3, hub=hub)
    client.force_login(ann)
    client.get(reverse("funding:home"))
    assert count_queries(client, reverse("funding:home")) == 3
