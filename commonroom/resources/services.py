"""What authors do with their resources: create, edit, submit, withdraw,
delete (R9, R10, R15, R31, R33, R36). Moderators' decisions live in
resources/moderation.py and the moderation kernel."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import antispam
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.core.uploads import check_upload, make_thumbnails, scan_file
from commonroom.core.uploads.text import extract_text
from commonroom.moderation import audit
from commonroom.moderation.lifecycle import Event
from commonroom.moderation.models import Review
from commonroom.moderation.services import item_submit, review_open
from commonroom.moderation.transitions import transition
from commonroom.resources.licensing import adaptation_problem
from commonroom.resources.models import (
    EDITABLE_STATES,
    PUBLIC_STATES,
    DailyStat,
    FileState,
    Resource,
    ResourceFile,
    Revision,
    State,
)
from commonroom.resources.thumbnails import thumbnails_attach
from commonroom.search.services import search_index_sync

logger = logging.getLogger(__name__)

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
    for name in M2M_FIELDS:
        if name in data:
            getattr(resource, name).set(data[name])


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
    return Revision.objects.create(
        resource=resource,
        number=number,
        status=status,
        data=after,
        changed_fields=changed,
        note=note[:500],
        created_by=by,
    )


def _check_size_budget(resource: Resource | None, uploads: Sequence[UploadedFile]) -> None:
    existing = 0
    count = 0
    if resource is not None and resource.pk:
        live = resource.files.exclude(state=FileState.REMOVED)
        existing = live.aggregate(total=Sum("size"))["total"] or 0
        count = live.count()
    if count + len(uploads) > settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            _("A resource can have at most %(n)d files.") % {"n": settings.UPLOAD_MAX_FILES},
            code="too_many_files",
        )
    incoming = sum(u.size or 0 for u in uploads)
    if existing + incoming > settings.UPLOAD_MAX_RESOURCE_BYTES:
        from django.template.defaultfilters import filesizeformat

        raise ValidationError(
            _("All files of a resource together may not exceed %(size)s.")
            % {"size": filesizeformat(settings.UPLOAD_MAX_RESOURCE_BYTES)},
            code="resource_too_large",
        )


def _check_upload_rate(member: Member) -> None:
    """Each new resource, and each edit that adds files, counts as one upload
    against the member's limit (R20; lower in an account's first days)."""
    if antispam.rate_limit_hit(member=member, kind="upload"):
        raise ValidationError(
            _(
                "You have added a lot of material in a short time. Please wait a while "
                "before you add another resource or file."
            ),
            code="rate_limited",
        )


def resource_file_add(
    *, resource: Resource, upload: UploadedFile, by: Member, state: str = FileState.ACTIVE
) -> ResourceFile:
    """Check, scan and store one upload (R36). A file the scanner does not
    pass is kept in quarantine for moderators, never served."""
    checked = check_upload(
        upload, kind=resource.kind.slug, max_bytes=settings.UPLOAD_MAX_FILE_BYTES
    )
    scan = scan_file(checked.content)
    record = ResourceFile(
        resource=resource,
        name=checked.name,
        mime_type=checked.mime_type,
        size=checked.size,
        sha256=checked.sha256,
        state=state if scan.clean else FileState.QUARANTINED,
        scan_result=scan.detail[:200],
        uploaded_by=by,
        position=resource.files.count(),
    )
    checked.content.seek(0)
    # Each stored file is registered before the row's INSERT, which can fail
    # too (the database gone mid-upload): the enclosing transaction then
    # removes what this upload wrote.
    try:
        record.file.save(checked.name, checked.content, save=False)
        if scan.clean and (thumbnails := make_thumbnails(checked)) is not None:
            thumbnails_attach(record, thumbnails)
    finally:
        _files_written(record)
    record.save()
    if record.state == FileState.ACTIVE:
        from commonroom.resources.tasks import file_text_extract

        task_enqueue_on_commit(task=file_text_extract, kwargs={"file_id": record.pk})
    return record


def _files_written(record: ResourceFile) -> None:
    written = _written.get(None)
    if written is not None:
        written.extend(
            (record.file.storage, name)
            for name in (record.file.name, record.thumbnail.name, record.thumbnail_small.name)
            if name
        )


def file_text_extract(*, file_id: int) -> int:
    """The text of one stored file, for search: run in the background after
    upload (``tasks.file_text_extract``), because a 300-page PDF takes
    seconds; the resource's search document is then written again. Returns
    the text's length (0 for a file that is gone, quarantined or has none)."""
    record = ResourceFile.objects.filter(pk=file_id, state=FileState.ACTIVE).first()
    if record is None or not record.file:
        return 0
    with record.file.open("rb") as content:
        text = extract_text(content, record.mime_type)
    with transaction.atomic():
        updated = ResourceFile.objects.filter(pk=file_id).update(extracted_text=text)
        if updated and text:
            transaction.on_commit(
                partial(search_index_sync, kind="resource", object_id=record.resource_id)
            )
    return len(text)


