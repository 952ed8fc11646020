"""The indexes the models declare exist in the database under their declared names.

Migrations 0006, 0007 and 0009 made four of them in raw SQL; 0011 renamed them to the names in
Meta.indexes. If the database kept the old names, the next `makemigrations` would try to create
them again beside the old ones.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

# Declared name -> the model that declares it.
RENAMED_BY_0011 = {
    "mentee_name_order_idx": "mentoring.Mentee",
    "mentee_hub_latest_idx": "mentoring.Mentee",
    "needrating_area_now_idx": "mentoring.NeedRating",
    "user_name_order_idx": "mentoring.User",
}


def indexes_in_the_database() -> dict[str, str]:
    """Index name -> its table, for the public schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, tablename FROM pg_indexes WHERE schemaname = current_schema()")
        return dict(cursor.fetchall())


def named_indexes_declared() -> dict[str, str]:
    """Every index given a name in a mentoring model's Meta.indexes -> the model's table."""
    return {
        index.name: model._meta.db_table
        for model in apps.get_app_config("mentoring").get_models()
        for index in model._meta.indexes
        if index.name
    }


def test_every_named_index_exists_under_its_declared_name_on_its_table():
    in_database = indexes_in_the_database()
    declared = named_indexes_declared()
    for name, label in RENAMED_BY_0011.items():
        assert declared.get(name) == apps.get_model(label)._meta.db_table, name
    missing = {name: table for name, table in declared.items() if in_database.get(name) != table}
    assert missing == {}


def test_the_raw_names_are_gone():
    renames = import_module("mentoring.migrations.0011_declare_raw_indexes").RENAMES
    old_names = {old for old, _ in renames}
    assert old_names == {
        "mentoring_mentee_name_order_idx",
        "mentoring_mentee_hub_latest_idx",
        "mentoring_needrating_area_now_cover_idx",
        "mentoring_user_name_order_idx",
    }
    assert {new for _, new in renames} == set(RENAMED_BY_0011)
    assert old_names & set(indexes_in_the_database()) == set()


def test_chosen_name_search_has_its_trigram_index_where_postgresql_offers_pg_trgm():
    """Migration 0010 adds the index when the server ships pg_trgm (these machines' PostgreSQL
    does; the embedded one doesn't, and search still works there without it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        available = cursor.fetchone() is not None
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'mentoring_mentee_name_trgm'")
        assert (cursor.fetchone() is not None) == available
