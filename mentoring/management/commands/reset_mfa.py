"""Reset someone's two-factor sign-in (a lost phone). Logged, and she is told by email."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentoring.models import User
from mentoring.services.people import mfa_reset


class Command(BaseCommand):
    help = "Remove a person's two-factor authenticators; she sets them up again at her next sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError("No account has that address.")
        removed = mfa_reset(user=user, acting_user_label="the reset_mfa command")
        self.stdout.write(f"Removed {removed} authenticator(s); she has been told.")
