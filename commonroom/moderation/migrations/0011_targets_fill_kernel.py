"""Every existing review, decision, notice and audit row keeps pointing at
its resource (and revision or file), now through content types."""

from typing import Any

from django.db import migrations
from django.db.models import F

# (model, old foreign key, its model, new type column, new id column)
MOVES = [
    ("review", "resource", "resource", "content_type", "object_id"),
    ("review", "revision", "revision", "change_type", "change_id"),
    ("decision", "resource", "resource", "content_type", "object_id"),
    ("decision", "file", "resourcefile", "part_type", "part_id"),
    ("notice", "resource", "resource", "content_type", "object_id"),
    ("auditentry", "resource", "resource", "content_type", "object_id"),
]


def _content_type(apps: Any, schema_editor: Any, model: str) -> Any:
    content_types = apps.get_model("contenttypes", "ContentType")
    manager = content_types.objects.db_manager(schema_editor.connection.alias)
    return manager.get_or_create(app_label="resources", model=model)[0]


def forward(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    for model, old, target, type_column, id_column in MOVES:
        rows = apps.get_model("moderation", model).objects.using(alias)
        content_type = _content_type(apps, schema_editor, target)
        rows.filter(**{f"{old}__isnull": False}).update(
            **{type_column: content_type, id_column: F(f"{old}_id")}
        )


def backward(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    for model, old, target, type_column, id_column in MOVES:
        rows = apps.get_model("moderation", model).objects.using(alias)
        content_type = _content_type(apps, schema_editor, target)
        rows.filter(**{type_column: content_type}).update(**{f"{old}_id": F(id_column)})


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0010_targets_add_kernel"),
        ("resources", "0002_resourcefile_thumbnail_small"),
    ]

    operations = [migrations.RunPython(forward, backward)]
