"""`migrate`, run as the schema's owner (MIGRATE_DATABASE_URL), never as the app's role.

The web and worker processes connect as a role that may not create, alter or truncate tables.
This command switches its connection to the owner's credentials for the checks, the migrations
and the post_migrate handlers, one of which grants the app's role its rights afresh
(config/database_roles.py).
"""

from typing import Any

from django.core.management.commands import migrate
from django.db import connections

from config.database_roles import as_owner


class Command(migrate.Command):
    # execute, not handle: the system checks run before handle and already connect.
    def execute(self, *args: Any, **options: Any) -> str | None:
        with as_owner(connections[options["database"]]):
            return super().execute(*args, **options)
