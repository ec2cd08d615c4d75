"""The versions of a resource (R15): its metadata as a plain snapshot, the
history of revisions, and an edit to a published resource that waits as a
pending revision until moderators apply or decline it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.moderation import audit
from commonroom.moderation.models import Review
from commonroom.moderation.services import review_open
from commonroom.resources import file_uploads
from commonroom.resources.models import FileState, Resource, Revision
from commonroom.search.services import search_index_sync

SCALAR_FIELDS = (
    "title",
    "description",
    "kind",
    "language",
    "keywords",
    "age_min",
    "age_max",
    "licence",
    "external_url",
    "video_url",
    "body",
    "adapted_from",
)
M2M_FIELDS = ("subjects", "levels", "curriculum_goals")
FK_FIELDS = ("kind", "language", "licence", "adapted_from")


def snapshot(resource: Resource) -> dict[str, Any]:
    """The resource's metadata as plain JSON (ids for related terms)."""
    data: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        data[name] = (
            getattr(resource, f"{name}_id") if name in FK_FIELDS else getattr(resource, name)
        )
    if resource.pk:
        for name in M2M_FIELDS:
            data[name] = sorted(getattr(resource, name).values_list("pk", flat=True))
    return data


def as_plain(fields: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = {}
    for name, value in fields.items():
        if name in M2M_FIELDS:
            plain[name] = sorted(v.pk if hasattr(v, "pk") else int(v) for v in value or [])
        elif name in FK_FIELDS:
            plain[name] = value.pk if hasattr(value, "pk") else value
        else:
            plain[name] = value
    return plain


def apply_data(resource: Resource, data: dict[str, Any]) -> None:
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(resource, f"{name}_id" if name in FK_FIELDS else name, data[name])
    resource.full_clean(exclude=["author"])
    resource.save()
    versions.changed(resource)  # its page, kept rendered for visitors (page_cache)
    for name in M2M_FIELDS:
        if name in data:
            getattr(resource, name).set(data[name])


def revision_record(
    resource: Resource,
    *,
    by: Member | None,
    before: dict[str, Any],
    status: str = Revision.Status.APPLIED,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Revision:
    after = data if data is not None else snapshot(resource)
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    number = (resource.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    versions.changed(resource)  # every recorded change may show on its page
    return Revision.objects.create(
        resource=resource,
        number=number,
        status=status,
        data=after,
        changed_fields=changed,
        note=note[:500],
        created_by=by,
    )


def revision_propose(
    resource: Resource,
    by: Member,
    before: dict[str, Any],
    data: dict[str, Any],
    uploads: Sequence[UploadedFile[Any]],
    remove_ids: set[int],
    note: str,
) -> Revision:
    pending = resource.revisions.filter(status=Revision.Status.PENDING).first()
    for upload in uploads:
        file_uploads.resource_file_add(
            resource=resource, upload=upload, by=by, state=FileState.PENDING
        )
    pending_files = sorted(
        resource.files.filter(state=FileState.PENDING).values_list("pk", flat=True)
    )
    proposal = {
        **data,
        "add_files": pending_files,
        "remove_files": sorted(
            remove_ids | set(pending.data.get("remove_files", []) if pending else [])
        ),
    }
    if pending is None:
        pending = revision_record(
            resource,
            by=by,
            before=before,
            status=Revision.Status.PENDING,
            note=note,
            data=proposal,
        )
        review_open(item=resource, kind=Review.Kind.REVISION, change=pending)
    else:
        pending.data = proposal
        pending.changed_fields = sorted(
            k for k in proposal if before.get(k) != proposal.get(k) and proposal.get(k) != []
        )
        pending.note = note[:500]
        pending.created_by = by
        pending.save()
    audit.record(
        actor=by, action="revision_propose", subject=resource, target=f"revision:{pending.pk}"
    )
    return pending


def revision_apply(*, revision: Revision, by: Member | None) -> Resource:
    """Make a pending revision the published version (called by moderation)."""
    resource = revision.resource
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    data = dict(revision.data)
    add_files = data.pop("add_files", [])
    remove_files = data.pop("remove_files", [])
    apply_data(resource, data)
    resource.files.filter(pk__in=add_files, state=FileState.PENDING).update(state=FileState.ACTIVE)
    resource.files.filter(pk__in=remove_files).update(state=FileState.REMOVED)
    versions.changed(resource)
    revision.status = Revision.Status.APPLIED
    revision.save(update_fields=["status"])
    return resource


def revision_reinstate(*, revision: Revision) -> Revision:
    """Undo a decline (an objection was upheld in the author's favour): the
    files it added wait again, and it can be applied."""
    files = revision.data.get("add_files", [])
    revision.resource.files.filter(pk__in=files, state=FileState.REMOVED).update(
        state=FileState.PENDING
    )
    revision.status = Revision.Status.PENDING
    revision.save(update_fields=["status"])
    return revision


def field_labels(names: Iterable[str]) -> list[str]:
    """Human names of changed fields, in the active language."""
    labels = []
    for name in names:
        if name == "files":
            labels.append(str(_("files")))
            continue
        try:
            field = Resource._meta.get_field(name)
        except FieldDoesNotExist:
            labels.append(name)
        else:
            labels.append(str(getattr(field, "verbose_name", name)))
    return labels


def revision_decline(*, revision: Revision) -> None:
    files = revision.data.get("add_files", [])
    revision.resource.files.filter(pk__in=files, state=FileState.PENDING).update(
        state=FileState.REMOVED
    )
    revision.status = Revision.Status.DECLINED
    revision.save(update_fields=["status"])
