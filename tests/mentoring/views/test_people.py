"""mentoring.views.people: invitations (sent, accepted once, expired, revoked), deactivating people,
and a hub's settings."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Hub, Invitation, MatchingSettings, Membership, Role, User
from mentoring.services.people import hub_update_settings, invitation_create, invitation_send, membership_add
from mentoring.tasks import expire_invitations
from tests.conftest import make_person
from tests.once import form_token

pytestmark = pytest.mark.django_db

# The hub's name, which its settings form sends with every change (it is where she renames it).
SALTMARSH = {"name": "Saltmarsh Bay"}


def invite(client, inviter, hub, email="newmentor@example.test", role=Role.MENTOR):
    client.force_login(inviter)
    return client.post(reverse("invitation_create"), {"email": email, "hub": hub.pk, "role": role})


def link_in_last_email() -> str:
    match = re.search(r"http://\S+/invite/(\S+)/", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


# --- invitations ---


def test_coordinator_invites_a_mentor_and_the_email_carries_no_personal_data(
    client, carys, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, carys, hub)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newmentor@example.test"]
    text = f"{message.subject}\n{message.body}"
    for personal in ("Carys", "carys@", hub.name, "mentor", "Saltmarsh"):
        assert personal.lower() not in text.lower()
    # Only a hash of the token is stored: a copy of the database can't be used to join.
    token = link_in_last_email()
    assert Invitation.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_link_works_once_and_creates_the_account_with_the_role(client, carys, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, carys, hub)
    token = link_in_last_email()
    client.logout()
    url = reverse("invitation_accept", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"display_name": "Nova", "password1": "a-strong-pass-phrase", "password2": "a-strong-pass-phrase"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="newmentor@example.test")
    assert Membership.objects.filter(user=user, hub=hub, role=Role.MENTOR).exists()
    assert client.get(reverse("mentor_home")).status_code == 200  # signed in

    client.logout()
    assert client.get(url).status_code == 404  # the token is gone after use
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED


def test_bad_password_keeps_what_she_typed(client, carys, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, carys, hub)
    client.logout()
    url = reverse("invitation_accept", args=[link_in_last_email()])
    response = client.post(url, {"display_name": "Nova", "password1": "short", "password2": "short"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Nova"' in page
    assert "too short" in page
    assert not User.objects.filter(email="newmentor@example.test").exists()


def test_expired_link_is_refused_and_the_periodic_job_marks_it(client, carys, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, carys, hub)
    token = link_in_last_email()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    assert client.get(reverse("invitation_accept", args=[token])).status_code == 410
    assert expire_invitations.delay().get() == 1
    assert Invitation.objects.get().status == Invitation.Status.EXPIRED
    assert client.get(reverse("invitation_accept", args=[token])).status_code == 404


def test_revoked_link_stops_working(client, carys, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, carys, hub)
    token = link_in_last_email()
    invitation = Invitation.objects.get()
    assert client.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 302
    client.logout()
    assert client.get(reverse("invitation_accept", args=[token])).status_code == 404


def test_an_invitation_is_sent_again_from_the_list_with_a_new_link(
    client, olu, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, olu, hub)
    old_token = link_in_last_email()
    invitation = Invitation.objects.get()
    home = client.get(reverse("orgadmin_home")).content.decode()
    resend = reverse("invitation_resend", args=[invitation.pk])
    assert f'action="{resend}"' in home
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, {"next": reverse("orgadmin_home")}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgadmin_home")
    assert "Invitation sent again" in response.content.decode()
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["newmentor@example.test"]
    new_token = link_in_last_email()
    assert new_token != old_token
    client.logout()
    assert client.get(reverse("invitation_accept", args=[old_token])).status_code == 404
    assert client.get(reverse("invitation_accept", args=[new_token])).status_code == 200


def test_a_withdrawn_invitation_offers_no_send_again_and_refuses_one_with_a_message(
    client, olu, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, olu, hub)
    invitation = Invitation.objects.get()
    client.post(reverse("invitation_revoke", args=[invitation.pk]))
    page = client.get(reverse("invitation_create")).content.decode()
    assert reverse("invitation_resend", args=[invitation.pk]) not in page
    # The list stacks on a phone rather than scrolling sideways.
    assert 'class="table table-sm align-middle table-stack" aria-label="Invitations sent"' in page
    assert "table-responsive" not in page
    response = client.post(reverse("invitation_resend", args=[invitation.pk]), follow=True)
    assert "can&#x27;t be sent again" in response.content.decode()
    assert len(mail.outbox) == 1


def test_nobody_sends_again_an_invitation_to_another_hub(
    client, olu, priya, other_hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, priya, other_hub)
    invitation = Invitation.objects.get()
    client.force_login(olu)
    assert client.post(reverse("invitation_resend", args=[invitation.pk])).status_code == 404


def test_coordinator_cannot_invite_staff_roles(client, carys, hub):
    response = invite(client, carys, hub, role=Role.SAFEGUARDING_LEAD)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(PermissionDenied):
        invitation_create(email="x@example.test", hub=hub, role=Role.COORDINATOR, invited_by=carys)
    assert not Invitation.objects.exists()


def test_nobody_can_invite_to_another_hub(client, carys, other_hub):
    response = invite(client, carys, other_hub)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_org_admin_can_invite_any_role(client, olu, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, olu, hub, email="sg@example.test", role=Role.SAFEGUARDING_LEAD).status_code == 302
    assert Invitation.objects.get().role == Role.SAFEGUARDING_LEAD


def test_an_invitation_to_an_address_that_has_an_account_is_refused_with_a_message(
    client, olu, ros, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, olu, hub, email=ros.email, role=Role.COORDINATOR)
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert ros.email in response.content.decode()  # what she typed is kept
    assert mail.outbox == []
    assert not Invitation.objects.filter(email=ros.email).exists()


def test_nobody_invites_herself(client, olu, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, olu, hub, email=olu.email.upper(), role=Role.COORDINATOR)
    assert "can&#x27;t invite yourself" in response.content.decode()
    assert mail.outbox == []


def test_an_earlier_invitation_to_an_existing_account_cannot_be_accepted(client, olu, ros, hub):
    # Made before the refusal above existed, or before she had an account.
    invitation = Invitation.objects.create(
        email=ros.email, hub=hub, role=Role.COORDINATOR, invited_by=olu, expires_at=timezone.now() + timedelta(days=1)
    )
    invitation_send(invitation_id=invitation.pk)
    token = link_in_last_email()
    client.force_login(ros)  # signed in as herself: still refused, an org admin gives the role
    response = client.post(reverse("invitation_accept", args=[token]))
    assert response.status_code == 409
    assert "already has an account" in response.content.decode()
    assert not Membership.objects.filter(user=ros, role=Role.COORDINATOR).exists()


def test_accepting_an_invitation_marks_her_address_verified(client, carys, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, carys, hub)
    token = link_in_last_email()
    client.logout()
    client.post(
        reverse("invitation_accept", args=[token]),
        {"display_name": "Nia", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
    )
    user = User.objects.get(email="newmentor@example.test")
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)"])
def test_withdrawing_an_invitation_goes_back_only_to_this_site(client, olu, hub, target):
    invitation = invitation_create(email="new@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    client.force_login(olu)
    response = client.post(reverse("invitation_revoke", args=[invitation.pk]), {"next": target})
    assert response["Location"] == reverse("invitation_create")
    other = invitation_create(email="new2@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    back = client.post(reverse("invitation_revoke", args=[other.pk]), {"next": "/organisation/?page=2"})
    assert back["Location"] == "/organisation/?page=2"


def test_an_org_admin_gives_an_existing_person_a_role_but_never_herself(client, olu, ros, hub):
    client.force_login(olu)
    page = client.get(reverse("person_roles", args=[ros.pk]))
    assert page.status_code == 200 and "Mentor (Saltmarsh Bay)" in page.content.decode()
    response = client.post(reverse("person_roles", args=[ros.pk]), {"hub": hub.pk, "role": Role.COORDINATOR})
    assert response.status_code == 302
    membership = Membership.objects.get(user=ros, hub=hub, role=Role.COORDINATOR)
    assert membership.created_by == olu
    history = apps.get_model("mentoring", "MembershipEvent")
    assert history.objects.filter(pgh_obj_id=membership.pk, pgh_label="insert").exists()  # kept in its history
    assert client.get(reverse("person_roles", args=[olu.pk])).status_code == 404
    assert client.post(reverse("person_roles", args=[olu.pk]), {"hub": hub.pk, "role": Role.MENTOR}).status_code == 404


def test_an_org_admin_takes_a_role_away_after_saying_what_follows(client, olu, carys, hub, other_hub):
    membership_add(user=olu, hub=other_hub, role=Role.ORG_ADMIN)
    membership_add(user=carys, hub=other_hub, role=Role.COORDINATOR)
    kingsmere = Membership.objects.get(user=carys, hub=other_hub)
    client.force_login(olu)
    roles_page = client.get(reverse("person_roles", args=[carys.pk])).content.decode()
    confirm = reverse("person_role_remove", args=[carys.pk, kingsmere.pk])
    assert f'href="{confirm}"' in roles_page
    page = html.unescape(client.get(confirm).content.decode())
    assert "Take away coordinator in Kingsmere from Carys?" in page
    assert "every session she has ends" not in page  # she keeps a role in Saltmarsh Bay
    assert Membership.objects.filter(pk=kingsmere.pk).exists()  # asking changes nothing
    response = client.post(confirm, follow=True)
    assert response.redirect_chain[-1][0] == reverse("person_roles", args=[carys.pk])
    assert "Coordinator in Kingsmere taken away from Carys." in html.unescape(response.content.decode())
    assert list(Membership.objects.filter(user=carys).values_list("hub_id", flat=True)) == [hub.pk]


def test_taking_away_her_only_role_says_she_will_be_signed_out(client, olu, ros):
    client.force_login(olu)
    membership = Membership.objects.get(user=ros)
    page = html.unescape(client.get(reverse("person_role_remove", args=[ros.pk, membership.pk])).content.decode())
    assert "It is her only role" in page and "every session she has ends" in page
    assert "Her mentor record, training and history stay" in page


def test_a_refused_removal_says_why_and_keeps_the_role(client, olu, dee, dee_pair):
    client.force_login(olu)
    membership = Membership.objects.get(user=dee)
    response = client.post(reverse("person_role_remove", args=[dee.pk, membership.pk]))
    assert response.status_code == 200
    assert "She is an active mentor on her mentor record" in html.unescape(response.content.decode())
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_nobody_takes_away_her_own_role_or_one_outside_her_hubs_or_another_persons(client, olu, ros, priya):
    client.force_login(olu)
    own = Membership.objects.get(user=olu)
    outside = Membership.objects.get(user=priya)
    rosa = Membership.objects.get(user=ros)
    for person, membership in ((olu, own), (priya, outside), (priya, rosa), (olu, rosa)):
        url = reverse("person_role_remove", args=[person.pk, membership.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk__in=[own.pk, outside.pk, rosa.pk]).count() == 3


# --- deactivating people ---


def test_org_admin_deactivates_through_the_page_but_not_herself(client, olu, ros, django_capture_on_commit_callbacks):
    client.force_login(olu)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("person_deactivate", args=[ros.pk])).status_code == 302
    ros.refresh_from_db()
    assert not ros.is_active
    assert client.post(reverse("person_deactivate", args=[olu.pk])).status_code == 404
    assert client.post(reverse("person_reactivate", args=[ros.pk])).status_code == 302
    ros.refresh_from_db()
    assert ros.is_active


def test_the_deactivate_link_carries_her_page_but_never_her_search(client, olu, ros):
    """A search may be a name: it stays in the list's own address, not copied into another."""
    client.force_login(olu)
    home = client.get(reverse("orgadmin_home"), {"q": "Ros", "role": "mentor"}).content.decode()
    confirm = reverse("person_deactivate", args=[ros.pk])
    assert f'href="{confirm}?next=%2Forganisation%2F%3Frole%3Dmentor"' in home
    assert "Ros&" not in home.split(confirm, 1)[1].split('"', 1)[0]


