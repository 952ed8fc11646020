"""config/database_roles.py: the suite's connection is the app's role, and as that role the
access log and the history can be read and added to, never changed, emptied or unprotected."""

import environ
import psycopg.errors
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import ProgrammingError, connection, transaction
from pghistory.models import Event

from config.database import database_roles
from config.database_roles import append_only_tables
from mentoring.models import AccessLog, Mentee
from mentoring.policies.audit import access_log_record
from mentoring.services.mentees import mentee_update_profile
from tests.config.test_settings import production_env, run_manage

pytestmark = pytest.mark.django_db

ACCESS_LOG = AccessLog._meta.db_table
MenteeEvent = apps.get_model("mentoring", "MenteeEvent")
HISTORY = MenteeEvent._meta.db_table  # one of the pghistory event tables: her record's history
PRIMARY_KEYS = {ACCESS_LOG: "id", HISTORY: "pgh_id"}


def refused(sql: str) -> None:
    """Run `sql` as the suite's connection and require PostgreSQL to refuse it for want of a
    privilege: not an error of the trigger's, which would mean the right was there."""
    with pytest.raises(ProgrammingError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert isinstance(caught.value.__cause__, psycopg.errors.InsufficientPrivilege), caught.value


def triggers_on(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname", [table]
        )
        return [name for (name,) in cursor.fetchall()]


@pytest.fixture
def logged_and_changed(amber, carys, hub) -> None:
    """A row in the access log and in her history, so each statement has rows to work on."""
    access_log_record(user=carys, action=AccessLog.Action.VIEW, obj=amber, hub=hub, reason="Weekly review")
    mentee_update_profile(mentee=amber, acting_user=carys, chosen_name="Amber B")


def test_the_suite_connects_as_the_app_role_not_the_owner(database_roles):
    app, owner = database_roles["app"]["USER"], database_roles["owner"]["USER"]
    assert app != owner
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, r.rolsuper, r.rolcreaterole, pg_has_role(current_user, %s, 'MEMBER'),"
            " (SELECT tableowner FROM pg_tables WHERE tablename = %s)"
            " FROM pg_roles r WHERE r.rolname = current_user",
            [owner, ACCESS_LOG],
        )
        current, superuser, createrole, member_of_owner, log_owner = cursor.fetchone()
    assert (current, superuser, createrole, member_of_owner) == (app, False, False, False)
    assert log_owner == owner


@pytest.mark.parametrize("table", [ACCESS_LOG, HISTORY])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET {pk} = {pk}", "DELETE FROM {table}", "TRUNCATE {table}"],
    ids=["update", "delete", "truncate"],
)
def test_the_app_role_cannot_change_or_empty_the_log_or_the_history(logged_and_changed, table, statement):
    refused(statement.format(table=table, pk=PRIMARY_KEYS[table]))


@pytest.mark.parametrize("table", [ACCESS_LOG, HISTORY])
def test_the_app_role_cannot_drop_or_disable_their_triggers(table):
    names = triggers_on(table)
    assert names, f"{table} has no append-only trigger"
    for name in names:
        refused(f'DROP TRIGGER "{name}" ON {table}')
        refused(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
    refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert triggers_on(table) == names


@pytest.mark.parametrize("scope", ["SET", "SET LOCAL"])
def test_the_app_role_cannot_switch_triggers_off_with_session_replication_role(scope):
    refused(f"{scope} session_replication_role = replica")
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone() == ("origin",)


def test_the_app_role_can_add_to_and_read_the_log_and_the_history(logged_and_changed, amber):
    # The reason is encrypted, so it is compared once read.
    assert [e.reason for e in AccessLog.objects.filter(object_id=str(amber.pk))].count("Weekly review") == 1
    # Her history's rows were written by triggers running as the app's role.
    assert [event.chosen_name for event in MenteeEvent.objects.filter(pgh_obj=amber).order_by("pgh_id")] == [
        "Amber",
        "Amber B",
    ]


def test_append_only_tables_are_the_access_log_and_every_history_table():
    history = {model._meta.db_table for model in apps.get_models() if issubclass(model, Event)}
    assert HISTORY in history
    assert set(append_only_tables()) == {ACCESS_LOG, *history}


def test_the_app_role_holds_exactly_its_rights_on_every_table():
    """Checked in the catalogue for every table, so one added later is covered too."""
    append_only = set(append_only_tables())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, array("
            "  SELECT p FROM unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p"
            "  WHERE has_table_privilege(current_user, (quote_ident(schemaname) || '.' || quote_ident(tablename)), p)"
            ") FROM pg_tables WHERE schemaname = current_schema()"
        )
        rights = dict(cursor.fetchall())
    assert ACCESS_LOG in rights and Mentee._meta.db_table in rights
    expected = {
        table: ["SELECT", "INSERT"]
        if table in append_only
        else ["SELECT"]
        if table == "django_migrations"
        else ["SELECT", "INSERT", "UPDATE", "DELETE"]
        for table in rights
    }
    assert rights == expected


def test_the_app_role_may_not_be_granted_session_replication_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_parameter_privilege(current_user, 'session_replication_role', 'SET')")
        assert cursor.fetchone() == (False,)


# --- configuration ---


def test_production_refuses_to_migrate_without_the_owner_url():
    env = production_env()
    env.pop("MIGRATE_DATABASE_URL", None)
    result = run_manage("migrate", "--check", env=env)
    assert result.returncode != 0
    assert "Set MIGRATE_DATABASE_URL" in result.stderr


APP_URL = "postgres://alongside_app:app-secret@db.example.org:5432/alongside"


@pytest.mark.parametrize(
    "owner_url",
    [
        "postgres://alongside:owner-secret@db.example.org:5432/elsewhere",
        "postgres://alongside:owner-secret@other.example.org:5432/alongside",
        "postgres://alongside_app:owner-secret@db.example.org:5432/alongside",
    ],
    ids=["other database", "other host", "same role"],
)
def test_the_owner_url_must_reach_the_same_database_as_another_role(monkeypatch, owner_url):
    env = environ.Env()
    monkeypatch.setenv("DATABASE_URL", APP_URL)
    monkeypatch.setenv("MIGRATE_DATABASE_URL", owner_url)
    with pytest.raises(ImproperlyConfigured):
        database_roles(env, env.db_url_config(APP_URL))


def test_the_owner_url_gives_the_roles(monkeypatch):
    env = environ.Env()
    monkeypatch.setenv("DATABASE_URL", APP_URL)
    monkeypatch.setenv("MIGRATE_DATABASE_URL", "postgres://alongside:owner-secret@db.example.org:5432/alongside")
    assert database_roles(env, env.db_url_config(APP_URL)) == {
        "owner": {"USER": "alongside", "PASSWORD": "owner-secret"},
        "app": {"USER": "alongside_app", "PASSWORD": "app-secret"},
    }
    monkeypatch.delenv("MIGRATE_DATABASE_URL")
    assert database_roles(env, env.db_url_config(APP_URL)) is None
