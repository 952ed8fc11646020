"""Migration 0013 encrypts what is already stored, in place, and gives it back on the way down.

The test database is taken back to 0012 with rows in every column the migration encrypts
(the access log's too, whose trigger refuses updates), then forward again.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from config.database_roles import connected_as, grant_app_role
from mentoring.models import AccessLog, Mentee
from mentoring.policies.audit import access_log_record

migration = import_module("mentoring.migrations.0013_encrypt_free_text")

# Rows are committed (a migration runs in its own transaction), so the test
# is transactional; it ends by emptying every table. The migrations' rows are put back before it
# (standard_need_areas) and, for the runs after this one, at the end of the run.
pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.fixture
def migrate_to(database_roles):
    """Migrations run as the tables' owner, as `manage.py migrate` does."""

    def migrate(name: str | None = None) -> None:
        with connected_as(connection, database_roles["owner"]):
            executor = MigrationExecutor(connection)
            target = ("mentoring", name) if name else executor.loader.graph.leaf_nodes("mentoring")[0]
            executor.migrate([target])
            # Going back past a later migration drops the tables it made; made again, they are the
            # owner's alone until granted, as `migrate` does after every run (mentoring/apps.py).
            grant_app_role(connection, database_roles["app"]["USER"])

    return migrate


def raw(table: str, column: str) -> list[str | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_stored_text_is_encrypted_in_place_and_decrypted_on_the_way_back(
    every_kind_of_record, amber, carys, migrate_to, database_roles
):
    access_log_record(user=carys, action=AccessLog.Action.REVEAL, obj=amber, reason="Her safety plan")
    # One value per column the migration encrypts, written through the fields as they are now.
    written: dict[tuple[str, str], str] = {}
    for table, column in migration.COLUMNS:
        if table == "mentoring_accesslog":
            written[(table, column)] = "Her safety plan"
            continue
        model = next(m for m in apps.get_app_config("mentoring").get_models() if m._meta.db_table == table)
        row = model._default_manager.order_by("pk").first()
        assert row is not None, table
        field = next(f for f in model._meta.concrete_fields if f.column == column)
        written[(table, column)] = f"Plain words in {table}.{column}"
        model._default_manager.filter(pk=row.pk).update(**{field.name: written[(table, column)]})

    try:
        migrate_to("0012_encrypt_mfa_secrets")
        for (table, column), value in written.items():
            values = raw(table, column)
            assert value in values, (table, column)
            assert None not in values  # blanks are empty strings again, as the plain columns had them
        migrate_to("0013_encrypt_free_text")
    finally:
        migrate_to()  # the latest, for the tests after this one

    for (table, column), value in written.items():
        stored = [v for v in raw(table, column) if v is not None]
        assert stored, (table, column)
        assert value not in stored and all(v.startswith("gAAAA") for v in stored), (table, column)
        assert "" not in raw(table, column)  # blank is NULL again
    assert "Her safety plan" in [entry.reason for entry in AccessLog.objects.all()]
    assert Mentee.objects.get(pk=amber.pk).languages == written[("mentoring_mentee", "languages")]
    # The access log is append-only again: its trigger refuses even the owner.
    with (
        connected_as(connection, database_roles["owner"]),
        pytest.raises(DatabaseError, match="Cannot update"),
        transaction.atomic(),
    ):
        AccessLog.objects.update(action=AccessLog.Action.VIEW)