def test_messages_naming_people_are_kept_in_her_session_not_a_cookie(client, olu, ros):
    client.force_login(olu)
    response = client.post(reverse("person_deactivate", args=[ros.pk]))
    assert response.status_code == 302
    assert "messages" not in response.cookies
    assert "Ros can no longer sign in" in client.get(response["Location"]).content.decode()


def test_deactivating_asks_first_and_says_what_happens(client, olu, ros):
    client.force_login(olu)
    home = client.get(reverse("orgadmin_home") + "?role=mentor").content.decode()
    # The people list links to the question, carrying the page she was on; it never deactivates by itself.
    confirm = reverse("person_deactivate", args=[ros.pk])
    assert f'href="{confirm}?next=%2Forganisation%2F%3Frole%3Dmentor"' in home
    page = client.get(confirm + "?next=%2Forganisation%2F%3Frole%3Dmentor").content.decode()
    ros.refresh_from_db()
    assert ros.is_active
    assert "Deactivate Ros?" in page and "ros@example.test" in page and "Mentor (Saltmarsh Bay)" in page
    assert "can't sign in" in page and "Every session she has ends" in page and "Nothing is deleted" in page
    assert 'name="next" value="/organisation/?role=mentor"' in page
    assert 'href="/organisation/?role=mentor">Cancel' in page
    # Only the people page is ever a way back.
    elsewhere = client.get(confirm + "?next=https%3A%2F%2Felsewhere.test%2F").content.decode()
    assert "elsewhere.test" not in elsewhere
    response = client.post(confirm, {"next": "/organisation/?role=mentor"})
    assert response["Location"] == "/organisation/?role=mentor"
    ros.refresh_from_db()
    assert not ros.is_active
    assert "already deactivated" in client.get(confirm).content.decode()


