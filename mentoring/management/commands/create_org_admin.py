"""The first org admin of an organisation: nobody in the app can give a role yet."""

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentoring.services.people import first_org_admin_create


class Command(BaseCommand):
    help = (
        "Create the first org admin of an organisation, in each of its hubs. The password is asked for "
        "(or read from ALONGSIDE_ADMIN_PASSWORD); she changes it and sets up two-factor sign-in at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--name", default="", help="How colleagues see her.")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("ALONGSIDE_ADMIN_PASSWORD") or getpass.getpass("Temporary password: ")
        try:
            user = first_org_admin_create(
                email=options["email"],
                password=password,
                display_name=options["name"],
                organisation_slug=options["organisation"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Org admin {user.pk} created.")
