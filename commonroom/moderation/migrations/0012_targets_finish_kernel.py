"""The resource foreign keys go; reviews, decisions and notices always have a target."""

import django.db.models.deletion
from django.db import migrations, models


def _type() -> models.ForeignKey:
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="contenttypes.contenttype",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0011_targets_fill_kernel"),
    ]

    operations = [
        migrations.RemoveField("review", "resource"),
        migrations.RemoveField("review", "revision"),
        migrations.RemoveField("decision", "resource"),
        migrations.RemoveField("decision", "file"),
        migrations.RemoveField("notice", "resource"),
        migrations.RemoveField("auditentry", "resource"),
        migrations.AlterField("review", "content_type", _type()),
        migrations.AlterField("review", "object_id", models.PositiveBigIntegerField()),
        migrations.AlterField("decision", "content_type", _type()),
        migrations.AlterField("decision", "object_id", models.PositiveBigIntegerField()),
        migrations.AlterField("notice", "content_type", _type()),
        migrations.AlterField("notice", "object_id", models.PositiveBigIntegerField()),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["content_type", "object_id"], name="review_target_idx"),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["content_type", "object_id"], name="decision_target_idx"),
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(fields=["content_type", "object_id"], name="notice_target_idx"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["content_type", "object_id"], name="audit_subject_idx"),
        ),
    ]
