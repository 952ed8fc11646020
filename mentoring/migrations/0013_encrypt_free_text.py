"""Encrypt the free text that could identify or endanger a woman, and what is already stored.

Each column becomes an encrypted field (text, NULL when blank), then every stored value is
encrypted in place, in batches, with the newest key. Reversible: going back decrypts them and
puts blanks back as empty strings, as the plain columns had them.

None of these columns is tracked by pghistory, so no event table holds a copy to encrypt.
"""

from cryptography.fernet import InvalidToken
from django.db import migrations, models

import mentoring.fields

# (table, column) of every column this migration encrypts.
COLUMNS = [
    ("mentoring_accesslog", "reason"),
    ("mentoring_assessment", "days_and_times"),
    ("mentoring_assessment", "mentor_language"),
    ("mentoring_assessment", "reachable_area"),
    ("mentoring_consent", "what_she_was_told"),
    ("mentoring_mentee", "languages"),
    ("mentoring_menteestatuschange", "reason"),
    ("mentoring_mentorreference", "relationship"),
    ("mentoring_mentorstagechange", "note"),
    ("mentoring_needrating", "other_services"),
    ("mentoring_pair", "not_taken_reason"),
    ("mentoring_pairstatuschange", "reason"),
    ("mentoring_referral", "referrer_organisation"),
]

# The access log refuses UPDATE (its append-only trigger, from 0001). Encrypting its reasons is
# the one rewrite the log must allow: without it the reasons people typed stay readable in every
# copy of the database. The trigger is switched off for this transaction only and on again before
# it commits, so no other session ever sees the table unprotected. This needs the table's owner,
# as every migration does.
ACCESS_LOG = "mentoring_accesslog"
ACCESS_LOG_TRIGGER = "pgtrigger_access_log_append_only_def33"

BATCH = 5000


def _is_token(value):
    from mentoring.fields import fernet

    try:
        fernet().decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def _rewrite(schema_editor, change, blank_to):
    """Apply `change` to every non-blank value of every column, and store blanks as `blank_to`.

    Raw SQL: the historical models' fields would decrypt on the way out.
    """
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        for table, column in COLUMNS:
            t, c = quote(table), quote(column)
            if table == ACCESS_LOG:
                cursor.execute(f"ALTER TABLE {t} DISABLE TRIGGER {quote(ACCESS_LOG_TRIGGER)}")
            if blank_to is None:
                cursor.execute(f"UPDATE {t} SET {c} = NULL WHERE {c} = ''")
            else:
                cursor.execute(f"UPDATE {t} SET {c} = '' WHERE {c} IS NULL")
            last = 0
            while True:
                cursor.execute(
                    f"SELECT id, {c} FROM {t} WHERE id > %s AND {c} IS NOT NULL AND {c} <> '' ORDER BY id LIMIT %s",
                    [last, BATCH],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                changed = [(pk, change(value)) for pk, value in rows]
                changed = [(pk, value) for (pk, value), (_, old) in zip(changed, rows) if value != old]
                if changed:
                    cursor.execute(
                        f"UPDATE {t} SET {c} = v.value FROM unnest(%s::bigint[], %s::text[]) AS v(id, value) "
                        f"WHERE {t}.id = v.id",
                        [[pk for pk, _ in changed], [value for _, value in changed]],
                    )
            if table == ACCESS_LOG:
                cursor.execute(f"ALTER TABLE {t} ENABLE TRIGGER {quote(ACCESS_LOG_TRIGGER)}")


def encrypt_stored_text(apps, schema_editor):
    from mentoring.fields import encrypt

    # A value that is already a token (a re-run after a partial failure) is left as it is.
    _rewrite(schema_editor, lambda value: value if _is_token(value) else encrypt(value), blank_to=None)


def decrypt_stored_text(apps, schema_editor):
    from mentoring.fields import decrypt

    _rewrite(schema_editor, lambda value: decrypt(value) if _is_token(value) else value, blank_to="")


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0012_encrypt_mfa_secrets'),
    ]

    operations = [
        # The schema first: the ciphertext is longer than the plain columns allowed.
        migrations.AlterField(
            model_name='accesslog',
            name='reason',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='days_and_times',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='mentor_language',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='reachable_area',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='consent',
            name='what_she_was_told',
            field=mentoring.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='mentee',
            name='languages',
            field=mentoring.fields.EncryptedCharField(blank=True, default='English', max_length=200),
        ),
        migrations.AlterField(
            model_name='menteestatuschange',
            name='reason',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='mentorreference',
            name='relationship',
            field=mentoring.fields.EncryptedCharField(blank=True, help_text='e.g. employer, support worker', max_length=100),
        ),
        migrations.AlterField(
            model_name='mentorstagechange',
            name='note',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='needrating',
            name='other_services',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='pair',
            name='mentee_consent_method',
            field=models.CharField(blank=True, choices=[('verbal', 'Verbally'), ('written', 'In writing'), ('online', 'Online')], max_length=16),
        ),
        migrations.AlterField(
            model_name='pair',
            name='mentor_consent_method',
            field=models.CharField(blank=True, choices=[('verbal', 'Verbally'), ('written', 'In writing'), ('online', 'Online')], max_length=16),
        ),
        migrations.AlterField(
            model_name='pair',
            name='not_taken_reason',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='pairstatuschange',
            name='reason',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='referral',
            name='referrer_organisation',
            field=mentoring.fields.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.RunPython(encrypt_stored_text, decrypt_stored_text),
    ]
