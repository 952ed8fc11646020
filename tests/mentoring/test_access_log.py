import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.urls import reverse

from mentoring.models import AccessLog
from mentoring.services.audit import access_log_record

pytestmark = pytest.mark.django_db

REFUSED = (InternalError, ProgrammingError, IntegrityError)


@pytest.fixture
def entry(carys, amber):
    return access_log_record(user=carys, action=AccessLog.Action.VIEW, obj=amber, hub=amber.hub)


def test_entry_says_who_what_when_never_content(entry, carys, amber):
    assert (entry.user, entry.object_type, entry.object_id) == (carys, "mentoring.mentee", str(amber.pk))
    values = " ".join(str(v) for v in AccessLog.objects.values().get(pk=entry.pk).values())
    assert "Amber" not in values


def test_database_refuses_update(entry):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_accesslog SET reason = 'changed' WHERE id = %s", [entry.pk])
    assert AccessLog.objects.get(pk=entry.pk).reason == ""


def test_database_refuses_delete(entry):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM mentoring_accesslog WHERE id = %s", [entry.pk])
    with pytest.raises(REFUSED), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_viewing_a_mentee_writes_the_log(client, carys, amber):
    client.force_login(carys)
    response = client.get(reverse("mentee_detail", args=[amber.pk]))
    assert response.status_code == 200
    logged = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (logged.user, logged.object_id, logged.hub) == (carys, str(amber.pk), amber.hub)


def test_legal_name_is_hidden_until_shown_with_a_reason_and_showing_is_logged(client, carys, amber):
    client.force_login(carys)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Amber Example" not in page

    url = reverse("mentee_reveal_legal_name", args=[amber.pk])
    no_reason = client.post(url, {"reason": ""})
    assert "Amber Example" not in no_reason.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL).exists()

    shown = client.post(url, {"reason": "Booking a GP appointment with her"})
    assert "Amber Example" in shown.content.decode()
    logged = AccessLog.objects.get(action=AccessLog.Action.REVEAL)
    assert logged.reason == "Booking a GP appointment with her"
    assert logged.user == carys


def test_a_mentor_can_never_reveal_a_legal_name(client, dee, amber):
    client.force_login(dee)
    assert client.get(reverse("mentee_detail", args=[amber.pk])).status_code == 200
    response = client.post(reverse("mentee_reveal_legal_name", args=[amber.pk]), {"reason": "curious"})
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL).exists()


def test_mentee_changes_are_history_tracked_without_the_encrypted_field(carys, amber):
    amber.chosen_name = "Amba"
    amber.save()
    events = list(amber.events.order_by("pgh_id").values())
    assert [e["pgh_label"] for e in events] == ["insert", "update"]
    assert events[-1]["chosen_name"] == "Amba"
    assert all("legal_name" not in e for e in events)
