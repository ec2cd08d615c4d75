"""Every moderation transition (DESIGN.md, Content lifecycle): each one is a
service that writes an audit row (R30) and tells the people concerned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.moderation import audit
from commonroom.moderation.models import (
    AuditEntry,
    Criterion,
    Decision,
    Notice,
    Objection,
    Report,
    Review,
)
from commonroom.moderation.permissions import moderation_action
from commonroom.resources import services as resource_services
from commonroom.resources.models import (
    PUBLIC_STATES,
    FileState,
    Resource,
    ResourceFile,
    Revision,
    State,
)
from commonroom.search.services import search_index_sync
from commonroom.social.models import NotificationKind
from commonroom.social.services import notify
from commonroom.social.services.notifications import NotificationText

Action = Decision.Action


def _lock(resource: Resource) -> Resource:
    return Resource.objects.select_for_update().select_related("author").get(pk=resource.pk)


def _reasons_text(criteria: Sequence[Criterion], reason: str) -> str:
    lines = [f"- {c.label}" for c in criteria]
    if reason:
        lines.append(reason)
    return "\n".join(lines)


def _tell_author(resource: Resource, *, kind: str, text: NotificationText, url: str = "") -> None:
    notify(recipient=resource.author, kind=kind, text=text, url=url or resource.get_absolute_url())


def _decision_record(
    *,
    resource: Resource,
    by: Member,
    action: str,
    reason: str,
    criteria: Sequence[Criterion] = (),
    review: Review | None = None,
    file: ResourceFile | None = None,
    target: str = "",
    from_state: str = "",
    to_state: str = "",
) -> Decision:
    """Every decision is stored with its criteria and leaves an audit row (R28, R30)."""
    decision = Decision.objects.create(
        resource=resource,
        review=review,
        moderator=by,
        file=file,
        action=action,
        reason=reason.strip(),
    )
    decision.criteria.set(criteria)
    audit.record(
        actor=by,
        action=f"decision_{action}",
        resource=resource,
        target=target or f"decision:{decision.pk}",
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        criteria=criteria,
    )
    return decision


def _objection_hint(decision: Decision) -> str:
    """The route to object, told with every refusal (R28)."""
    url = settings.SITE_URL + reverse("moderation:object", args=[decision.pk])
    return _("If you think this decision is wrong, you can file an objection: %(url)s") % {
        "url": url
    }


@moderation_action(subject="review")
@transaction.atomic
def review_claim(*, review: Review, by: Member) -> Review:
    """A moderator takes an item from the queue, so two do not review it at once."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.closed_at:
        raise ValidationError(_("This item has already been decided."), code="closed")
    if review.claimed_by_id and review.claimed_by_id != by.pk:
        raise ValidationError(
            _("%(name)s is already reviewing this item.") % {"name": review.claimed_by},
            code="claimed",
        )
    review.claimed_by = by
    review.claimed_at = timezone.now()
    review.save(update_fields=["claimed_by", "claimed_at"])
    resource = _lock(review.resource)
    if review.kind == Review.Kind.SUBMISSION and resource.state == State.SUBMITTED:
        resource.state = State.IN_REVIEW
        resource.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=by,
        action="review_claim",
        resource=resource,
        target=f"review:{review.pk}",
        from_state=State.SUBMITTED if resource.state == State.IN_REVIEW else "",
        to_state=resource.state if resource.state == State.IN_REVIEW else "",
    )
    return review


@moderation_action(subject="review")
@transaction.atomic
def review_release(*, review: Review, by: Member) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.closed_at:
        raise ValidationError(_("This item has already been decided."), code="closed")
    if review.claimed_by_id not in (None, by.pk) and not by.is_staff:
        raise ValidationError(
            _("Only %(name)s or staff can release this item.") % {"name": review.claimed_by},
            code="claimed",
        )
    review.claimed_by = None
    review.claimed_at = None
    review.save(update_fields=["claimed_by", "claimed_at"])
    resource = _lock(review.resource)
    if resource.state == State.IN_REVIEW:
        resource.state = State.SUBMITTED
        resource.save(update_fields=["state", "updated_at"])
    audit.record(actor=by, action="review_release", resource=resource, target=f"review:{review.pk}")
    return review


