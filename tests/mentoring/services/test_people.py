"""mentoring.services.people: deactivating someone ends her sessions."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from mentoring.services.people import user_deactivate
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_deactivated_user_loses_every_session(ros, olu, django_capture_on_commit_callbacks):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post(reverse("account_login"), {"login": ros.email, "password": TEST_PASSWORD})
        assert device.get(reverse("mentor_home")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(user=ros, acting_user=olu)
    for device in (phone, laptop):
        assert device.get(reverse("mentor_home")).status_code == 302
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(ros.pk)]
