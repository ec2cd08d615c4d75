from django.db import migrations

from commonroom.taxonomy.loading import load_vocabularies


def forwards(apps, schema_editor):
    # The curriculum goals are loaded by 0004, once their fields exist.
    load_vocabularies(lambda name: apps.get_model("taxonomy", name))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
