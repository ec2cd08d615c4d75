"""The resource and content reports live in the one model now (copied by
0008, message reports by messaging's 0002): the old tables go and the new
model takes the name ``Report``."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0008_copy_old_reports_reports"),
        # Messaging copies its reports into ``UnifiedReport`` before the rename.
        ("messaging", "0002_copy_message_reports_reports"),
    ]

    operations = [
        migrations.DeleteModel(name="Report"),
        migrations.DeleteModel(name="ContentReport"),
        migrations.RenameModel(old_name="UnifiedReport", new_name="Report"),
    ]
