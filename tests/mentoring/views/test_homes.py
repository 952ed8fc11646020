"""mentoring.views.homes: each role lands on its own home with its own menu; the mentor's home, the
coordinator's and the org admin's people and hubs page (people in pages of 25, found by name,
email or role)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Invitation, Mentor, Role
from mentoring.policies.mentees import revoke_mentee_view
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import mentor_update_profile
from mentoring.services.pairs import pair_agreement_save, pair_end
from mentoring.services.people import invitation_create, membership_add
from mentoring.views.homes import PEOPLE_PAGE_SIZE, RECENT_INVITATIONS
from tests.conftest import make_active_pair, make_person
from tests.factories import MenteeFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def names_on(page: str) -> list[str]:
    return re.findall(r"<td>([^<]+)<br><span", page)


HOMES = {
    "coordinator": ("coordinator_home", "Coordinator home"),
    "safeguarding_lead": ("safeguarding:home", "Safeguarding home"),
    "mentor_paired": ("mentor_home", "My mentees"),
    "decision_maker": ("funding:home", "Programme overview"),
    "org_admin": ("orgadmin_home", "People and hubs"),
}


# --- every role's home ---


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


def test_menus_link_the_new_screens(client, carys, olu):
    client.force_login(carys)
    assert f'href="{reverse("mentor_list")}"' in client.get(reverse("coordinator_home")).content.decode()
    client.force_login(olu)
    assert f'href="{reverse("training_modules")}"' in client.get(reverse("orgadmin_home")).content.decode()


# --- the mentor's home ---


def test_mentor_home_shows_only_her_mentees(client, dee, amber, hub):
    MenteeFactory(hub=hub, chosen_name="Cleo")
    client.force_login(dee)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "Amber" in page and "Cleo" not in page
    revoke_mentee_view(dee, amber)
    assert "Amber" not in client.get(reverse("mentor_home")).content.decode()


def test_mentor_home_shows_only_her_active_pairs_and_loses_them_at_once(client, carys, dee, dee_pair, hub):
    other = mentee_create(hub=hub, chosen_name="Zara", acting_user=carys)
    client.force_login(dee)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "Amber" in page and "Zara" not in page and other.pk
    pair_end(pair=dee_pair, end_reason="mutual", acting_user=carys)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "Amber" not in page
    assert client.get(reverse("mentee_detail", args=[dee_pair.mentee_id])).status_code == 404


def test_mentor_home_query_count_does_not_grow(client, hub, carys, ros, make_ready):
    client.force_login(ros)
    make_ready(ros, carys)
    mentor_update_profile(mentor=Mentor.objects.get(user=ros), acting_user=carys, capacity=6)

    def add_pairs(n: int) -> None:
        for k in range(n):
            mentee = mentee_create(hub=hub, chosen_name=f"W{k}", acting_user=carys)
            pair = make_active_pair(mentee, ros, carys)
            pair_agreement_save(pair=pair, acting_user=carys, if_worried_about_safety="Tell her first.")

    assert_queries_do_not_grow(client, reverse("mentor_home"), add_pairs, rows=3)


def test_mentor_home_shows_her_training_with_the_day_each_was_done_in_eight_queries(
    client, hub, carys, olu, dee, dee_pair
):
    from datetime import date

    from mentoring.services.mentors import training_module_add, training_record
    from tests.querycount import count_queries

    mentor = Mentor.objects.get(user=dee)
    done = training_module_add(organisation_id=hub.organisation_id, name="Boundaries", is_core=True, acting_user=olu)
    training_module_add(
        organisation_id=hub.organisation_id, name="Trauma-informed listening", is_core=False, acting_user=olu
    )
    training_record(mentor=mentor, module=done, acting_user=carys, completed_on=date(2026, 3, 4))
    client.force_login(dee)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "Boundaries (core): done 4 Mar 2026" in page
    assert "Trauma-informed listening: <strong>to do</strong>" in page
    # Her session, her account with her roles, her record, her pairs, their agreements, each
    # woman's consents, the access log's one insert, her training.
    assert count_queries(client, reverse("mentor_home")) == 8


# --- the coordinator's home ---


def test_coordinator_and_org_admin_homes_query_counts_do_not_grow(client, carys, olu, hub):
    from tests.factories import UserFactory

    client.force_login(carys)
    assert_queries_do_not_grow(client, reverse("coordinator_home"), lambda n: MenteeFactory.create_batch(n, hub=hub))
    client.force_login(olu)

    def add_people(n):
        # Mentors and staff, with and without two-factor sign-in, some who have signed in: each
        # column the table shows, so none of them may cost a query per person.
        start = UserFactory._meta.model.objects.count()
        for i in range(start, start + n):
            person = make_person(
                f"p{i}@example.test", f"P{i}", hub, Role.COORDINATOR if i % 2 else Role.MENTOR, mfa=i % 3 == 0
            )
            if i % 4:
                UserFactory._meta.model.objects.filter(pk=person.pk).update(last_login=timezone.now())

    assert_queries_do_not_grow(client, reverse("orgadmin_home"), add_people)
    assert UserFactory._meta.model.objects.count() > 10


def test_people_show_their_last_sign_in_and_whether_two_factor_is_set_up(client, olu, carys, ros, hub):
    from mentoring.models import User

    make_person("sam@example.test", "Sam", hub, Role.SAFEGUARDING_LEAD, mfa=False)
    User.objects.filter(pk=carys.pk).update(last_login=timezone.make_aware(datetime(2026, 3, 4, 9, 30)))
    client.force_login(olu)
    page = client.get(reverse("orgadmin_home")).content.decode()
    rows = {name: row for name, row in re.findall(r"<tr>\s*<td>([^<]+)<br>(.*?)</tr>", page, re.S)}
    assert "4 Mar 2026, 09:30" in rows["Carys"] and "Set up" in rows["Carys"]
    assert "Never" in rows["Ros"] and "Not set up" in rows["Ros"] and "badge" not in rows["Ros"]  # a mentor: optional
    assert "Never" in rows["Sam"] and 'badge text-bg-warning">Not set up' in rows["Sam"]  # staff must have it
    # The table stacks on a phone, each cell saying what it is.
    assert 'class="table table-sm align-middle table-stack"' in page
    assert 'data-label="Last signed in"' in page and 'data-label="Two-factor"' in page


def test_coordinator_home_counts_each_hub_once(client, carys, hub, other_hub, ros, dee):

    membership_add(user=carys, hub=other_hub, role=Role.COORDINATOR)
    MenteeFactory.create_batch(3, hub=hub)  # with Amber (Dee's mentee): 4 in Saltmarsh Bay
    MenteeFactory.create_batch(2, hub=other_hub)
    make_person("kim@example.test", "Kim", other_hub, Role.MENTOR)
    client.force_login(carys)
    page = client.get(reverse("coordinator_home")).content.decode()
    assert "4 mentees · 2 mentors" in page  # Ros and Dee; a join would multiply one by the other
    assert "2 mentees · 1 mentor<" in page


# --- the org admin's people and hubs ---


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


def test_sign_in_sessions_are_called_signed_in_devices(client, carys):
    """A mentoring team reads "sessions" as mentoring sessions."""
    client.force_login(carys)
    home = client.get(reverse("coordinator_home")).content.decode()
    assert f'href="{reverse("usersessions_list")}">Signed-in devices</a>' in home
    assert "My sessions" not in home
    page = client.get(reverse("usersessions_list")).content.decode()
    assert "<title>Signed-in devices · Alongside</title>" in page
    assert '<h1 class="h3 mb-3">Signed-in devices</h1>' in page
    assert '<span class="badge text-bg-success">This device</span>' in page
    assert "Sessions" not in page
