from django.db import migrations

# The standard need areas every organisation starts with (holistic: all of her life at once).
STANDARD_NEED_AREAS = [
    ("domestic-abuse", "Domestic abuse"),
    ("sexual-violence", "Sexual violence"),
    ("housing", "Housing and homelessness"),
    ("drugs", "Drugs"),
    ("alcohol", "Alcohol"),
    ("mental-health", "Mental health"),
    ("physical-health", "Physical health"),
    ("criminal-justice", "Criminal justice"),
    ("children-family", "Children and family (including social services)"),
    ("money", "Money, debt and benefits"),
    ("education-work", "Education, training and work"),
    ("isolation", "Isolation and loneliness"),
    ("immigration", "Immigration status"),
    ("exploitation", "Exploitation"),
]


def add_areas(apps, schema_editor):
    NeedArea = apps.get_model("mentoring", "NeedArea")
    for order, (slug, name) in enumerate(STANDARD_NEED_AREAS, start=1):
        NeedArea.objects.get_or_create(organisation=None, slug=slug, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0002_intake")]
    operations = [migrations.RunPython(add_areas, migrations.RunPython.noop)]
