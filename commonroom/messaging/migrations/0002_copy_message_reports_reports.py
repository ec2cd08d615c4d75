"""Copy every message report into moderation's one ``Report`` (issue 14).
Reasons were one set already (``ReportReason``), so they copy 1:1; status,
reporter, handler and timestamps are kept. A message report was acted upon
only by removing the message, so an actioned one gets the action "hide"
(the message shows "removed by a moderator")."""

from django.db import migrations

BATCH = 1000


def copy_message_reports(apps, schema_editor):
    db = schema_editor.connection.alias
    MessageReport = apps.get_model("messaging", "MessageReport")
    if not MessageReport.objects.using(db).exists():
        return
    Report = apps.get_model("moderation", "UnifiedReport")  # named Report from 0009
    ContentType = apps.get_model("contenttypes", "ContentType")
    message_type, _ = ContentType.objects.using(db).get_or_create(
        app_label="messaging", model="message"
    )
    batch = []
    for old in MessageReport.objects.using(db).order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            Report(
                content_type_id=message_type.pk,
                object_id=old.message_id,
                reporter_id=old.reporter_id,
                reason=old.reason,
                text=old.text,
                status=old.status,
                created_at=old.created_at,
                handled_by_id=old.handled_by_id,
                handled_at=old.handled_at,
                action_taken="hide" if old.status == "actioned" else "",
            )
        )
        if len(batch) == BATCH:
            Report.objects.using(db).bulk_create(batch)
            batch = []
    Report.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("messaging", "0001_initial"),
        ("moderation", "0007_one_report_model_reports"),
    ]

    # Backwards, the old table comes back empty: the rows stay in Report.
    operations = [migrations.RunPython(copy_message_reports, migrations.RunPython.noop)]
