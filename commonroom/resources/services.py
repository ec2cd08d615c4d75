"""What authors do with their resources: create, edit, submit, withdraw,
delete (R9, R10, R15, R31, R33, R36). Files live in file_uploads.py, the
history and pending edits in revisions.py, the link check in
link_checks.py; moderators' decisions in resources/moderation.py and the
moderation kernel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.core.storage import files_delete_on_commit
from commonroom.moderation import audit
from commonroom.moderation.lifecycle import Event
from commonroom.moderation.services import item_submit
from commonroom.moderation.transitions import transition
from commonroom.oai.services import records_leaving
from commonroom.resources import file_uploads, revisions
from commonroom.resources.counters import daily_stat_count
from commonroom.resources.harvest import KEY as HARVEST_KIND
from commonroom.resources.licensing import adaptation_problem
from commonroom.resources.models import (
    EDITABLE_STATES,
    PUBLIC_STATES,
    FileState,
    Resource,
    Revision,
    State,
)
from commonroom.search.services import search_index_sync


def _check_adaptation(data: dict[str, Any], resource: Resource | None = None) -> None:
    source_id = data.get("adapted_from")
    licence_id = data.get("licence")
    if not source_id or not licence_id:
        return
    if resource is not None and source_id == resource.pk:
        raise ValidationError({"adapted_from": _("A resource cannot be adapted from itself.")})
    source = Resource.objects.select_related("licence").get(pk=source_id)
    from commonroom.taxonomy.models import Licence

    chosen = Licence.objects.get(pk=licence_id)
    if source.licence and (
        problem := adaptation_problem(source=source.licence.slug, chosen=chosen.slug)
    ):
        raise ValidationError({"licence": problem})


def resource_create(
    *,
    author: Member,
    fields: dict[str, Any],
    uploads: Sequence[UploadedFile] = (),
    rights_confirmed: bool,
    rate_limited: bool = True,
) -> Resource:
    """A new draft (R9, R10). The author must confirm that no third-party
    intellectual-property or portrait rights are infringed (R31).

    ``rate_limited=False`` is for the demo loader only, which adds ten
    resources per demo member at once; every member-facing path keeps it."""
    with file_uploads.atomic_removing_files_on_error():
        return _resource_create(author, fields, uploads, rights_confirmed, rate_limited)


def _resource_create(
    author: Member,
    fields: dict[str, Any],
    uploads: Sequence[UploadedFile],
    rights_confirmed: bool,
    rate_limited: bool,
) -> Resource:
    if not rights_confirmed:
        raise ValidationError(
            _(
                "Confirm that you do not infringe anyone's intellectual property "
                "or portrait rights."
            ),
            code="rights_not_confirmed",
        )
    data = revisions.as_plain(fields)
    _check_adaptation(data)
    file_uploads.check_size_budget(None, uploads)
    if rate_limited:
        file_uploads.check_upload_rate(author)
    resource = Resource(author=author, state=State.DRAFT, rights_confirmed_at=timezone.now())
    revisions.apply_data(resource, data)
    for upload in uploads:
        file_uploads.resource_file_add(resource=resource, upload=upload, by=author)
    revisions.revision_record(resource, by=author, before={}, note=_("Created"))
    audit.record(actor=author, action="resource_create", subject=resource, to_state=State.DRAFT)
    return resource


def resource_update(
    *,
    resource: Resource,
    by: Member,
    fields: dict[str, Any],
    uploads: Sequence[UploadedFile] = (),
    remove_file_ids: Iterable[int] = (),
    note: str = "",
) -> Revision:
    """The author edits a resource (R15). Drafts and refused resources change
    at once; an edit to a published resource waits as a pending revision that
    moderators review, while the published version stays visible."""
    with file_uploads.atomic_removing_files_on_error():
        transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
        return _resource_update(resource, by, fields, uploads, set(remove_file_ids), note)


def _resource_update(
    resource: Resource,
    by: Member,
    fields: dict[str, Any],
    uploads: Sequence[UploadedFile],
    remove_ids: set[int],
    note: str,
) -> Revision:
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    versions.changed(resource)  # files removed below show on its page at once
    if resource.state == State.IN_REVIEW:
        raise ValidationError(
            _("A moderator is reviewing this resource; you can edit it after the decision."),
            code="in_review",
        )
    if resource.state in (State.REMOVED, State.REMOVED_PENDING, State.OBJECTION_FILED):
        raise ValidationError(_("This resource cannot be edited now."), code="locked")
    before = revisions.snapshot(resource)
    data = {**before, **revisions.as_plain(fields)}
    _check_adaptation(data, resource)
    file_uploads.check_size_budget(resource, uploads)
    if uploads:
        file_uploads.check_upload_rate(by)
    if resource.state in PUBLIC_STATES:
        return revisions.revision_propose(resource, by, before, data, uploads, remove_ids, note)
    revisions.apply_data(resource, data)
    for upload in uploads:
        file_uploads.resource_file_add(resource=resource, upload=upload, by=by)
    if remove_ids:
        resource.files.filter(pk__in=remove_ids).update(state=FileState.REMOVED)
    revision = revisions.revision_record(resource, by=by, before=before, note=note)
    if remove_ids or uploads:
        revision.changed_fields = sorted({*revision.changed_fields, "files"})
        revision.save(update_fields=["changed_fields"])
    return revision


def _has_content(resource: Resource) -> bool:
    return bool(
        resource.external_url
        or resource.video_url
        or resource.body.strip()
        or resource.files.filter(state=FileState.ACTIVE).exists()
    )


@transaction.atomic
def resource_submit(*, resource: Resource, by: Member) -> Resource:
    """Send a draft to the moderators' queue (R26)."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    problems = []
    if not EmailAddress.objects.filter(user=by, verified=True).exists():
        problems.append(_("Verify your e-mail address before you publish anything."))
    if resource.state not in EDITABLE_STATES:
        problems.append(_("This resource has already been submitted."))
    if resource.licence_id is None:
        problems.append(_("Choose a licence with the licence wizard."))
    if resource.rights_confirmed_at is None:
        problems.append(_("Confirm that you do not infringe anyone's rights."))
    if not resource.subjects.exists() or not resource.levels.exists():
        problems.append(_("Choose at least one subject and one education level."))
    if not _has_content(resource):
        problems.append(_("Add a file, a link, a video or a text."))
    if problems:
        raise ValidationError(problems, code="not_ready")
    return item_submit(item=resource, by=by, audit_action="resource_submit")


