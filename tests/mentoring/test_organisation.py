import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mentoring.models import NeedArea
from mentoring.services.intake import assessment_start, consent_record, need_area_set_active
from mentoring.services.people import hub_update_settings

pytestmark = pytest.mark.django_db


def test_org_admin_adds_a_need_area_that_assessments_then_use(client, olu, carys, amber, hub):
    client.force_login(olu)
    client.post(reverse("need_areas"), {"name": "Gambling", "organisation": hub.organisation_id})
    area = NeedArea.objects.get(name="Gambling")
    assert area.organisation_id == hub.organisation_id
    consent_record(mentee=amber, kind="data_processing", given=True, method="verbal", acting_user=carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("assessment_edit", args=[amber.pk, assessment.pk])).content.decode()
    assert "Gambling" in page
    client.force_login(olu)
    client.post(reverse("need_area_toggle", args=[area.pk]))
    client.force_login(carys)
    assert "Gambling" not in client.get(reverse("assessment_edit", args=[amber.pk, assessment.pk])).content.decode()


def test_duplicate_and_standard_areas_are_protected(client, olu, hub):
    client.force_login(olu)
    response = client.post(
        reverse("need_areas"), {"name": "Housing and homelessness", "organisation": hub.organisation_id}
    )
    assert "already a need area" in response.content.decode()
    standard = NeedArea.objects.get(slug="housing", organisation__isnull=True)
    assert client.post(reverse("need_area_toggle", args=[standard.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        need_area_set_active(area=standard, is_active=False, acting_user=olu)


def test_review_interval_is_a_hub_setting(client, olu, carys, hub):
    client.force_login(olu)
    assert client.post(reverse("hub_settings", args=[hub.pk]), {"review_interval_weeks": "8"}).status_code == 302
    hub.refresh_from_db()
    assert hub.review_interval_weeks == 8
    response = client.post(reverse("hub_settings", args=[hub.pk]), {"review_interval_weeks": "0"})
    assert response.status_code == 200 and 'value="0"' in response.content.decode()
    with pytest.raises(PermissionDenied):
        hub_update_settings(hub=hub, review_interval_weeks=4, acting_user=carys)
