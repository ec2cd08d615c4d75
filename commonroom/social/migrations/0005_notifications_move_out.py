"""Issue 14: notifications move to their own app (commonroom.notifications).

In the database the two tables are renamed to the new app's names and keep
every row; in the migration state the models leave social here and are
created in notifications 0001, which also relabels their content types."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0004_notification_texts_per_language"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("notification", "notifications_notification"),
                migrations.AlterModelTable(
                    "notificationpreference", "notifications_notificationpreference"
                ),
            ],
            state_operations=[
                migrations.DeleteModel("Notification"),
                migrations.DeleteModel("NotificationPreference"),
            ],
        ),
    ]
