from django.db import migrations

from commonroom.legal.seed import seed_documents


def forwards(apps, schema_editor):
    seed_documents(apps.get_model("legal", "LegalDocument"))


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