@transaction.atomic
def resource_withdraw(*, resource: Resource, by: Member) -> Resource:
    """The author takes a resource offline; it can be submitted again later."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    allowed = (*PUBLIC_STATES, State.SUBMITTED, State.CHANGES_REQUESTED)
    if resource.state not in allowed:
        raise ValidationError(_("This resource cannot be withdrawn now."), code="locked")
    transition(resource, event=Event.WITHDRAW, by=by, audit_action="resource_withdraw")
    resource.reviews.filter(closed_at__isnull=True).update(closed_at=timezone.now())
    for pending in resource.revisions.filter(status=Revision.Status.PENDING):
        revisions.revision_decline(revision=pending)
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, by: Member) -> None:
    """The author deletes a resource for good, files included."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.state in (State.REMOVED_PENDING, State.OBJECTION_FILED):
        raise ValidationError(
            _("This resource is under investigation and cannot be deleted now."), code="locked"
        )
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    names = [
        name
        for f in resource.files.all()
        for name in (f.file.name, f.thumbnail.name, f.thumbnail_small.name)
        if name
    ]
    audit.record(
        actor=by,
        action="resource_delete",
        subject=None,
        target=f"resource:{resource.pk}",
        from_state=resource.state,
        reason=resource.title,
    )
    records_leaving(kind=HARVEST_KIND, objects=[resource])
    versions.changed(resource)  # its page, kept rendered for visitors, is gone
    resource.delete()
    # Deleted after the commit, retried through the outbox while the bucket is away.
    files_delete_on_commit(names=names)


def stat_record(
    *,
    resource: Resource | None = None,
    resource_id: int | None = None,
    views: int = 0,
    downloads: int = 0,
    day: date | None = None,
) -> None:
    """Count a view or download; no IP address or member is stored. Nothing
    is written now: the count waits in the counter buffer (core.counters)
    and reaches ``DailyStat`` with the next flush, within
    COUNTER_FLUSH_SECONDS. ``resource_id`` instead of the resource: a
    page kept rendered has no row at hand."""
    pk = resource.pk if resource is not None else resource_id
    if pk is None:
        raise TypeError("stat_record() needs the resource or its id")
    daily_stat_count(
        resource_id=pk,
        day=day or timezone.localdate(),
        views=views,
        downloads=downloads,
    )


@transaction.atomic
def resource_licence_set(*, resource: Resource, by: Member, licence_slug: str) -> Resource:
    """Attach the licence the wizard proposed (R32); an adaptation must be
    compatible with its source's licence (R33)."""
    from commonroom.taxonomy.models import Licence

    licence = Licence.objects.get(slug=licence_slug)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.state in PUBLIC_STATES:
        resource_update(resource=resource, by=by, fields={"licence": licence})
        return resource
    if resource.state not in EDITABLE_STATES and resource.state != State.SUBMITTED:
        raise ValidationError(_("This resource cannot be changed now."), code="locked")
    data = {**revisions.snapshot(resource), "licence": licence.pk}
    _check_adaptation(data, resource)
    before = revisions.snapshot(resource)
    resource.licence = licence
    resource.save(update_fields=["licence", "updated_at"])
    revisions.revision_record(resource, by=by, before=before, note=_("Licence chosen"))
    return resource


@transaction.atomic
def resource_declare_adaptation(*, resource: Resource, by: Member, source: Resource) -> Resource:
    """After the duplicate warning: the author says the upload adapts ``source``."""
    resource_update(resource=resource, by=by, fields={"adapted_from": source})
    resource.refresh_from_db()
    return resource
