from django.db import migrations

from commonroom.taxonomy.loading import load_taxonomy


def forwards(apps, schema_editor):
    load_taxonomy(lambda name: apps.get_model("taxonomy", name))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
