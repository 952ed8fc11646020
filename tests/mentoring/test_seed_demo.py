import pytest
from django.core.management import call_command

from mentoring import demo, policies
from mentoring.models import Hub, Membership, Mentee, Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_three_hubs_and_every_role_and_is_idempotent(capsys):
    call_command("seed_demo")
    first = (Hub.objects.count(), User.objects.count(), Mentee.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Hub.objects.count(), User.objects.count(), Mentee.objects.count(), Membership.objects.count()) == first
    assert first[0] == 3
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    out = capsys.readouterr().out
    for account in demo.ACCOUNTS:
        assert account.email in out
    mentor = User.objects.get(email=demo.ACCOUNTS[4].email)
    assert policies.mentees_visible_to(mentor).count() == 1


def test_seed_demo_refuses_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
