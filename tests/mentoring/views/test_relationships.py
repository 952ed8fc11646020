"""mentoring.views.relationships: recording a relationship from either side, and withdrawing it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.models import RecordedRelationship
from mentoring.services.mentees import mentee_change_status, mentee_create
from mentoring.services.relationships import relationship_record
from tests.conftest import shows_name
from tests.once import form_token

pytestmark = pytest.mark.django_db


def test_relationship_from_the_mentors_side(client, carys, ros_mentor, amber, hub, bea):
    closed = mentee_create(hub=hub, chosen_name="Closed Cleo", acting_user=carys)
    mentee_change_status(mentee=closed, to_status="withdrawn", reason="Moved away", acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("mentor_relationship_add", args=[ros_mentor.pk])).content.decode()
    assert "Amber" in page and not shows_name(page, "Bea") and "Closed Cleo" not in page
    response = client.post(
        reverse("mentor_relationship_add", args=[ros_mentor.pk]),
        {"other": amber.pk, "kind": "known", "effect": "", "note": "Same school run"},
    )
    assert response.status_code == 302
    relationship = RecordedRelationship.objects.get()
    assert (relationship.mentee, relationship.mentor, relationship.effect) == (amber, ros_mentor, "flag")


def test_a_relationship_sent_twice_is_recorded_once(client, carys, ros_mentor, amber):
    client.force_login(carys)
    url = reverse("mentee_relationship_add", args=[amber.pk])
    data = {"other": ros_mentor.pk, "kind": "known", "effect": "", "note": "", "once_token": form_token(client, url)}
    client.post(url, data)
    client.post(url, data)
    assert RecordedRelationship.objects.count() == 1


def test_relationship_from_her_side(client, carys, ros_mentor, amber):
    client.force_login(carys)
    page = client.get(reverse("mentee_relationship_add", args=[amber.pk])).content.decode()
    assert "Ros" in page
    response = client.post(
        reverse("mentee_relationship_add", args=[amber.pk]),
        {"other": ros_mentor.pk, "kind": "known", "effect": "exclude"},
    )
    assert response.status_code == 302
    assert RecordedRelationship.objects.get().effect == "exclude"
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Mentors she already knows" in page and "Ros" in page and "never match" in page


def test_relationship_form_refuses_someone_from_another_hub(client, carys, amber, other_hub, new_mentor):
    kit = new_mentor(other_hub, "Kit")
    client.force_login(carys)
    response = client.post(reverse("mentee_relationship_add", args=[amber.pk]), {"other": kit.pk, "kind": "known"})
    assert response.status_code == 200
    assert not RecordedRelationship.objects.exists()


def test_withdraw_goes_back_to_a_safe_next_only(client, carys, ros_mentor, amber):
    first = relationship_record(mentee=amber, mentor=ros_mentor, kind="friends", acting_user=carys)
    second = relationship_record(mentee=amber, mentor=ros_mentor, kind="known", acting_user=carys)
    client.force_login(carys)
    back = reverse("mentor_detail", args=[ros_mentor.pk])
    response = client.post(reverse("relationship_withdraw", args=[first.pk]), {"next": back})
    assert response["Location"] == back
    response = client.post(reverse("relationship_withdraw", args=[second.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("mentee_detail", args=[amber.pk])
    assert RecordedRelationship.objects.filter(withdrawn_at__isnull=False).count() == 2
    page = client.get(back).content.decode()
    assert page.count("withdrawn ") == 2


def test_withdraw_is_404_for_another_hub(client, carys, priya, ros_mentor, amber):
    relationship = relationship_record(mentee=amber, mentor=ros_mentor, kind="friends", acting_user=carys)
    client.force_login(priya)
    assert client.post(reverse("relationship_withdraw", args=[relationship.pk])).status_code == 404
    relationship.refresh_from_db()
    assert relationship.withdrawn_at is None
