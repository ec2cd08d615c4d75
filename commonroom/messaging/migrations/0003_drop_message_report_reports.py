"""Message reports live in moderation's ``Report`` now (copied by 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("messaging", "0002_copy_message_reports_reports")]

    operations = [migrations.DeleteModel(name="MessageReport")]
