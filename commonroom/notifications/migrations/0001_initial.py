"""Issue 14: the notifications that lived in social, moved here without
copying a row.

social 0005 renamed the tables to this app's names; here the models enter
the migration state over those tables (no database change), their content
types follow them (so permissions and generic relations that point at them
keep working), and background work already queued under the tasks' old
dotted paths is pointed at their new module."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("notification", "notificationpreference")
MOVED_TASKS = ("digests_send", "notification_email_send", "digest_email_send")


def _content_types_relabel(apps, schema_editor, source, target):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for model in MOVED_MODELS:
        # A row under the new label exists only where post_migrate already
        # made one; the old one is then stale (remove_stale_contenttypes).
        if not content_types.filter(app_label=target, model=model).exists():
            content_types.filter(app_label=source, model=model).update(app_label=target)


def content_types_forward(apps, schema_editor):
    _content_types_relabel(apps, schema_editor, "social", "notifications")


def content_types_backward(apps, schema_editor):
    _content_types_relabel(apps, schema_editor, "notifications", "social")


def _queued_tasks_repoint(apps, schema_editor, source, target):
    alias = schema_editor.connection.alias
    queues = [apps.get_model("core", "OutboxEntry"), apps.get_model("django_tasks_database", "DBTaskResult")]
    for name in MOVED_TASKS:
        for model in queues:
            model.objects.using(alias).filter(task_path=f"{source}.{name}").update(
                task_path=f"{target}.{name}"
            )


def queued_tasks_forward(apps, schema_editor):
    _queued_tasks_repoint(apps, schema_editor, "commonroom.social.tasks", "commonroom.notifications.tasks")


def queued_tasks_backward(apps, schema_editor):
    _queued_tasks_repoint(apps, schema_editor, "commonroom.notifications.tasks", "commonroom.social.tasks")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("social", "0005_notifications_move_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_outboxentry"),
        ("django_tasks_database", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40)),
                        ("title", models.CharField(max_length=300)),
                        ("body", models.TextField(blank=True)),
                        ("texts", models.JSONField(blank=True, default=dict)),
                        ("url", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("digest_pending", models.BooleanField(db_index=True, default=False)),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40)),
                        ("frequency", models.CharField(choices=[("immediately", "Immediately"), ("daily", "In a daily digest"), ("never", "Never")], max_length=12)),
                        ("member", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notification_preferences", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "constraints": [models.UniqueConstraint(fields=("member", "kind"), name="one_preference_per_kind")],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
        migrations.RunPython(queued_tasks_forward, queued_tasks_backward),
    ]