@moderation_action(subject="review")
@transaction.atomic
def review_decide(
    *,
    review: Review,
    by: Member,
    action: str,
    criteria: Sequence[Criterion] = (),
    reason: str = "",
) -> Decision:
    """Publish, request changes or reject (R26, R28). Refusals need at least
    one criterion or a reason; the author is told why and how to object."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.closed_at:
        raise ValidationError(_("This item has already been decided."), code="closed")
    if action not in (Action.PUBLISH, Action.REQUEST_CHANGES, Action.REJECT):
        raise ValidationError(_("Unknown decision."), code="unknown_action")
    if action != Action.PUBLISH and not criteria and not reason.strip():
        raise ValidationError(
            _("Tick the criteria the resource does not meet, or write the reason."),
            code="reason_required",
        )
    resource = _lock(review.resource)
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    before = resource.state
    now = timezone.now()
    if review.kind == Review.Kind.REVISION and review.revision is not None:
        if action == Action.PUBLISH:
            resource_services.revision_apply(revision=review.revision, by=by)
            resource.refresh_from_db()
        else:
            resource_services.revision_decline(revision=review.revision)
    elif action == Action.PUBLISH:
        resource.state = State.PUBLISHED
        resource.published_at = resource.published_at or now
    elif action == Action.REQUEST_CHANGES:
        resource.state = State.CHANGES_REQUESTED
    else:
        resource.state = State.REJECTED
    if action == Action.PUBLISH:
        resource.reviewed_at = now
    resource.save()
    review.closed_at = now
    review.save(update_fields=["closed_at"])
    decision = _decision_record(
        resource=resource,
        by=by,
        action=action,
        reason=reason,
        criteria=criteria,
        review=review,
        from_state=before,
        to_state=resource.state,
    )
    _tell_author_about(decision, criteria)
    return decision


def _tell_author_about(decision: Decision, criteria: Sequence[Criterion]) -> None:
    resource = decision.resource

    def text() -> tuple[str, str]:
        if decision.action == Action.PUBLISH:
            title = _("“%(title)s” is published") % {"title": resource.title}
            return title, _("A moderator approved your resource. Thank you for sharing it!")
        if decision.action == Action.REQUEST_CHANGES:
            title = _("Changes requested for “%(title)s”") % {"title": resource.title}
            intro = _("A moderator asks you to change your resource before it is published.")
        else:
            title = _("“%(title)s” was not published") % {"title": resource.title}
            intro = _("A moderator refused your resource for these reasons:")
        reasons = _reasons_text(criteria, decision.reason)
        return title, f"{intro}\n\n{reasons}\n\n{_objection_hint(decision)}"

    published = decision.action == Action.PUBLISH
    _tell_author(
        resource,
        kind=NotificationKind.MODERATION_DECISION,
        text=text,
        url=resource.get_absolute_url() if published else reverse("resources:mine"),
    )


@moderation_action(subject="resource")
@transaction.atomic
def resource_edit_by_moderator(
    *, resource: Resource, by: Member, fields: dict[str, Any], reason: str
) -> Decision:
    """Moderators correct metadata in part (R27); kept in the revision history."""
    if not reason.strip():
        raise ValidationError(_("Say why you change the metadata."), code="reason_required")
    resource = _lock(resource)
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    before = resource_services.snapshot(resource)
    data = {**before, **resource_services._as_plain(fields)}
    resource_services._apply(resource, data)
    revision = resource_services._record_revision(resource, by=by, before=before, note=reason)
    # A pending edit by the author must not bring the corrected values back.
    for pending in resource.revisions.filter(status=Revision.Status.PENDING):
        pending.data = {**pending.data, **{k: data[k] for k in revision.changed_fields}}
        pending.save(update_fields=["data"])
    decision = _decision_record(
        resource=resource,
        by=by,
        action=Action.EDIT,
        reason=reason,
        target=f"revision:{revision.pk}",
    )

    def text() -> tuple[str, str]:
        fields_changed = ", ".join(resource_services.field_labels(revision.changed_fields)) or "-"
        return (
            _("A moderator edited “%(title)s”") % {"title": resource.title},
            _("Changed: %(fields)s.\nReason: %(reason)s")
            % {"fields": fields_changed, "reason": reason},
        )

    _tell_author(resource, kind=NotificationKind.MODERATION_DECISION, text=text)
    return decision


@moderation_action(subject="file")
@transaction.atomic
def file_remove_by_moderator(
    *, file: ResourceFile, by: Member, reason: str, criteria: Sequence[Criterion] = ()
) -> Decision:
    """Remove one file of a resource (R27 "in part")."""
    if not reason.strip() and not criteria:
        raise ValidationError(_("Say why the file is removed."), code="reason_required")
    resource = _lock(file.resource)
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    ResourceFile.objects.filter(pk=file.pk).update(state=FileState.REMOVED)
    before = resource_services.snapshot(resource)
    revision = resource_services._record_revision(
        resource, by=by, before=before, note=_("File removed: %(name)s") % {"name": file.name}
    )
    revision.changed_fields = ["files"]
    revision.save(update_fields=["changed_fields"])
    decision = _decision_record(
        resource=resource,
        by=by,
        action=Action.REMOVE_FILE,
        reason=reason,
        criteria=criteria,
        file=file,
        target=f"file:{file.pk}",
    )
    _tell_author(
        resource,
        kind=NotificationKind.MODERATION_DECISION,
        text=lambda: (
            _("A file was removed from “%(title)s”") % {"title": resource.title},
            _("Removed: %(name)s\n\n%(reasons)s")
            % {"name": file.name, "reasons": _reasons_text(criteria, reason)}
            + f"\n\n{_objection_hint(decision)}",
        ),
    )
    return decision


@moderation_action(subject="resource")
@transaction.atomic
def resource_remove(
    *, resource: Resource, by: Member, reason: str, criteria: Sequence[Criterion] = ()
) -> Decision:
    """Take a published resource offline (R27), on the moderators' own
    initiative or after a report."""
    if not reason.strip() and not criteria:
        raise ValidationError(_("Say why the resource is removed."), code="reason_required")
    resource = _lock(resource)
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    before = resource.state
    resource.state = State.REMOVED
    resource.save(update_fields=["state", "updated_at"])
    now = timezone.now()
    resource.reviews.filter(closed_at__isnull=True).update(closed_at=now)
    resource.reports.filter(status=Report.Status.OPEN).update(
        status=Report.Status.ACTIONED, handled_by=by, handled_at=now
    )
    for pending in resource.revisions.filter(status=Revision.Status.PENDING):
        resource_services.revision_decline(revision=pending)
    decision = _decision_record(
        resource=resource,
        by=by,
        action=Action.REMOVE,
        reason=reason,
        criteria=criteria,
        from_state=before,
        to_state=State.REMOVED,
    )
    _tell_author_about_removal(decision, criteria)
    return decision


def _tell_author_about_removal(decision: Decision, criteria: Sequence[Criterion]) -> None:
    resource = decision.resource
    _tell_author(
        resource,
        kind=NotificationKind.MODERATION_DECISION,
        text=lambda: (
            _("“%(title)s” was removed") % {"title": resource.title},
            _("A moderator removed your resource for these reasons:")
            + f"\n\n{_reasons_text(criteria, decision.reason)}\n\n{_objection_hint(decision)}",
        ),
        url=reverse("resources:mine"),
    )


OBJECTABLE = (Action.REJECT, Action.REQUEST_CHANGES, Action.REMOVE, Action.REMOVE_FILE)


@transaction.atomic
def objection_file(*, decision: Decision, by: Member, text: str) -> Objection:
    """The author objects to a refusal (R28); staff decide."""
    if decision.resource.author_id != by.pk:
        raise ValidationError(_("Only the author can object."), code="not_author")
    if decision.action not in OBJECTABLE:
        raise ValidationError(_("There is nothing to object to."), code="not_objectable")
    if Objection.objects.filter(decision=decision).exists():
        raise ValidationError(_("You have already objected to this decision."), code="duplicate")
    if not text.strip():
        raise ValidationError(_("Explain why the decision is wrong."), code="text_required")
    resource = _lock(decision.resource)
    before = resource.state
    objection = Objection.objects.create(decision=decision, author=by, text=text.strip())
    if resource.state in (State.REJECTED, State.REMOVED, State.CHANGES_REQUESTED):
        resource.state = State.OBJECTION_FILED
        resource.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=by,
        action="objection_file",
        resource=resource,
        target=f"objection:{objection.pk}",
        from_state=before,
        to_state=resource.state,
        reason=text,
    )
    return objection


@moderation_action(subject="objection")
@transaction.atomic
def objection_decide(*, objection: Objection, by: Member, overturn: bool, reason: str) -> Objection:
    """Staff uphold or overturn a refusal, with a reason; the author is told (R28)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != Objection.Status.FILED:
        raise ValidationError(_("This objection has already been decided."), code="closed")
    if not reason.strip():
        raise ValidationError(_("Give the reason for your decision."), code="reason_required")
    decision = objection.decision
    resource = _lock(decision.resource)
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    before = resource.state
    now = timezone.now()
    objection.status = Objection.Status.OVERTURNED if overturn else Objection.Status.UPHELD
    objection.decided_by = by
    objection.decided_at = now
    objection.decision_reason = reason.strip()
    objection.save()
    if overturn:
        refused_edit = decision.review.revision if decision.review else None
        if refused_edit is not None and refused_edit.status == Revision.Status.DECLINED:
            resource_services.revision_reinstate(revision=refused_edit)
            resource_services.revision_apply(revision=refused_edit, by=by)
            resource.refresh_from_db()
        if decision.action == Action.REMOVE_FILE:
            # The resource itself stays as it is; the wrongly removed file comes back.
            if decision.file_id is not None:
                resource.files.filter(pk=decision.file_id).update(state=FileState.ACTIVE)
        else:
            resource.state = State.PUBLISHED
            resource.published_at = resource.published_at or now
            resource.reviewed_at = now
    elif resource.state == State.OBJECTION_FILED:
        refused_state: dict[str, str] = {
            Action.REMOVE: State.REMOVED,
            Action.REQUEST_CHANGES: State.CHANGES_REQUESTED,
        }
        resource.state = refused_state.get(decision.action, State.REJECTED)
    resource.save()
    audit.record(
        actor=by,
        action="objection_overturn" if overturn else "objection_uphold",
        resource=resource,
        target=f"objection:{objection.pk}",
        from_state=before,
        to_state=resource.state,
        reason=reason,
    )

    def text() -> tuple[str, str]:
        if overturn:
            title = _("Your objection was accepted: “%(title)s”") % {"title": resource.title}
        else:
            title = _("Your objection was not accepted: “%(title)s”") % {"title": resource.title}
        return title, reason.strip()

    _tell_author(resource, kind=NotificationKind.OBJECTION_DECISION, text=text)
    return objection


