"""The `pk_url` filter gives exactly what `reverse` gives, for every one-id route."""

import pytest
from django.urls import reverse, set_script_prefix

from mentoring.templatetags.row_urls import pk_url


@pytest.mark.parametrize("name", ["hub_settings", "person_deactivate", "person_reactivate", "mentee_detail"])
@pytest.mark.parametrize("pk", [1, 42, 987654321])
def test_same_as_reverse(name, pk):
    assert pk_url(pk, name) == reverse(name, args=[pk])


def test_follows_the_script_prefix():
    try:
        set_script_prefix("/alongside/")
        assert pk_url(7, "hub_settings") == reverse("hub_settings", args=[7]) == "/alongside/organisation/hubs/7/"
    finally:
        set_script_prefix("/")
