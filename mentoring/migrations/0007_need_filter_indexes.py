from django.db import migrations

# The mentee list's need-area filter ("women for whom housing affects her now, in her latest
# assessment") counts matches across all of a coordinator's hubs. These two covering indexes
# let both sides of that join be read from indexes alone.
#
# Declared in the model's Meta.indexes since 0011, which renamed it; this creates it.
MENTEE_INDEX = "mentoring_mentee_hub_latest_idx"
RATING_INDEX = "mentoring_needrating_area_now_cover_idx"


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0006_mentee_name_order_index")]
    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{MENTEE_INDEX}" ON "mentoring_mentee" ("hub_id", "latest_assessment_id")',
            f'DROP INDEX IF EXISTS "{MENTEE_INDEX}"',
        ),
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{RATING_INDEX}" ON "mentoring_needrating" ("need_area_id", "affects_now")'
            ' INCLUDE ("assessment_id")',
            f'DROP INDEX IF EXISTS "{RATING_INDEX}"',
        ),
    ]
