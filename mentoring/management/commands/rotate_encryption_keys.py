from typing import Any

import pgtrigger
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from config.database_roles import as_owner
from mentoring.fields import EncryptedTextField, map_authenticator_secrets, rotate

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key (the first of FIELD_ENCRYPTION_KEYS). "
        "Add the new key in front, run this, then remove the old key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The access log is append-only: only the tables' owner may switch its guard off.
        with as_owner(connection):
            self._rotate_all()

    def _rotate_all(self) -> None:
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            for field in fields:
                count = self._rotate_column(
                    model._meta.db_table, str(model._meta.pk.column), str(field.column), _update_guards(model)
                )
                self.stdout.write(f"{model._meta.label}.{field.name}: {count} values re-encrypted")
        self.stdout.write(f"mfa.Authenticator: {self._rotate_authenticators()} authenticators re-encrypted")

    def _rotate_authenticators(self) -> int:
        """The TOTP keys and recovery-code seeds, which allauth keeps in a JSON column."""
        from allauth.mfa.models import Authenticator

        done = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
                authenticator.data = map_authenticator_secrets(authenticator.data, rotate)
                authenticator.save(update_fields=["data"])
                done += 1
        return done

    def _rotate_column(self, table: str, pk: str, column: str, guards: list[str]) -> int:
        """Works on raw column values: the ORM would decrypt them on the way out."""
        quote = connection.ops.quote_name
        done = 0
        last_pk: Any = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                # Off for this batch's transaction only: no other session sees the table unguarded,
                # and if anything fails the rollback switches the guard back on too. PostgreSQL
                # refuses to alter a table with checks still pending in the transaction (a caller's
                # own insert into the log): run them now.
                if guards:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for guard in guards:
                    cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(guard)}")
                where = f"{quote(column)} IS NOT NULL" + (f" AND {quote(pk)} > %s" if last_pk is not None else "")
                cursor.execute(
                    f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} WHERE {where} "  # noqa: S608
                    f"ORDER BY {quote(pk)} LIMIT {BATCH} FOR UPDATE",
                    [last_pk] if last_pk is not None else [],
                )
                rows = cursor.fetchall()
                if rows:
                    cursor.executemany(
                        f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s",  # noqa: S608
                        [(rotate(value), key) for key, value in rows],
                    )
                for guard in guards:
                    cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(guard)}")
            if not rows:
                return done
            done += len(rows)
            last_pk = rows[-1][0]


def _update_guards(model: Any) -> list[str]:
    """The database triggers that refuse every UPDATE of the model's table (the access log's
    append-only guard). Re-encrypting a value with a newer key is the one rewrite such a table
    must allow, or its encrypted columns could never leave an old key behind. Switching a
    trigger off needs the table's owner, the role migrations run as."""
    return [
        trigger.get_pgid(model)
        for trigger in getattr(model._meta, "triggers", [])
        if isinstance(trigger, pgtrigger.Protect)
        and trigger.operation is not None
        and pgtrigger.Update in trigger.operation
    ]
