from django.db import migrations

# The mentee list is sorted by chosen name across all of a coordinator's hubs. Without an
# index in that order, every page sorts every woman's row;
# with it, the first pages read 25 index entries.
#
# Declared in the model's Meta.indexes since 0011, which renamed it; this creates it.
INDEX = "mentoring_mentee_name_order_idx"


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0005_mentors_and_pairs")]
    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "mentoring_mentee" ("chosen_name", "id")',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        )
    ]