@transaction.atomic
def notice_file(
    *,
    resource: Resource,
    name: str,
    email: str,
    work: str,
    reasons: str,
    good_faith: bool,
    filed_by: Member | None = None,
) -> Notice:
    """Anyone may notify an intellectual-property abuse (R29). The resource is
    removed pending investigation at once: its files are no longer served
    from the moment this transaction commits. The author is told."""
    if not good_faith:
        raise ValidationError(_("Confirm the good-faith statement."), code="good_faith")
    resource = _lock(resource)
    if resource.state not in (*PUBLIC_STATES, State.REMOVED_PENDING):
        raise ValidationError(_("This resource is not published."), code="not_published")
    notice = Notice(
        resource=resource,
        name=name.strip(),
        email=email,
        work=work.strip(),
        reasons=reasons.strip(),
        good_faith=True,
        filed_by=filed_by,
    )
    notice.full_clean()
    notice.save()
    before = resource.state
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    earlier = resource.notices.filter(status=Notice.Status.OPEN).exclude(pk=notice.pk).first()
    notice.state_before = earlier.state_before if earlier else before
    notice.save(update_fields=["state_before"])
    resource.state = State.REMOVED_PENDING
    resource.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=filed_by,
        action="notice_file",
        resource=resource,
        target=f"notice:{notice.pk}",
        from_state=before,
        to_state=State.REMOVED_PENDING,
        reason=notice.reasons,
    )
    _tell_author(
        resource,
        kind=NotificationKind.NOTICE,
        text=lambda: (
            _("“%(title)s” is offline pending investigation") % {"title": resource.title},
            _(
                "Someone notified us that your resource infringes their rights:\n\n"
                "Work: %(work)s\nReasons: %(reasons)s\n\nThe team investigates and will tell you "
                "whether the resource is restored or removed."
            )
            % {"work": notice.work, "reasons": notice.reasons},
        ),
    )
    _mail_notifier(notice)
    return notice


