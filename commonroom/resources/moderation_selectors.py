"""What the review page shows of a resource (R15, R26): its terms, the files
a moderator must see, and a proposed edit field by field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from commonroom.moderation.models import Review
from commonroom.resources.models import Resource, ResourceFile, Revision
from commonroom.resources.revisions import FK_FIELDS, M2M_FIELDS, snapshot
from commonroom.taxonomy.models import EducationLevel, Language, Licence, ResourceKind, Subject


def review_resource(review: Review) -> Resource:
    """The resource under review with its terms and every file a moderator
    must see (pending and quarantined ones included, removed ones not)."""
    return (
        Resource.objects.select_related("author", "kind", "language", "licence", "adapted_from")
        .prefetch_related(
            Prefetch("subjects", queryset=Subject.objects.select_related("parent")),
            Prefetch("levels", queryset=EducationLevel.objects.select_related("parent")),
            Prefetch(
                "files",
                queryset=ResourceFile.objects.exclude(state="removed"),
                to_attr="moderated_files",
            ),
        )
        .get(pk=review.object_id)
    )


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    current: str
    proposed: str


FIELD_LABELS = {
    f.name: f.verbose_name for f in Resource._meta.get_fields() if hasattr(f, "verbose_name")
}
TERM_MODELS: dict[str, Any] = {
    "kind": ResourceKind,
    "language": Language,
    "licence": Licence,
    "adapted_from": Resource,
    "subjects": Subject,
    "levels": EducationLevel,
}


def _names(model: Any, ids: Iterable[int]) -> dict[int, str]:
    if model is None:
        return {}
    return {obj.pk: str(obj) for obj in model.objects.filter(pk__in=list(ids))}


def revision_changes(revision: Revision) -> list[FieldChange]:
    """A pending revision field by field against the published values (R15)."""
    resource = revision.resource
    current = snapshot(resource)
    proposed = dict(revision.data)
    changes = []
    for name in sorted(set(proposed) - {"add_files", "remove_files"}):
        if name == "curriculum_goals":
            continue  # shown by code on the resource page; rarely edited
        before, after = current.get(name), proposed.get(name)
        if before == after or (before in (None, "", []) and after in (None, "", [])):
            continue
        changes.append(
            FieldChange(name, str(FIELD_LABELS.get(name, name)), *_display(name, before, after))
        )
    files = {f.pk: f.name for f in resource.files.all()}
    added = [files.get(pk, str(pk)) for pk in proposed.get("add_files", [])]
    removed = [files.get(pk, str(pk)) for pk in proposed.get("remove_files", [])]
    if added or removed:
        changes.append(FieldChange("files", str(_("files")), ", ".join(removed), ", ".join(added)))
    return changes


def _display(name: str, before: Any, after: Any) -> tuple[str, str]:
    if name in FK_FIELDS or name in M2M_FIELDS:
        ids = [*(before or []), *(after or [])] if name in M2M_FIELDS else [before, after]
        names = _names(TERM_MODELS.get(name), [i for i in ids if i])

        def text(value: Any) -> str:
            values = value if name in M2M_FIELDS else ([value] if value else [])
            return ", ".join(names.get(v, str(v)) for v in values)

        return text(before), text(after)
    if name == "keywords":
        return ", ".join(before or []), ", ".join(after or [])
    return ("" if before is None else str(before)), ("" if after is None else str(after))
