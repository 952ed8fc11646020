"""Role homes and the mentee list: each role lands on its own page with its own menu."""

import pytest
from django.urls import reverse

from mentoring.models import Role
from mentoring.policies.mentees import revoke_mentee_view
from mentoring.services.people import membership_add
from tests.conftest import make_person
from tests.factories import MenteeFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

HOMES = {
    "coordinator": ("coordinator_home", "Coordinator home"),
    "safeguarding_lead": ("safeguarding:home", "Safeguarding home"),
    "mentor_paired": ("mentor_home", "My mentees"),
    "decision_maker": ("funding:home", "Programme overview"),
    "org_admin": ("orgadmin_home", "People and hubs"),
}


@pytest.mark.parametrize("who", HOMES)
def test_each_role_lands_on_its_home(client, everyone, who):
    client.force_login(everyone[who])
    url_name, heading = HOMES[who]
    response = client.get(reverse("home"))
    assert response["Location"] == reverse(url_name)
    page = client.get(response["Location"]).content.decode()
    assert f">{heading}</h1>" in page


def test_menus_differ_by_role(client, carys, dee):
    client.force_login(carys)
    coordinator_page = client.get(reverse("coordinator_home")).content.decode()
    assert f'href="{reverse("mentee_list")}"' in coordinator_page
    client.force_login(dee)
    mentor_page = client.get(reverse("mentor_home")).content.decode()
    assert f'href="{reverse("mentee_list")}"' not in mentor_page
    assert f'href="{reverse("invitation_create")}"' not in mentor_page


def test_someone_with_two_roles_gets_both_menus(client, hub, other_hub):
    user = make_person("two@example.test", "Two", hub, Role.COORDINATOR)

    membership_add(user=user, hub=other_hub, role=Role.MENTOR)
    client.force_login(user)
    page = client.get(reverse("coordinator_home")).content.decode()
    assert reverse("mentor_home") in page and reverse("mentee_list") in page


def test_mentor_home_shows_only_her_mentees(client, dee, amber, hub):
    MenteeFactory(hub=hub, chosen_name="Cleo")
    client.force_login(dee)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "Amber" in page and "Cleo" not in page
    revoke_mentee_view(dee, amber)
    assert "Amber" not in client.get(reverse("mentor_home")).content.decode()


def test_mentee_list_search_and_scope(client, carys, amber, bea, hub):
    MenteeFactory(hub=hub, chosen_name="Cleo")
    client.force_login(carys)
    page = client.get(reverse("mentee_list")).content.decode()
    assert "Amber" in page and "Cleo" in page and "Bea" not in page
    page = client.get(reverse("mentee_list"), {"q": "cle"}).content.decode()
    assert "Cleo" in page and "Amber" not in page


def test_mentee_list_query_count_does_not_grow(client, carys, hub):
    client.force_login(carys)
    assert_queries_do_not_grow(
        client, reverse("mentee_list"), lambda n: MenteeFactory.create_batch(n, hub=hub), rows=30
    )


def test_coordinator_and_org_admin_homes_query_counts_do_not_grow(client, carys, olu, hub):
    from tests.factories import UserFactory

    client.force_login(carys)
    assert_queries_do_not_grow(client, reverse("coordinator_home"), lambda n: MenteeFactory.create_batch(n, hub=hub))
    client.force_login(olu)

    def add_people(n):
        for i in range(n):
            make_person(f"p{i}@example.test", f"P{i}", hub, Role.MENTOR)

    assert_queries_do_not_grow(client, reverse("orgadmin_home"), add_people)
    assert UserFactory._meta.model.objects.count() > 10


def test_coordinator_home_counts_each_hub_once(client, carys, hub, other_hub, ros, dee):

    membership_add(user=carys, hub=other_hub, role=Role.COORDINATOR)
    MenteeFactory.create_batch(3, hub=hub)  # with Amber (Dee's mentee): 4 in Saltmarsh Bay
    MenteeFactory.create_batch(2, hub=other_hub)
    make_person("kim@example.test", "Kim", other_hub, Role.MENTOR)
    client.force_login(carys)
    page = client.get(reverse("coordinator_home")).content.decode()
    assert "4 mentees · 2 mentors" in page  # Ros and Dee; a join would multiply one by the other
    assert "2 mentees · 1 mentor<" in page
