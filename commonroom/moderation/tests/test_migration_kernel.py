"""Issue 14: the migrations that point reviews, decisions, notices and audit
rows at any kind move every existing row without loss (on SQLite and
PostgreSQL: run this file with DATABASE_URL set for the second)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("moderation", "0009_drop_old_reports_reports")]
AFTER = [("moderation", "0012_targets_finish_kernel")]


def _migrate(moderation: list[tuple[str, str]]) -> Any:
    """Moderation at the migration given, every other app at its latest."""
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "moderation"]
    targets = [*others, *moderation]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _populate(apps: Any) -> dict[str, Any]:
    """Rows as they were before the kernel: every row points at a resource."""
    member = apps.get_model("accounts", "Member").objects.create(
        email="author@school.example", first_name="Ann", last_name="Author", language="en"
    )
    kind = apps.get_model("taxonomy", "ResourceKind").objects.create(
        slug="i14-sheet", label_nl="Blad", label_en="Sheet"
    )
    language = apps.get_model("taxonomy", "Language").objects.create(
        slug="i14-en", label_nl="Engels", label_en="English"
    )
    resources = apps.get_model("resources", "Resource").objects
    one = resources.create(
        author=member, title="One", description="-", kind=kind, language=language, state="published"
    )
    two = resources.create(
        author=member, title="Two", description="-", kind=kind, language=language, state="removed"
    )
    revision = apps.get_model("resources", "Revision").objects.create(
        resource=one, number=2, status="pending", created_by=member
    )
    file = apps.get_model("resources", "ResourceFile").objects.create(
        resource=two, file="resources/x.pdf", name="x.pdf", mime_type="application/pdf", size=1
    )
    reviews = apps.get_model("moderation", "Review").objects
    reviews.create(resource=one, kind="submission")
    edit = reviews.create(resource=one, kind="revision", revision=revision)
    decisions = apps.get_model("moderation", "Decision").objects
    decisions.create(resource=one, review=edit, moderator=member, action="publish")
    decisions.create(resource=two, moderator=member, action="remove_file", file=file)
    decisions.create(resource=two, moderator=member, action="remove", reason="Spam")
    apps.get_model("moderation", "Notice").objects.create(
        resource=two, name="N", email="n@example.org", work="W", reasons="R", good_faith=True
    )
    audit = apps.get_model("moderation", "AuditEntry").objects
    audit.create(action="resource_submit", resource=one, target=f"resource:{one.pk}")
    audit.create(action="decision_remove", resource=two, target="decision:3")
    audit.create(action="member_suspend", target="member:1")  # about no resource
    return {"one": one.pk, "two": two.pk, "revision": revision.pk, "file": file.pk}


@pytest.mark.django_db(transaction=True)
def test_issue14_the_kernel_migrations_move_every_row_to_content_types():
    old_apps = _migrate(BEFORE)
    ids = _populate(old_apps)

    new_apps = _migrate(AFTER)
    content_types = new_apps.get_model("contenttypes", "ContentType").objects
    resource = content_types.get(app_label="resources", model="resource")
    revision = content_types.get(app_label="resources", model="revision")
    file = content_types.get(app_label="resources", model="resourcefile")
    reviews = new_apps.get_model("moderation", "Review").objects.order_by("pk")
    decisions = new_apps.get_model("moderation", "Decision").objects.order_by("pk")
    notices = new_apps.get_model("moderation", "Notice").objects.order_by("pk")
    audit = new_apps.get_model("moderation", "AuditEntry").objects.order_by("pk")

    assert [reviews.count(), decisions.count(), notices.count(), audit.count()] == [2, 3, 1, 3]
    assert list(reviews.values_list("content_type", "object_id", "change_type", "change_id")) == [
        (resource.pk, ids["one"], None, None),
        (resource.pk, ids["one"], revision.pk, ids["revision"]),
    ]
    assert list(decisions.values_list("content_type", "object_id", "part_type", "part_id")) == [
        (resource.pk, ids["one"], None, None),
        (resource.pk, ids["two"], file.pk, ids["file"]),
        (resource.pk, ids["two"], None, None),
    ]
    assert list(decisions.values_list("action", "reason")) == [
        ("publish", ""),
        ("remove_file", ""),
        ("remove", "Spam"),
    ]
    assert list(notices.values_list("content_type", "object_id", "name")) == [
        (resource.pk, ids["two"], "N")
    ]
    assert list(audit.values_list("action", "content_type", "object_id")) == [
        ("resource_submit", resource.pk, ids["one"]),
        ("decision_remove", resource.pk, ids["two"]),
        ("member_suspend", None, None),
    ]

    # And back: the resource keys are filled again from the content types.
    back_apps = _migrate(BEFORE)
    old_reviews = back_apps.get_model("moderation", "Review").objects.order_by("pk")
    assert list(old_reviews.values_list("resource_id", "revision_id")) == [
        (ids["one"], None),
        (ids["one"], ids["revision"]),
    ]
    old_decisions = back_apps.get_model("moderation", "Decision").objects.order_by("pk")
    assert list(old_decisions.values_list("resource_id", "file_id")) == [
        (ids["one"], None),
        (ids["two"], ids["file"]),
        (ids["two"], None),
    ]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate([node for node in leaves if node[0] == "moderation"])
