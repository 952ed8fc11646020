"""The access log (mentoring.models.audit): who, what and when, never content; the database refuses
to change or delete an entry."""

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from mentoring.models import AccessLog
from mentoring.policies.audit import access_log_record

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