# Files are written to storage before the transaction commits; if it then
# rolls back, the files written inside ``_atomic_removing_files_on_error`` go too.
_written: ContextVar[list[tuple[Any, str]]] = ContextVar("written_files")


@dataclass
class _Commit:
    reached: bool = False  # the block ended and COMMIT was sent
    done: bool = False  # the first on-commit hook ran: the rows are stored

    def mark_done(self) -> None:
        self.done = True


@contextmanager
def _atomic_removing_files_on_error() -> Iterator[None]:
    """A transaction whose stored files are removed when its rows are not.

    An error inside the block rolled everything back, so every file written
    goes (a database that died mid-upload cannot be asked, and need not be).
    An error after the commit (from work queued on commit) keeps them all.
    Only when COMMIT itself failed is the outcome unknown: then the database
    is asked which files its rows name.
    """
    commit = _Commit()
    token = _written.set([])
    try:
        with transaction.atomic():
            # Registered first, so it runs before any hook that could raise.
            transaction.on_commit(commit.mark_done)
            yield
            commit.reached = True
    except BaseException:
        written = _written.get()
        if not commit.reached:
            _files_remove(written)
        elif not commit.done:
            _files_uncommitted_remove(written)
        raise
    finally:
        _written.reset(token)


def _files_remove(written: list[tuple[Any, str]]) -> None:
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove the uploaded file %s of a failed upload", name)


# How long a failed upload waits, in all, for the database to say which of
# its files were stored: a restart or fail-over takes about a second.
_STORED_ASK_DELAYS = (0.5, 1.0, 2.0, 3.0)


def _files_uncommitted_remove(written: list[tuple[Any, str]]) -> None:
    """Remove the written files no stored row names (issue 12 item 13): the
    outcome of a COMMIT that raised is unknown, so the database is asked,
    again on a new connection while it comes back. When it still cannot
    say, the files stay: an unused file costs space, a missing one loses an
    upload."""
    names = [name for _storage, name in written]
    if not names:
        return
    for delay in (*_STORED_ASK_DELAYS, None):
        try:
            stored = {
                name
                for pair in ResourceFile.objects.filter(
                    Q(file__in=names) | Q(thumbnail__in=names) | Q(thumbnail_small__in=names)
                ).values_list("file", "thumbnail", "thumbnail_small")
                for name in pair
            }
        except DatabaseError:
            if delay is None or connection.in_atomic_block:
                logger.exception(
                    "Kept %d uploaded files: could not tell whether they were stored", len(names)
                )
                return
            connection.close()  # the next query opens a new one
            time.sleep(delay)
            continue
        _files_remove([(storage, name) for storage, name in written if name not in stored])
        return


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
    with _atomic_removing_files_on_error():
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
    data = as_plain(fields)
    _check_adaptation(data)
    _check_size_budget(None, uploads)
    if rate_limited:
        _check_upload_rate(author)
    resource = Resource(author=author, state=State.DRAFT, rights_confirmed_at=timezone.now())
    apply_data(resource, data)
    for upload in uploads:
        resource_file_add(resource=resource, upload=upload, by=author)
    revision_record(resource, by=author, before={}, note=_("Created"))
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
    with _atomic_removing_files_on_error():
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
    if resource.state == State.IN_REVIEW:
        raise ValidationError(
            _("A moderator is reviewing this resource; you can edit it after the decision."),
            code="in_review",
        )
    if resource.state in (State.REMOVED, State.REMOVED_PENDING, State.OBJECTION_FILED):
        raise ValidationError(_("This resource cannot be edited now."), code="locked")
    before = snapshot(resource)
    data = {**before, **as_plain(fields)}
    _check_adaptation(data, resource)
    _check_size_budget(resource, uploads)
    if uploads:
        _check_upload_rate(by)
    if resource.state in PUBLIC_STATES:
        return _propose_revision(resource, by, before, data, uploads, remove_ids, note)
    apply_data(resource, data)
    for upload in uploads:
        resource_file_add(resource=resource, upload=upload, by=by)
    if remove_ids:
        resource.files.filter(pk__in=remove_ids).update(state=FileState.REMOVED)
    revision = revision_record(resource, by=by, before=before, note=note)
    if remove_ids or uploads:
        revision.changed_fields = sorted({*revision.changed_fields, "files"})
        revision.save(update_fields=["changed_fields"])
    return revision


