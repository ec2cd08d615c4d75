"""One report model for every kind (issue 14), pointing at its object through
content types. It is created as ``UnifiedReport`` beside the old ``Report``
and ``ContentReport`` (0008 and messaging's 0002 copy their rows into it) and
takes the name ``Report`` in 0009, once the old tables are gone: renaming the
old table out of the way instead would leave its index names (PostgreSQL's
primary key index among them) in the new table's way."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0006_visitor_reports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UnifiedReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "reporter_email",
                    models.EmailField(
                        blank=True, max_length=254, verbose_name="your email address"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("illegal", "Illegal content"),
                            ("harmful", "Harmful, insulting, hateful or sexual content"),
                            ("privacy", "Infringes someone's privacy"),
                            ("malware", "Contains a virus or other malware"),
                            ("infringement", "Infringes copyright or other rights"),
                            ("spam", "Spam or advertising"),
                            ("off_topic", "Off-topic or not relevant to education"),
                            ("impersonation", "Impersonates someone"),
                        ],
                        max_length=20,
                        verbose_name="reason",
                    ),
                ),
                (
                    "text",
                    models.TextField(blank=True, max_length=3000, verbose_name="explanation"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("actioned", "Acted upon"),
                            ("dismissed", "Dismissed"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                ("handled_at", models.DateTimeField(blank=True, null=True)),
                (
                    "action_taken",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("hide", "Hidden"),
                            ("remove", "Removed"),
                            ("warn", "Author warned"),
                            ("suspend", "Author suspended"),
                        ],
                        max_length=10,
                    ),
                ),
                ("decision_reason", models.TextField(blank=True)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reporter",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reports",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reports",
                        to="moderation.review",
                    ),
                ),
            ],
            options={
                "verbose_name": "report",
                "verbose_name_plural": "reports",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["content_type", "object_id"], name="report_target"),
                    models.Index(fields=["status", "created_at"], name="report_queue"),
                ],
            },
        ),
    ]
