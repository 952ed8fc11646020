"""What the app's database role may do, and switching a connection between the two roles.

The access log and the history tables are append-only: their triggers refuse UPDATE and DELETE.
Triggers alone are not enough. A row trigger does not fire on TRUNCATE, it is skipped under
`session_replication_role = replica`, and a table's owner may drop or disable it. So the web and
worker processes connect as a role that owns nothing and is not a superuser, and holds:

- SELECT, INSERT, UPDATE and DELETE on ordinary tables;
- SELECT and INSERT only on every append-only table;
- SELECT only on django_migrations (only migrations record what they applied);
- USAGE and SELECT on sequences;
- TRUNCATE on nothing.

Without ownership it can't drop, alter or disable a trigger, and without superuser it can't set
session_replication_role (PostgreSQL 15+ could grant that with GRANT SET: never do).

Migrations run as the owner; after each `migrate` (post_migrate) the owner grants all this
afresh, so a table added by a migration is covered at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pgtrigger
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from config.database import Credentials

MIGRATIONS_TABLE = "django_migrations"


def append_only_tables() -> list[str]:
    """Tables whose rows the database refuses to change: those with an unconditional pgtrigger
    Protect on both UPDATE and DELETE. That is the access log and, with PGHISTORY_APPEND_ONLY,
    every pghistory event table. Reading them from the triggers means a new append-only model
    loses UPDATE and DELETE without anyone having to list it here."""
    tables = set()
    for model, trigger in pgtrigger.registered():
        operation = trigger.operation
        if (
            isinstance(trigger, pgtrigger.Protect)
            and trigger.condition is None
            and operation is not None
            and pgtrigger.Update in operation
            and pgtrigger.Delete in operation
        ):
            tables.add(model._meta.db_table)
    return sorted(tables)


def grant_app_role(connection: BaseDatabaseWrapper, role: str) -> None:
    """As the owner: give `role` exactly the rights above on the current schema, and no more.

    Everything is revoked and granted again in one transaction, so a table that became
    append-only loses the rights it had, and no other session sees a half-granted schema.
    """
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, pg_has_role(r.oid, current_user, 'MEMBER'), current_schema()"
            " FROM pg_roles r WHERE r.rolname = %s",
            [role],
        )
        row = cursor.fetchone()
        if row is None:
            raise RuntimeError(f"The app's database role {role} does not exist: create it first.")
        is_superuser, is_owner, schema = row
        if is_superuser or is_owner:
            # Such a role could TRUNCATE, drop the triggers or switch them off: refuse to pretend.
            raise RuntimeError(f"The app's database role {role} is a superuser or the owner of the tables.")
        who, where = quote(role), quote(schema)
        statements = [
            f"GRANT USAGE ON SCHEMA {where} TO {who}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {where} TO {who}",
            f"REVOKE INSERT, UPDATE, DELETE ON {quote(MIGRATIONS_TABLE)} FROM {who}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
        ]
        # Only the tables that exist yet: the models may be ahead of the schema (a migration not
        # yet run, or one unapplied), and a missing table would fail the whole statement.
        existing = set(connection.introspection.table_names(cursor))
        if tables := [table for table in append_only_tables() if table in existing]:
            statements.append(f"REVOKE UPDATE, DELETE ON {', '.join(map(quote, tables))} FROM {who}")
        for statement in statements:
            cursor.execute(statement)


def use_credentials(connection: BaseDatabaseWrapper, credentials: Credentials) -> Credentials:
    """Make the connection's next connect use these credentials; return the ones it had.

    The settings dict is shared by every thread's connection of this alias (Django builds each
    from it), so threads that connect later, such as a test live server's, follow too.
    """
    previous = Credentials(USER=connection.settings_dict["USER"], PASSWORD=connection.settings_dict["PASSWORD"])
    connection.close()
    connection.settings_dict.update(credentials)
    return previous


@contextmanager
def connected_as(connection: BaseDatabaseWrapper, credentials: Credentials) -> Iterator[None]:
    previous = use_credentials(connection, credentials)
    try:
        yield
    finally:
        use_credentials(connection, previous)


@contextmanager
def as_owner(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """For the commands that change the schema or rewrite append-only tables (migrate, key
    rotation): connect as the schema's owner (MIGRATE_DATABASE_URL), never as the app's role.
    With one role for everything (a developer's own database, a test run) nothing changes."""
    from django.conf import settings
    from django.core.management.base import CommandError

    roles = settings.DATABASE_ROLES
    if roles is None:
        if settings.MIGRATIONS_NEED_OWNER:
            raise CommandError(
                "Set MIGRATE_DATABASE_URL to the schema owner's URL: this doesn't run as the app's role."
            )
        yield
        return
    with connected_as(connection, roles["owner"]):
        yield
