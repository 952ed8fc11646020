"""Encrypt the matcher's reasons kept with each pair ("Can meet her in …", "Both speak …"), and
what is already stored.

The column becomes encrypted JSON text (NULL when empty), then every stored value is encrypted
in place with the newest key. Reversible: going back decrypts them and the column is JSON again.
The reasons are not tracked by pghistory, so no event table holds a copy.
"""

from django.db import migrations

import mentoring.fields

BATCH = 5000


def _rewrite(schema_editor, change):
    with schema_editor.connection.cursor() as cursor:
        last = 0
        while True:
            cursor.execute(
                "SELECT id, reasons FROM mentoring_pair WHERE id > %s AND reasons IS NOT NULL ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            cursor.execute(
                "UPDATE mentoring_pair SET reasons = v.value FROM unnest(%s::bigint[], %s::text[]) AS v(id, value) "
                "WHERE mentoring_pair.id = v.id",
                [[pk for pk, _ in rows], [change(value) for _, value in rows]],
            )


def encrypt_reasons(apps, schema_editor):
    from mentoring.fields import encrypt

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_pair SET reasons = NULL WHERE reasons IN ('[]', '{}', 'null', '')")
    # A value that is already a token (a re-run after a partial failure) is left as it is.
    _rewrite(schema_editor, lambda value: value if value.startswith("gAAAA") else encrypt(value))


def decrypt_reasons(apps, schema_editor):
    from mentoring.fields import decrypt

    _rewrite(schema_editor, lambda value: decrypt(value) if value.startswith("gAAAA") else value)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_pair SET reasons = '[]' WHERE reasons IS NULL")


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0014_assessment_needs_not_said"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pair",
            name="reasons",
            field=mentoring.fields.EncryptedJSONField(blank=True, default=list),
        ),
        migrations.RunPython(encrypt_reasons, decrypt_reasons),
    ]
