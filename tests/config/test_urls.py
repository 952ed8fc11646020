"""config.urls: the operations admin signs in through the rate-limited login."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_login_goes_through_the_rate_limited_login(client, superuser, ros):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(ros)  # signed in, but not operations staff
    assert client.get(reverse("admin:login")).status_code == 403
