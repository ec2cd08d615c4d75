from django.db import migrations

from commonroom.taxonomy.goals import load_curriculum_goals


def forwards(apps, schema_editor):
    load_curriculum_goals(lambda name: apps.get_model("taxonomy", name))


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0003_curriculum_goal_level_subject_key_competence"),
        # A goal dropped from the file is kept while resources use it.
        ("resources", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
