from django.db import migrations

# The organisation page lists people 25 at a time in name order (User.Meta.ordering, then id).
# Without an index in that order every page sorts everyone with a role in her hubs; with it, a page reads its 25 index entries, each checked against
# the membership index.
#
# Declared in the model's Meta.indexes since 0011, which renamed it; this creates it.
INDEX = "mentoring_user_name_order_idx"


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0008_pair_list_orders")]
    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "mentoring_user" ("display_name", "email", "id")',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        )
    ]