def _mail_notifier(notice: Notice) -> None:
    # The mail is built in the worker from the notice (moderation.tasks), in
    # the language the notifier used; the queue holds no address.
    from commonroom.moderation.tasks import notice_email_send

    task_enqueue_on_commit(
        task=notice_email_send,
        kwargs={
            "notice_id": notice.pk,
            "status": notice.status,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
        member_id=notice.filed_by_id,
    )


@moderation_action(subject="notice")
@transaction.atomic
def notice_decide(*, notice: Notice, by: Member, restore: bool, reason: str) -> Notice:
    """Staff restore the resource or remove it for good; both sides are told (R29)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != Notice.Status.OPEN:
        raise ValidationError(_("This notice has already been decided."), code="closed")
    if not reason.strip():
        raise ValidationError(_("Give the reason for your decision."), code="reason_required")
    resource = _lock(notice.resource)
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    before = resource.state
    notice.status = Notice.Status.RESTORED if restore else Notice.Status.REMOVED
    notice.decided_by = by
    notice.decided_at = timezone.now()
    notice.decision_reason = reason.strip()
    notice.save()
    still_open = resource.notices.filter(status=Notice.Status.OPEN).exists()
    if not restore:
        resource.state = State.REMOVED
    elif resource.state == State.REMOVED_PENDING and not still_open:
        # Back to where it was (published, or due for review); a resource
        # removed after another notice stays removed.
        resource.state = notice.state_before or State.PUBLISHED
    resource.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=by,
        action="notice_restore" if restore else "notice_remove",
        resource=resource,
        target=f"notice:{notice.pk}",
        from_state=before,
        to_state=resource.state,
        reason=reason,
    )
    _tell_author(
        resource,
        kind=NotificationKind.NOTICE,
        text=lambda: (
            (_("“%(title)s” is online again") if restore else _("“%(title)s” has been removed"))
            % {"title": resource.title},
            reason.strip(),
        ),
    )
    _mail_notifier(notice)
    return notice


def _review_due_text(resource: Resource) -> tuple[str, str]:
    return (
        _("“%(title)s” is due for a check") % {"title": resource.title},
        _(
            "Your resource was published a while ago. A moderator will check that it is "
            "still correct; you can update it yourself too."
        ),
    )


def visitor_email_check(*, reporter: Member | None, email: str) -> str:
    """A visitor's report needs an address for the moderators' questions (§2.4);
    a member's report has the account, so no address is stored for it."""
    if reporter is not None:
        return ""
    email = email.strip()
    if not email:
        raise ValidationError(
            {"reporter_email": _("Give your email address: moderators may need to ask you more.")},
            code="email_required",
        )
    return email


@transaction.atomic
def report_file(
    *, resource: Resource, by: Member | None, reason: str, text: str = "", email: str = ""
) -> Report:
    """Anyone reports a resource (R21, §2.4); it lands in the moderators' queue.
    ``by`` is None for a visitor, who then gives ``email``."""
    email = visitor_email_check(reporter=by, email=email)
    resource = _lock(resource)
    report = Report(
        resource=resource, reporter=by, reporter_email=email, reason=reason, text=text.strip()
    )
    report.full_clean()
    review = resource.reviews.filter(kind=Review.Kind.REPORT, closed_at__isnull=True).first()
    if review is None:
        review = Review.objects.create(resource=resource, kind=Review.Kind.REPORT)
    report.review = review
    report.save()
    audit.record(
        actor=by,
        action="report_file",
        resource=resource,
        target=f"report:{report.pk}",
        reason=f"{reason}: {report.text}",
    )
    return report


@moderation_action(subject="review")
@transaction.atomic
def report_dismiss(*, review: Review, by: Member, reason: str) -> Review:
    """The reports on a resource are unfounded: close them, the resource stays."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.kind != Review.Kind.REPORT or review.closed_at:
        raise ValidationError(_("There is no open report to dismiss."), code="closed")
    now = timezone.now()
    review.closed_at = now
    review.save(update_fields=["closed_at"])
    review.reports.update(status=Report.Status.DISMISSED, handled_by=by, handled_at=now)
    audit.record(
        actor=by,
        action="report_dismiss",
        resource=review.resource,
        target=f"review:{review.pk}",
        reason=reason,
    )
    return review


@moderation_action(subject="review")
@transaction.atomic
def report_uphold(
    *, review: Review, by: Member, reason: str, criteria: Sequence[Criterion] = ()
) -> Decision:
    """The reports are founded: the resource is removed (R21, R27)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.kind != Review.Kind.REPORT or review.closed_at:
        raise ValidationError(_("There is no open report to act on."), code="closed")
    decision = resource_remove(resource=review.resource, by=by, reason=reason, criteria=criteria)
    now = timezone.now()
    Review.objects.filter(pk=review.pk).update(closed_at=now)
    review.reports.update(status=Report.Status.ACTIONED, handled_by=by, handled_at=now)
    return decision


@transaction.atomic
def rereview_mark_due(*, now: datetime | None = None) -> int:
    """Published resources not reviewed for REREVIEW_AFTER_DAYS enter the
    "due for review" queue; they stay visible meanwhile."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REREVIEW_AFTER_DAYS)
    due = list(
        Resource.objects.select_for_update()
        .filter(state=State.PUBLISHED, reviewed_at__lt=cutoff)
        .values_list("pk", flat=True)[:1000]
    )
    Resource.objects.filter(pk__in=due).update(state=State.DUE_FOR_REVIEW)
    Review.objects.bulk_create(
        [Review(resource_id=pk, kind=Review.Kind.REREVIEW, opened_at=now) for pk in due]
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action="rereview_due",
                resource_id=pk,
                target=f"resource:{pk}",
                from_state=State.PUBLISHED,
                to_state=State.DUE_FOR_REVIEW,
            )
            for pk in due
        ]
    )
    for resource in Resource.objects.filter(pk__in=due).select_related("author"):
        _tell_author(
            resource,
            kind=NotificationKind.REVIEW_DUE,
            text=partial(_review_due_text, resource),
        )
    return len(due)
