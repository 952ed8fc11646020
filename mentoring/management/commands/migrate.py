"""`migrate`, run as the schema's owner (MIGRATE_DATABASE_URL), never as the app's role.

The web and worker processes connect as a role that may not create, alter or truncate tables.
This command switches its connection to the owner's credentials for the checks, the migrations
and the post_migrate handlers, one of which grants the app's role its rights afresh
(config/database_roles.py).
"""

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import connections

from config.database_roles import connected_as


class Command(migrate.Command):
    # execute, not handle: the system checks run before handle and already connect.
    def execute(self, *args: Any, **options: Any) -> str | None:
        roles = settings.DATABASE_ROLES
        if roles is None:
            if settings.MIGRATIONS_NEED_OWNER:
                raise CommandError(
                    "Set MIGRATE_DATABASE_URL to the schema owner's URL: migrations don't run as the app's role."
                )
            # One role for everything: a developer's own database, or a test run as a superuser.
            return super().execute(*args, **options)
        with connected_as(connections[options["database"]], roles["owner"]):
            return super().execute(*args, **options)
