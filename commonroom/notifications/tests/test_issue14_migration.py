"""Issue 14: notifications moved from social to their own app without losing
a row. A populated database is migrated back to before the move and forward
again: rows, their fields, their content types (and the permissions on them)
and the background work queued under the old task paths all survive, on
SQLite and PostgreSQL alike."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.core.models import OutboxEntry
from commonroom.notifications.models import Notification, NotificationPreference

BEFORE_MOVE = ("social", "0004_notification_texts_per_language")
MOVED_APPS = ("social", "notifications")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the applied set changed
    return executor


def _nodes_before_move(executor):
    leaves = executor.loader.graph.leaf_nodes()
    return [node for node in leaves if node[0] not in MOVED_APPS] + [BEFORE_MOVE]


@pytest.mark.django_db(transaction=True)
def test_issue14_moving_notifications_to_their_app_keeps_every_row():
    anna, bram = MemberFactory(language="nl"), MemberFactory(language="en")
    kept = Notification.objects.create(
        recipient=anna,
        kind="reaction",
        title="Bram reageerde",
        body="Mooi",
        texts={"nl": {"title": "Bram reageerde", "body": "Mooi"}},
        url="/resources/1/",
        digest_pending=True,
    )
    NotificationPreference.objects.create(member=anna, kind="new_follower", frequency="never")

    executor = MigrationExecutor(connection)
    before = _nodes_before_move(executor)
    executor = _migrate(before)
    old = executor.loader.project_state(before).apps
    OldNotification = old.get_model("social", "Notification")
    OldPreference = old.get_model("social", "NotificationPreference")
    old_content_types = old.get_model("contenttypes", "ContentType").objects

    # Back before the move, the rows made after it are social's again.
    assert list(OldNotification.objects.values_list("pk", "title", "digest_pending")) == [
        (kept.pk, "Bram reageerde", True)
    ]
    assert OldPreference.objects.count() == 1
    assert old_content_types.filter(app_label="social", model="notification").count() == 1
    assert not old_content_types.filter(app_label="notifications").exists()
    # Rows written by the code of before the move.
    OldNotification.objects.create(
        recipient_id=bram.pk, kind="new_message", title="New message", read_at=timezone.now()
    )
    OldNotification.objects.create(
        recipient_id=bram.pk,
        kind="saved_search",
        title="3 new",
        texts={"en": {"title": "3 new", "body": ""}, "nl": {"title": "3 nieuw", "body": ""}},
    )
    OldPreference.objects.create(member_id=bram.pk, kind="reaction", frequency="daily")
    old_task = "commonroom.social.tasks.notification_email_send"
    old.get_model("core", "OutboxEntry").objects.create(
        task_path=old_task, kwargs={"notification_id": kept.pk}, next_attempt_at=timezone.now()
    )
    old_type = old_content_types.get(app_label="social", model="notification")
    permission_ids = set(
        old.get_model("auth", "Permission")
        .objects.filter(content_type=old_type)
        .values_list("pk", flat=True)
    )
    assert len(permission_ids) == 4  # add, change, delete, view
    counts = (OldNotification.objects.count(), OldPreference.objects.count())

    executor = _migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    assert (
        (Notification.objects.count(), NotificationPreference.objects.count()) == counts == (3, 2)
    )
    saved = Notification.objects.get(recipient=bram, kind="saved_search")
    assert saved.texts["nl"] == {"title": "3 nieuw", "body": ""}
    assert Notification.objects.get(pk=kept.pk).url == "/resources/1/"
    assert set(NotificationPreference.objects.values_list("member_id", "kind", "frequency")) == {
        (anna.pk, "new_follower", "never"),
        (bram.pk, "reaction", "daily"),
    }
    # The same content type row, relabelled: what pointed at it still does.
    moved_type = ContentType.objects.get_for_model(Notification)
    assert moved_type.pk == old_type.pk
    assert not ContentType.objects.filter(app_label="social", model="notification").exists()
    assert set(Permission.objects.filter(content_type=moved_type).values_list("pk", flat=True)) == (
        permission_ids
    )
    assert list(OutboxEntry.objects.values_list("task_path", flat=True)) == [
        "commonroom.notifications.tasks.notification_email_send"
    ]
    # The moved models work as before.
    Notification.objects.create(recipient=anna, kind="notice", title="Later")
    assert Notification.objects.filter(recipient=anna).count() == 2
