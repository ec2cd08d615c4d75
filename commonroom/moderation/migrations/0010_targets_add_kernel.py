"""Reviews, decisions, notices and audit rows point at any moderated kind
(issue 14): the content-type columns are added beside the resource foreign
keys, filled in 0008 and the old keys dropped in 0009. Three migrations, so
that on PostgreSQL no table is altered in the transaction that updated it."""

import django.db.models.deletion
from django.db import migrations, models


def _type(null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        blank=null,
        null=null,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="contenttypes.contenttype",
    )


def _id() -> models.PositiveBigIntegerField:
    return models.PositiveBigIntegerField(blank=True, null=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0009_drop_old_reports_reports"),
        ("resources", "0002_resourcefile_thumbnail_small"),
    ]

    operations = [
        # The resource keys may be empty from now on, so that migrating back
        # adds them empty, 0008 fills them, and only then they are required again.
        *(
            migrations.AlterField(
                model,
                "resource",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name=related,
                    to="resources.resource",
                ),
            )
            for model, related in (
                ("review", "reviews"),
                ("decision", "decisions"),
                ("notice", "notices"),
            )
        ),
        migrations.AddField("review", "content_type", _type()),
        migrations.AddField("review", "object_id", _id()),
        migrations.AddField("review", "change_type", _type()),
        migrations.AddField("review", "change_id", _id()),
        migrations.AddField("decision", "content_type", _type()),
        migrations.AddField("decision", "object_id", _id()),
        migrations.AddField("decision", "part_type", _type()),
        migrations.AddField("decision", "part_id", _id()),
        migrations.AddField("notice", "content_type", _type()),
        migrations.AddField("notice", "object_id", _id()),
        migrations.AddField("auditentry", "content_type", _type()),
        migrations.AddField("auditentry", "object_id", _id()),
    ]
