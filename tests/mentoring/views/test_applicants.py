"""The recruitment screens: the list, an enquiry, her record, stage, references, closing, inviting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AccessLog, Invitation, MentorApplicant, MentorStage, RecruitmentStatus
from mentoring.services.applicants import applicant_create, applicant_reference_add
from tests.conftest import shows_name
from tests.once import form_token

pytestmark = pytest.mark.django_db


def _enquiry(hub, **overrides):
    data = {
        "name": "Opal",
        "phone": "07700 900456",
        "email": "opal@example.test",
        "safe_ways": ["phone"],
        "source": "web_form",
        "source_detail": "",
        "enquired_on": timezone.localdate().isoformat(),
        "hub": hub.pk,
        "note": "Saw the leaflet",
    }
    data.update(overrides)
    return data


def test_the_list_shows_her_stage_and_how_long_since_the_enquiry(client, carys, nova):
    client.force_login(carys)
    page = client.get(reverse("applicant_list")).content.decode()
    assert shows_name(page, "Nova")
    assert 'data-label="Stage">Enquiry<' in page and "2\xa0weeks" in page
    assert 'class="table table-sm table-stack' in page and 'data-label="Stage"' in page
    assert "table-responsive" not in page


def test_the_lists_queries_dont_grow_with_its_rows(client, carys, nova, hub, django_assert_max_num_queries):
    client.force_login(carys)
    url = reverse("applicant_list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(10):
        applicant_create(hub=hub, name=f"Woman {n}", acting_user=carys)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_mentor_list_links_to_recruitment(client, carys):
    client.force_login(carys)
    page = client.get(reverse("mentor_list")).content.decode()
    assert reverse("applicant_list") in page


def test_an_enquiry_is_saved_once_and_opens_her_record(client, carys, hub):
    client.force_login(carys)
    url = reverse("applicant_add")
    token = form_token(client, url)
    first = client.post(url, _enquiry(hub, once_token=token))
    again = client.post(url, _enquiry(hub, once_token=token))
    applicant = MentorApplicant.objects.get()
    assert first.url == again.url == reverse("applicant_detail", args=[applicant.pk])
    assert (applicant.name, applicant.email, applicant.safe_ways, applicant.source) == (
        "Opal",
        "opal@example.test",
        ["phone"],
        "web_form",
    )


def test_a_bad_enquiry_keeps_what_she_typed(client, carys, hub):
    client.force_login(carys)
    response = client.post(reverse("applicant_add"), _enquiry(hub, name="", email="not-an-address"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "07700 900456" in page and "Saw the leaflet" in page
    assert "Enter a valid email address" in page
    assert not MentorApplicant.objects.exists()


def test_her_record_shows_her_enquiry_and_the_look_is_logged(client, carys, nova, django_assert_max_num_queries):
    client.force_login(carys)
    url = reverse("applicant_detail", args=[nova.pk])
    client.get(url)
    # Sign-in and session checks, then hers: her record, its log entry, history, references, invitation.
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "07700 900123" in page and "Spring fair" in page and "20 days ago" in page
    assert AccessLog.objects.filter(object_type="mentoring.mentorapplicant", object_id=str(nova.pk)).count() == 2


def test_another_hubs_coordinator_gets_404_and_nothing_logged(client, priya, nova):
    client.force_login(priya)
    assert client.get(reverse("applicant_detail", args=[nova.pk])).status_code == 404
    assert client.post(reverse("applicant_stage", args=[nova.pk]), {"to_stage": "application"}).status_code == 404
    assert not AccessLog.objects.exists()


def test_moving_her_stage(client, carys, nova):
    client.force_login(carys)
    response = client.post(
        reverse("applicant_stage", args=[nova.pk]),
        {"to_stage": "application", "changed_on": (timezone.localdate() - timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 302
    nova.refresh_from_db()
    assert nova.stage == MentorStage.APPLICATION
    assert nova.application_received_on == timezone.localdate() - timedelta(days=2)


def test_a_date_out_of_order_shows_the_form_again_with_the_note_kept(client, carys, nova):
    client.force_login(carys)
    too_early = (nova.enquired_on - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("applicant_stage", args=[nova.pk]),
        {"to_stage": "application", "changed_on": too_early, "note": "Form came by post"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "can&#x27;t be dated" in page or "can't be dated" in page
    assert 'value="Form came by post"' in page
    assert "Her stage wasn&#x27;t changed" in page or "Her stage wasn't changed" in page
    nova.refresh_from_db()
    assert nova.stage == MentorStage.ENQUIRY


def test_closing_her_recruitment_keeps_the_reason(client, carys, nova):
    client.force_login(carys)
    response = client.post(
        reverse("applicant_close", args=[nova.pk]), {"status": "not_taken_forward", "reason": "Not the right time"}
    )
    assert response.status_code == 302
    nova.refresh_from_db()
    assert (nova.status, nova.closed_reason) == (RecruitmentStatus.NOT_TAKEN_FORWARD, "Not the right time")
    page = client.get(reverse("applicant_detail", args=[nova.pk])).content.decode()
    assert "Not the right time" in page and "Take her back into recruitment" in page
    client.post(reverse("applicant_reopen", args=[nova.pk]))
    nova.refresh_from_db()
    assert nova.status == RecruitmentStatus.OPEN


def test_closing_without_a_reason_is_refused_with_what_was_typed_kept(client, carys, nova):
    client.force_login(carys)
    response = client.post(reverse("applicant_close", args=[nova.pk]), {"status": "withdrawn", "reason": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    nova.refresh_from_db()
    assert nova.status == RecruitmentStatus.OPEN


def test_a_reference_is_added_once(client, carys, nova):
    client.force_login(carys)
    url = reverse("applicant_reference_add", args=[nova.pk])
    token = form_token(client, url)
    data = {"referee": "Sam at the food bank", "relationship": "volunteer lead", "outcome": "requested"}
    client.post(url, {**data, "once_token": token})
    client.post(url, {**data, "once_token": token})
    assert [r.referee for r in nova.references.all()] == ["Sam at the food bank"]
    page = client.get(reverse("applicant_detail", args=[nova.pk])).content.decode()
    assert "Sam at the food bank" in page


def test_editing_adds_her_email(client, carys, hub):
    applicant = applicant_create(hub=hub, name="Opal", acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("applicant_detail", args=[applicant.pk])).content.decode()
    assert "Add her email address before inviting her" in page
    data = _enquiry(hub)
    del data["enquired_on"], data["hub"]
    response = client.post(reverse("applicant_edit", args=[applicant.pk]), data)
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.email == "opal@example.test"


def test_inviting_without_an_email_says_what_to_do(client, carys, hub):
    applicant = applicant_create(hub=hub, name="Opal", acting_user=carys)
    client.force_login(carys)
    response = client.post(reverse("applicant_invite", args=[applicant.pk]), follow=True)
    assert "Add her email address before inviting her" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_her_then_her_record_points_to_her_mentor_record(
    client, carys, nova, django_capture_on_commit_callbacks
):
    applicant_reference_add(applicant=nova, referee="Sam", outcome="satisfactory", acting_user=carys)
    client.force_login(carys)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applicant_invite", args=[nova.pk]), follow=True)
    assert "Invitation sent" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.applicant == nova and invitation.role == "mentor"
    page = response.content.decode()
    assert "Invitation pending" in page
