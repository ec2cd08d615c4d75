from django.db import migrations

from commonroom.moderation.criteria import seed_criteria


def forwards(apps, schema_editor):
    seed_criteria(apps.get_model("moderation", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