def _propose_revision(
    resource: Resource,
    by: Member,
    before: dict[str, Any],
    data: dict[str, Any],
    uploads: Sequence[UploadedFile],
    remove_ids: set[int],
    note: str,
) -> Revision:
    pending = resource.revisions.filter(status=Revision.Status.PENDING).first()
    for upload in uploads:
        resource_file_add(resource=resource, upload=upload, by=by, state=FileState.PENDING)
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
        revision_decline(revision=pending)
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
        (f.file.storage, n)
        for f in resource.files.all()
        for n in (f.file.name, f.thumbnail.name, f.thumbnail_small.name)
        if n
    ]
    audit.record(
        actor=by,
        action="resource_delete",
        subject=None,
        target=f"resource:{resource.pk}",
        from_state=resource.state,
        reason=resource.title,
    )
    resource.delete()

    def remove_files() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)


def stat_record(
    *, resource: Resource, views: int = 0, downloads: int = 0, day: date | None = None
) -> None:
    """Count a view or download; no IP address or member is stored."""
    day = day or timezone.localdate()
    updated = DailyStat.objects.filter(resource=resource, day=day).update(
        views=F("views") + views, downloads=F("downloads") + downloads
    )
    if not updated:
        try:
            with transaction.atomic():
                DailyStat.objects.create(
                    resource=resource, day=day, views=views, downloads=downloads
                )
        except IntegrityError:  # another request created the row first
            DailyStat.objects.filter(resource=resource, day=day).update(
                views=F("views") + views, downloads=F("downloads") + downloads
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
    data = {**snapshot(resource), "licence": licence.pk}
    _check_adaptation(data, resource)
    before = snapshot(resource)
    resource.licence = licence
    resource.save(update_fields=["licence", "updated_at"])
    revision_record(resource, by=by, before=before, note=_("Licence chosen"))
    return resource


@transaction.atomic
def resource_declare_adaptation(*, resource: Resource, by: Member, source: Resource) -> Resource:
    """After the duplicate warning: the author says the upload adapts ``source``."""
    resource_update(resource=resource, by=by, fields={"adapted_from": source})
    resource.refresh_from_db()
    return resource


def links_check(*, limit: int = 200, now: datetime | None = None) -> int:
    """Check external links of published resources not checked for a day;
    a link that newly fails is reported to the author and the moderators
    (R35). Returns how many links were checked."""
    from datetime import timedelta

    from commonroom.resources.links import check_link

    now = now or timezone.now()
    due_before = now - timedelta(hours=settings.LINK_CHECK_INTERVAL_HOURS)
    candidates = list(
        Resource.objects.published()
        .exclude(external_url="")
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=due_before))
        .select_related("author")
        .order_by("link_checked_at", "pk")[:limit]
    )
    checked = 0
    for resource in candidates:
        # A run can outlast the scheduler's hour (200 slow links), so two runs
        # may hold the same candidates; each link is claimed by one run only,
        # and only the one that claimed it checks it and reports it.
        claimed = Resource.objects.filter(
            pk=resource.pk, link_checked_at=resource.link_checked_at
        ).update(link_checked_at=now)
        if not claimed:
            continue
        status = check_link(resource.external_url)
        _link_result_record(resource=resource, ok=status.ok, detail=status.detail, now=now)
        checked += 1
    return checked


@transaction.atomic
def _link_result_record(
    *, resource: Resource, ok: bool, detail: str | Promise, now: datetime
) -> None:
    rows = Resource.objects.filter(pk=resource.pk)
    if ok:
        rows.update(link_checked_at=now, link_broken_since=None)
        return
    # Decided by the database, not by the copy read before the check: the
    # first run to mark the link broken is the one that tells people.
    newly_broken = rows.filter(link_broken_since__isnull=True).update(
        link_checked_at=now, link_broken_since=now
    )
    if not newly_broken:
        rows.update(link_checked_at=now)
        return
    _report_broken_link(resource, detail)


def _report_broken_link(resource: Resource, detail: str | Promise) -> None:
    # ``detail`` is a lazy text: it reads in each recipient's language below.

    from commonroom.accounts.roles import MODERATORS
    from commonroom.notifications.services import notify
    from commonroom.resources.notifications import LINK_BROKEN

    moderators = Member.objects.filter(
        Q(groups__name=MODERATORS) | Q(is_staff=True), is_active=True
    ).distinct()
    # An author who moderates is told once, not once in each role.
    recipients = {member.pk: member for member in [*moderators, resource.author]}
    for recipient in recipients.values():
        notify(
            recipient=recipient,
            kind=LINK_BROKEN,
            text=lambda: (
                _("A link seems broken: “%(title)s”") % {"title": resource.title},
                _("%(url)s did not answer as expected (%(detail)s). Please check it.")
                % {"url": resource.external_url, "detail": detail},
            ),
            url=resource.get_absolute_url(),
            email=recipient.pk == resource.author_id,
        )