def test_nobody_is_asked_to_deactivate_herself_or_someone_outside_her_hubs(client, olu, priya):
    client.force_login(olu)
    assert client.get(reverse("person_deactivate", args=[olu.pk])).status_code == 404
    assert client.get(reverse("person_deactivate", args=[priya.pk])).status_code == 404


def test_org_admin_cannot_touch_people_outside_her_hubs(client, olu, priya):
    client.force_login(olu)
    assert client.post(reverse("person_deactivate", args=[priya.pk])).status_code == 404
    priya.refresh_from_db()
    assert priya.is_active


def test_deactivating_returns_to_the_same_page_and_only_to_it(client, olu, ros, carys):
    client.force_login(olu)
    back = reverse("orgadmin_home") + "?q=ros&page=1"
    response = client.post(reverse("person_deactivate", args=[ros.pk]), {"next": back})
    assert response["Location"] == back
    response = client.post(reverse("person_reactivate", args=[ros.pk]), {"next": "https://elsewhere.test/"})
    assert response["Location"] == reverse("orgadmin_home")
    response = client.post(reverse("person_deactivate", args=[carys.pk]), {"next": "/organisation-evil/"})
    assert response["Location"] == reverse("orgadmin_home")


# --- a hub's settings ---


def test_review_interval_is_a_hub_setting(client, olu, carys, hub):
    client.force_login(olu)
    assert (
        client.post(reverse("hub_settings", args=[hub.pk]), {**SALTMARSH, "review_interval_weeks": "8"}).status_code
        == 302
    )
    hub.refresh_from_db()
    assert hub.review_interval_weeks == 8
    response = client.post(reverse("hub_settings", args=[hub.pk]), {**SALTMARSH, "review_interval_weeks": "0"})
    assert response.status_code == 200 and 'value="0"' in response.content.decode()
    with pytest.raises(PermissionDenied):
        hub_update_settings(hub=hub, review_interval_weeks=4, acting_user=carys)


