from django.db import migrations, models

# Migrations 0006, 0007 and 0009 created these indexes in raw SQL, outside the models' state.
# They are declared in Meta.indexes now; here the state learns of them, and the database only
# renames the existing indexes to the declared names (Django caps index names at 30 characters),
# so nothing is rebuilt.
RENAMES = [
    ("mentoring_mentee_name_order_idx", "mentee_name_order_idx"),
    ("mentoring_mentee_hub_latest_idx", "mentee_hub_latest_idx"),
    ("mentoring_needrating_area_now_cover_idx", "needrating_area_now_idx"),
    ("mentoring_user_name_order_idx", "user_name_order_idx"),
]


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0010_mentee_name_trigram_index")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'ALTER INDEX IF EXISTS "{old}" RENAME TO "{new}"',
                    f'ALTER INDEX IF EXISTS "{new}" RENAME TO "{old}"',
                )
                for old, new in RENAMES
            ],
            state_operations=[
                migrations.AddIndex(
                    model_name="mentee",
                    index=models.Index(fields=["chosen_name", "id"], name="mentee_name_order_idx"),
                ),
                migrations.AddIndex(
                    model_name="mentee",
                    index=models.Index(fields=["hub", "latest_assessment"], name="mentee_hub_latest_idx"),
                ),
                migrations.AddIndex(
                    model_name="needrating",
                    index=models.Index(
                        fields=["need_area", "affects_now"], include=["assessment"], name="needrating_area_now_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="user",
                    index=models.Index(fields=["display_name", "email", "id"], name="user_name_order_idx"),
                ),
            ],
        )
    ]
