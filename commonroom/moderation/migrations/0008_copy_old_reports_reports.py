"""Copy every resource report and content report into the one report model
(issue 14). Reasons were one set already (``ReportReason``), so they copy
1:1; status, reporter, visitor address, handler, timestamps and the linked
review are kept. A resource report was acted upon only by removing the
resource, so an actioned one gets the action "remove". Message reports are
copied by messaging's own migration."""

from django.db import migrations

BATCH = 1000


def _copy(old_rows, make, Report, db):  # noqa: N803 (historical model)
    batch = []
    for row in old_rows.using(db).order_by("pk").iterator(chunk_size=BATCH):
        batch.append(make(row))
        if len(batch) == BATCH:
            Report.objects.using(db).bulk_create(batch)
            batch = []
    Report.objects.using(db).bulk_create(batch)


def copy_reports(apps, schema_editor):
    db = schema_editor.connection.alias
    Report = apps.get_model("moderation", "UnifiedReport")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ResourceReport = apps.get_model("moderation", "Report")  # the old one
    ContentReport = apps.get_model("moderation", "ContentReport")
    if ResourceReport.objects.using(db).exists():
        resource_type, _ = ContentType.objects.using(db).get_or_create(
            app_label="resources", model="resource"
        )

        def from_resource_report(old):
            return Report(
                content_type_id=resource_type.pk,
                object_id=old.resource_id,
                reporter_id=old.reporter_id,
                reporter_email=old.reporter_email,
                reason=old.reason,
                text=old.text,
                review_id=old.review_id,
                status=old.status,
                created_at=old.created_at,
                handled_by_id=old.handled_by_id,
                handled_at=old.handled_at,
                action_taken="remove" if old.status == "actioned" else "",
            )

        _copy(ResourceReport.objects.all(), from_resource_report, Report, db)

    def from_content_report(old):
        return Report(
            content_type_id=old.content_type_id,
            object_id=old.object_id,
            reporter_id=old.reporter_id,
            reporter_email=old.reporter_email,
            reason=old.reason,
            text=old.text,
            status=old.status,
            created_at=old.created_at,
            handled_by_id=old.handled_by_id,
            handled_at=old.handled_at,
            action_taken=old.action_taken,
            decision_reason=old.decision_reason,
        )

    _copy(ContentReport.objects.all(), from_content_report, Report, db)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0007_one_report_model_reports")]

    # Backwards, the old tables come back empty: the rows stay in Report.
    operations = [migrations.RunPython(copy_reports, migrations.RunPython.noop)]
