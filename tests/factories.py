"""factory_boy factories. Named people in conftest.py are built from these through the services."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from mentoring.models import Hub, Mentee, Organisation, User

TEST_PASSWORD = "a-long-test-password-1"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = "Women Together (test)"
    slug = "test-org"


class HubFactory(DjangoModelFactory[Hub]):
    class Meta:
        model = Hub
        django_get_or_create = ("slug",)

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Hub {n}")
    slug = factory.Sequence(lambda n: f"hub-{n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(TEST_PASSWORD)


class MenteeFactory(DjangoModelFactory[Mentee]):
    class Meta:
        model = Mentee

    hub = factory.SubFactory(HubFactory)
    chosen_name = factory.Sequence(lambda n: f"Mentee {n}")
    legal_name = factory.Sequence(lambda n: f"Legal Name {n}")
