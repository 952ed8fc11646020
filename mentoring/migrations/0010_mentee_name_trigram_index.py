from django.db import migrations

# Searching her chosen name is a "contains" search (icontains: UPPER(name) LIKE '%...%'), which
# no ordinary index can serve: over tens of thousands of women it reads every row. A
# trigram index serves it.
#
# pg_trgm ships with PostgreSQL's contrib (Debian's server, the postgres Docker image), and it
# is a trusted extension, so the database owner may create it. The embedded PostgreSQL used
# by `make run` without DATABASE_URL (pgserver) has no contrib: there the search still works,
# only without the index, so this migration checks and skips rather than fails.
INDEX = "mentoring_mentee_name_trgm"


def add_index(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "mentoring_mentee" USING gin ((UPPER("chosen_name"::text)) gin_trgm_ops)'
        )


def drop_index(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0009_user_name_order_index")]
    operations = [migrations.RunPython(add_index, drop_index)]