def test_the_weeks_before_a_quiet_pair_is_shown_are_a_hub_setting(client, olu, hub):
    client.force_login(olu)
    assert 'name="quiet_after_weeks" value="3"' in client.get(reverse("hub_settings", args=[hub.pk])).content.decode()
    data = {**SALTMARSH, "review_interval_weeks": "12", "quiet_after_weeks": "5"}
    assert client.post(reverse("hub_settings", args=[hub.pk]), data).status_code == 302
    hub.refresh_from_db()
    assert hub.quiet_after_weeks == 5
    refused = client.post(reverse("hub_settings", args=[hub.pk]), {**data, "quiet_after_weeks": "0"})
    assert refused.status_code == 200 and "Between 1 and 26 weeks." in refused.content.decode()
    hub.refresh_from_db()
    assert hub.quiet_after_weeks == 5


def test_hub_settings_save_weights_and_review_interval(client, olu, hub):
    client.force_login(olu)
    page = client.get(reverse("hub_settings", args=[hub.pk])).content.decode()
    assert "Matching weights" in page and 'value="30"' in page
    data = {**SALTMARSH, "review_interval_weeks": "10", "language": "25", "priority_needs": "4"}
    assert client.post(reverse("hub_settings", args=[hub.pk]), data).status_code == 302
    hub.refresh_from_db()
    settings = MatchingSettings.objects.get(hub=hub)
    assert hub.review_interval_weeks == 10
    assert (settings.language, settings.priority_needs, settings.availability) == (25, 4, 15)
    # The review interval alone keeps the weights.
    client.post(reverse("hub_settings", args=[hub.pk]), {**SALTMARSH, "review_interval_weeks": "8"})
    settings.refresh_from_db()
    assert settings.language == 25


