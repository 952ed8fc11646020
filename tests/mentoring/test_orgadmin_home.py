"""The org admin's people and hubs page: people in pages of 25, found by name, email or role."""

import re

import pytest
from django.urls import reverse

from mentoring.models import Invitation, Role
from mentoring.services.people import invitation_create, membership_add
from mentoring.views.homes import PEOPLE_PAGE_SIZE, RECENT_INVITATIONS
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def names_on(page: str) -> list[str]:
    return re.findall(r"<td>([^<]+)<br><span", page)


def test_people_in_her_hubs_only_with_roles_in_her_hubs_only(client, olu, carys, ros, priya, other_hub):
    membership_add(user=carys, hub=other_hub, role=Role.MENTOR)
    client.force_login(olu)
    page = client.get(reverse("orgadmin_home")).content.decode()
    assert set(names_on(page)) == {"Carys", "Olu", "Ros"}
    assert "3 people" in page  # Carys once, though she holds two roles
    assert "Coordinator (Saltmarsh Bay)" in page
    assert "Kingsmere" not in page  # her role in a hub Olu doesn't administer stays out of view


def test_search_by_name_or_email_and_filter_by_role(client, olu, carys, ros, maz):
    client.force_login(olu)
    url = reverse("orgadmin_home")
    found = client.get(url, {"q": "ros"}).content.decode()
    assert names_on(found) == ["Ros"] and "1 person found" in found
    assert names_on(client.get(url, {"q": "MAZ@EXAMPLE"}).content.decode()) == ["Maz"]
    assert names_on(client.get(url, {"role": Role.COORDINATOR}).content.decode()) == ["Carys"]
    assert names_on(client.get(url, {"q": "carys", "role": Role.MENTOR}).content.decode()) == []
    # An unknown role is ignored, not an error.
    assert len(names_on(client.get(url, {"role": "captain"}).content.decode())) == 4


def test_people_come_in_pages(client, olu, hub):
    for i in range(PEOPLE_PAGE_SIZE + 5):
        make_person(f"m{i:02}@example.test", f"Mentor {i:02}", hub, Role.MENTOR)
    client.force_login(olu)
    url = reverse("orgadmin_home")
    first = client.get(url, {"role": Role.MENTOR}).content.decode()
    assert len(names_on(first)) == PEOPLE_PAGE_SIZE and "Page 1 of 2" in first
    assert f"{PEOPLE_PAGE_SIZE + 5} people found" in first
    assert "?role=mentor&amp;page=2" in first
    second = names_on(client.get(url, {"role": Role.MENTOR, "page": 2}).content.decode())
    assert second == [f"Mentor {i:02}" for i in range(PEOPLE_PAGE_SIZE, PEOPLE_PAGE_SIZE + 5)]
    assert len(names_on(client.get(url, {"page": "999"}).content.decode())) > 0  # past the end: the last page


def test_deactivating_returns_to_the_same_page_and_only_to_it(client, olu, ros, carys):
    client.force_login(olu)
    back = reverse("orgadmin_home") + "?q=ros&page=1"
    response = client.post(reverse("person_deactivate", args=[ros.pk]), {"next": back})
    assert response["Location"] == back
    response = client.post(reverse("person_reactivate", args=[ros.pk]), {"next": "https://elsewhere.test/"})
    assert response["Location"] == reverse("orgadmin_home")
    response = client.post(reverse("person_deactivate", args=[carys.pk]), {"next": "/organisation-evil/"})
    assert response["Location"] == reverse("orgadmin_home")


def test_only_the_latest_invitations_show(client, olu, hub):
    for i in range(RECENT_INVITATIONS + 2):
        invitation_create(invited_by=olu, email=f"new{i}@example.test", hub=hub, role=Role.MENTOR)
    client.force_login(olu)
    page = client.get(reverse("orgadmin_home")).content.decode()
    assert page.count("Withdraw<span") == RECENT_INVITATIONS
    assert f"The latest {RECENT_INVITATIONS} are shown" in page
    assert Invitation.objects.count() == RECENT_INVITATIONS + 2


def test_invitations_to_her_hubs_only(client, olu, hub, priya, other_hub):
    invitation_create(invited_by=olu, email="mine@example.test", hub=hub, role=Role.COORDINATOR)
    invitation_create(invited_by=priya, email="theirs@example.test", hub=other_hub, role=Role.MENTOR)
    client.force_login(olu)
    page = client.get(reverse("orgadmin_home")).content.decode()
    assert "mine@example.test" in page and "theirs@example.test" not in page
