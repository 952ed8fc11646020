"""The seed_demo command runs in demo mode only."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_seed_demo_scales_the_large_set_only():
    from django.core.management.base import CommandError

    for args in (["--scale", "2"], ["--size", "large", "--scale", "0"]):
        with pytest.raises(CommandError):
            call_command("seed_demo", *args)