def test_hub_settings_refuse_a_bad_weight(client, olu, hub):
    client.force_login(olu)
    response = client.post(
        reverse("hub_settings", args=[hub.pk]),
        {**SALTMARSH, "review_interval_weeks": "8", "language": "-3"},
    )
    assert response.status_code == 200
    hub.refresh_from_db()
    assert hub.review_interval_weeks != 8
    assert not MatchingSettings.objects.filter(hub=hub).exists()


def test_an_org_admin_adds_a_hub_and_is_its_org_admin(client, olu, hub):
    client.force_login(olu)
    home = client.get(reverse("orgadmin_home")).content.decode()
    assert f'href="{reverse("hub_create")}"' in home
    page = client.get(reverse("hub_create")).content.decode()
    assert 'name="organisation"' not in page  # one organisation: nothing to choose
    data = {"name": "Coastal Towns", "area_description": "East of the river", "review_interval_weeks": "10"}
    response = client.post(reverse("hub_create"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgadmin_home")
    new = Hub.objects.get(name="Coastal Towns")
    assert (new.organisation_id, new.slug, new.area_description, new.review_interval_weeks) == (
        hub.organisation_id,
        "coastal-towns",
        "East of the river",
        10,
    )
    assert Membership.objects.filter(user=olu, hub=new, role=Role.ORG_ADMIN).exists()
    page = response.content.decode()
    assert "Coastal Towns is open" in page and "East of the river" in page
    assert f'href="{reverse("hub_settings", args=[new.pk])}"' in page


def test_a_hub_name_in_use_in_her_organisation_is_refused_with_what_she_typed_kept(client, olu, hub):
    client.force_login(olu)
    data = {"name": "saltmarsh bay", "area_description": "The bay and the marsh", "review_interval_weeks": "10"}
    page = html.unescape(client.post(reverse("hub_create"), data).content.decode())
    assert "Your organisation already has a hub called saltmarsh bay" in page
    assert 'value="The bay and the marsh"' in page and 'value="10"' in page
    assert Hub.objects.filter(organisation=hub.organisation).count() == 1


def test_a_hub_form_sent_twice_adds_one_hub(client, olu, hub):
    client.force_login(olu)
    data = {"name": "Coastal Towns", "review_interval_weeks": "12"}
    data["once_token"] = form_token(client, reverse("hub_create"))
    assert client.post(reverse("hub_create"), data)["Location"] == reverse("orgadmin_home")
    again = client.post(reverse("hub_create"), data, follow=True)
    assert "already saved" in again.content.decode()
    assert Hub.objects.filter(name="Coastal Towns").count() == 1


def test_only_an_org_admin_adds_a_hub(client, carys):
    client.force_login(carys)
    assert client.get(reverse("hub_create")).status_code == 403
    assert client.post(reverse("hub_create"), {"name": "Sneaky", "review_interval_weeks": "12"}).status_code == 403
    assert not Hub.objects.filter(name="Sneaky").exists()


def test_an_org_admin_renames_and_describes_a_hub_and_its_key_stays(client, olu, hub, other_hub):
    membership_add(user=olu, hub=other_hub, role=Role.ORG_ADMIN)
    client.force_login(olu)
    page = client.get(reverse("hub_settings", args=[hub.pk])).content.decode()
    assert 'value="Saltmarsh Bay"' in page
    data = {
        "name": "Saltmarsh and the Levels",
        "area_description": "Bay, marsh and levels",
        "review_interval_weeks": "12",
    }
    assert client.post(reverse("hub_settings", args=[hub.pk]), data).status_code == 302
    hub.refresh_from_db()
    assert (hub.name, hub.area_description, hub.slug) == (
        "Saltmarsh and the Levels",
        "Bay, marsh and levels",
        "saltmarsh-bay",
    )
    # Her other hub's name can't be taken: the page says so and keeps what she typed.
    data["name"] = "KINGSMERE"
    page = html.unescape(client.post(reverse("hub_settings", args=[hub.pk]), data).content.decode())
    assert "already has a hub called KINGSMERE" in page and 'value="Bay, marsh and levels"' in page
    assert '<h1 class="h3">Saltmarsh and the Levels: settings</h1>' in page
    hub.refresh_from_db()
    assert hub.name == "Saltmarsh and the Levels"


# --- email addresses: her own change (her account page), and an org admin's ---


def _reauthenticated(client, user):
    """Signed in, and her password given again just now, as allauth asks before a change of address."""
    from tests.factories import TEST_PASSWORD

    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _ask_for(client, email):
    return client.post(reverse("account_email"), {"email": email, "action_add": ""})


def _confirmation_link() -> str:
    match = re.search(r"http://\S+(/accounts/confirm-email/\S+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_changing_her_own_address_asks_for_her_password_first(client, ros):
    client.force_login(ros)
    response = _ask_for(client, "ros.new@example.test")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="ros.new@example.test").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("spelling", ["carys@example.test", "Carys@Example.TEST"])
def test_her_own_change_to_another_accounts_address_is_refused(client, ros, carys, spelling):
    response = _ask_for(_reauthenticated(client, ros), spelling)
    assert response.status_code == 200
    assert "belongs to another account" in response.content.decode()
    assert EmailAddress.objects.filter(user=ros).count() <= 1
    assert not EmailAddress.objects.filter(user=ros, email__iexact=spelling).exists()
    assert mail.outbox == []  # nothing sent to carys's mailbox either


def test_her_own_change_to_an_address_another_account_has_added_is_refused(client, ros, carys):
    EmailAddress.objects.create(user=carys, email="carys.home@example.test", verified=False, primary=False)
    response = _ask_for(_reauthenticated(client, ros), "carys.home@example.test")
    assert "belongs to another account" in response.content.decode()
    assert not EmailAddress.objects.filter(user=ros, email="carys.home@example.test").exists()


def test_her_own_change_to_a_pending_invitees_address_is_refused(client, ros, olu, hub):
    invitation_create(email="invitee@example.test", hub=hub, role=Role.COORDINATOR, invited_by=olu)
    response = _ask_for(_reauthenticated(client, ros), "INVITEE@example.test")
    assert "waiting for an invitation" in response.content.decode()
    assert not EmailAddress.objects.filter(email__iexact="invitee@example.test").exists()


def test_an_address_whose_invitation_was_withdrawn_or_has_expired_can_be_taken(client, ros, olu, hub):
    withdrawn = invitation_create(email="was.invited@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    withdrawn.status = Invitation.Status.REVOKED
    withdrawn.save()
    expired = invitation_create(email="long.ago@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = _reauthenticated(client, ros)
    assert _ask_for(client, "was.invited@example.test").status_code == 302
    assert _ask_for(client, "long.ago@example.test").status_code == 302


def test_her_new_address_is_not_her_login_until_she_opens_the_link(client, ros):
    from tests.factories import TEST_PASSWORD

    assert _ask_for(_reauthenticated(client, ros), "ros.new@example.test").status_code == 302
    ros.refresh_from_db()
    assert ros.email == "ros@example.test"
    assert mail.outbox[-1].to == ["ros.new@example.test"]
    assert "Ros" not in mail.outbox[-1].body  # the link's email names nobody
    link = _confirmation_link()

    # Until then she signs in with the old address only, and a reset link never goes to the new one.
    other = type(client)()
    other.post(reverse("account_login"), {"login": "ros.new@example.test", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in other.session
    sent = len(mail.outbox)
    other.post(reverse("account_reset_password"), {"email": "ros.new@example.test"})
    assert all("password/reset/key" not in message.body for message in mail.outbox[sent:])

    assert client.post(link).status_code == 302
    ros.refresh_from_db()
    assert ros.email == "ros.new@example.test"
    assert list(EmailAddress.objects.filter(user=ros).values_list("email", "primary", "verified")) == [
        ("ros.new@example.test", True, True)
    ]
    told = mail.outbox[-1]
    assert told.to == ["ros@example.test"]
    assert "ros.new" not in told.body and "Ros" not in told.body
    fresh = type(client)()
    fresh.post(reverse("account_login"), {"login": "ros.new@example.test", "password": TEST_PASSWORD})
    assert fresh.session["_auth_user_id"] == str(ros.pk)


def test_an_unverified_address_cannot_be_made_her_login_by_hand(client, hub):
    # No verified address at all (an account made in the admin): allauth would let any of hers be primary.
    person = make_person("plain@example.test", "Plain", hub, Role.MENTOR)
    client = _reauthenticated(client, person)
    _ask_for(client, "plain.new@example.test")
    client.post(reverse("account_email"), {"email": "plain.new@example.test", "action_primary": ""})
    person.refresh_from_db()
    assert person.email == "plain@example.test"


def test_the_link_is_refused_if_someone_else_took_the_address_since(client, ros, hub):
    _ask_for(_reauthenticated(client, ros), "ros.new@example.test")
    link = _confirmation_link()
    # Taken meanwhile by another account (here behind the app's back; the app refuses it itself).
    User.objects.create_user("ros.new@example.test", "another-long-password-9")
    response = client.post(link, follow=True)
    assert "belongs to another account" in response.content.decode()
    ros.refresh_from_db()
    assert ros.email == "ros@example.test"


def test_an_org_admin_changes_an_address_it_is_logged_and_the_old_address_is_told(
    client, olu, ros, caplog, django_capture_on_commit_callbacks
):
    client.force_login(olu)
    url = reverse("person_email", args=[ros.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Ros.Work@Example.test"})
    assert response.status_code == 302
    ros.refresh_from_db()
    assert ros.email == "ros.work@example.test"
    assert list(EmailAddress.objects.filter(user=ros).values_list("email", "primary", "verified")) == [
        ("ros.work@example.test", True, True)
    ]
    assert f"email address of user {ros.pk} changed by user {olu.pk}" in caplog.text
    assert "ros.work" not in caplog.text
    assert [message.to for message in mail.outbox] == [["ros@example.test"]]
    assert "ros.work" not in mail.outbox[0].body and "Ros" not in mail.outbox[0].body


def test_an_org_admin_cannot_give_someone_a_taken_or_invited_address(client, olu, ros, carys, hub):
    invitation_create(email="invitee@example.test", hub=hub, role=Role.MENTOR, invited_by=olu)
    client.force_login(olu)
    url = reverse("person_email", args=[ros.pk])
    for taken in ("CARYS@example.test", "invitee@example.test"):
        response = client.post(url, {"email": taken})
        assert response.status_code == 200
        assert "belongs to another account or is waiting for an invitation" in response.content.decode()
    ros.refresh_from_db()
    assert ros.email == "ros@example.test"
    assert mail.outbox == [] or all(message.to != ["ros@example.test"] for message in mail.outbox)


def test_only_an_org_admin_of_her_hubs_changes_her_address_and_never_her_own(client, olu, carys, ros, priya):
    for who, target in ((carys, ros), (priya, ros), (olu, olu)):
        client.force_login(who)
        response = client.post(reverse("person_email", args=[target.pk]), {"email": "new@example.test"})
        assert response.status_code == 404
    assert not User.objects.filter(email="new@example.test").exists()


def test_her_login_address_cannot_be_removed_from_her_account_page(client, hub):
    person = make_person("plain@example.test", "Plain", hub, Role.MENTOR)  # no verified address
    client = _reauthenticated(client, person)
    _ask_for(client, "plain.new@example.test")
    # allauth would remove it, and make the unverified new address her login in its place.
    client.post(reverse("account_email"), {"email": "plain@example.test", "action_remove": ""})
    person.refresh_from_db()
    assert person.email == "plain@example.test"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({**SALTMARSH, "review_interval_weeks": "1"}, "Between 2 and 52 weeks."),
        (
            {**SALTMARSH, "review_interval_weeks": "8", "priority_needs": "0"},
            "Between 1 and 10 of her needs.",
        ),
        (
            {**SALTMARSH, "review_interval_weeks": "8", "language": "-3"},
            "Points are a whole number, 0 or more.",
        ),
    ],
)
def test_hub_settings_say_what_a_number_may_be_in_the_products_words_only(client, olu, hub, data, said):
    client.force_login(olu)
    page = client.post(reverse("hub_settings", args=[hub.pk]), data).content.decode()
    assert said in page
    assert "Ensure this value" not in page
