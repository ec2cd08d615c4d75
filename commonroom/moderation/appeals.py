"""Objections to refusals (R28) and notices of infringement (R29), on items
of any moderated kind; staff decide both. State changes go through
``transitions.transition``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.moderation import audit
from commonroom.moderation.lifecycle import PUBLIC_STATES, REFUSED_STATES, Event, State
from commonroom.moderation.models import Decision, Notice, Objection
from commonroom.moderation.notifications import NOTICE, OBJECTION_DECISION
from commonroom.moderation.permissions import moderation_action
from commonroom.moderation.protocol import kind_of
from commonroom.moderation.services import lock, tell_author
from commonroom.moderation.transitions import transition

Action = Decision.Action
OBJECTABLE = (Action.REJECT, Action.REQUEST_CHANGES, Action.REMOVE, Action.REMOVE_FILE)
# The state a refusal left the item in, where an upheld objection returns it.
REFUSED_STATE: dict[str, str] = {
    Action.REMOVE: State.REMOVED,
    Action.REQUEST_CHANGES: State.CHANGES_REQUESTED,
}


@transaction.atomic
def objection_file(*, decision: Decision, by: Member, text: str) -> Objection:
    """The author objects to a refusal (R28); staff decide."""
    target = decision.target
    if target is None or kind_of(target).author(target) != by:
        raise ValidationError(_("Only the author can object."), code="not_author")
    if decision.action not in OBJECTABLE or not kind_of(target).accepts_objections:
        raise ValidationError(_("There is nothing to object to."), code="not_objectable")
    if Objection.objects.filter(decision=decision).exists():
        raise ValidationError(_("You have already objected to this decision."), code="duplicate")
    if not text.strip():
        raise ValidationError(_("Explain why the decision is wrong."), code="text_required")
    item = lock(target)
    objection = Objection.objects.create(decision=decision, author=by, text=text.strip())
    # A refused edit or file: the item itself stays as it is.
    refused = kind_of(item).state(item) in REFUSED_STATES
    _move(
        item,
        event=Event.OBJECT if refused else None,
        by=by,
        action="objection_file",
        target=f"objection:{objection.pk}",
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
    item = lock(decision.target)
    kind = kind_of(item)
    before = kind.state(item)
    objection.status = Objection.Status.OVERTURNED if overturn else Objection.Status.UPHELD
    objection.decided_by = by
    objection.decided_at = timezone.now()
    objection.decision_reason = reason.strip()
    objection.save()
    event: Event | None = None
    to = ""
    if overturn:
        refused_change = decision.review.change if decision.review else None
        if refused_change is not None:
            kind.reinstate_change(item, refused_change, by=by)
            versions.changed(item)
        if decision.action == Action.REMOVE_FILE:
            # The item itself stays as it is; the wrongly removed part comes back.
            if decision.part is not None:
                kind.restore_part(item, decision.part)
                versions.changed(item)
        else:
            event = Event.OVERTURN
    elif before == State.OBJECTION_FILED:
        event, to = Event.UPHOLD, REFUSED_STATE.get(decision.action, State.REJECTED)
    _move(
        item,
        event=event,
        to=to,
        by=by,
        action="objection_overturn" if overturn else "objection_uphold",
        target=f"objection:{objection.pk}",
        reason=reason,
    )
    title = kind.title(item)

    def text() -> tuple[str, str]:
        if overturn:
            headline = _("Your objection was accepted: “%(title)s”") % {"title": title}
        else:
            headline = _("Your objection was not accepted: “%(title)s”") % {"title": title}
        return headline, reason.strip()

    tell_author(item, kind=OBJECTION_DECISION, text=text)
    return objection


def _move(
    item: Any,
    *,
    event: Event | None,
    by: Member | None,
    action: str,
    target: str,
    reason: str,
    to: str = "",
) -> None:
    """Move the item by ``event``; when it stays where it is (no event), the
    action is audited alone."""
    if event is not None:
        transition(
            item, event=event, by=by, to=to, audit_action=action, audit_target=target, reason=reason
        )
        return
    state = kind_of(item).state(item)
    audit.record(
        actor=by,
        action=action,
        subject=item,
        target=target,
        from_state=state,
        to_state=state,
        reason=reason,
    )


@transaction.atomic
def notice_file(
    *,
    item: Any,
    name: str,
    email: str,
    work: str,
    reasons: str,
    good_faith: bool,
    filed_by: Member | None = None,
) -> Notice:
    """Anyone may notify an intellectual-property abuse (R29). The item is
    removed pending investigation at once: its files are no longer served
    from the moment this transaction commits. The author is told."""
    if not good_faith:
        raise ValidationError(_("Confirm the good-faith statement."), code="good_faith")
    item = lock(item)
    kind = kind_of(item)
    before = kind.state(item)
    if not kind.accepts_notices or before not in (*PUBLIC_STATES, State.REMOVED_PENDING):
        raise ValidationError(_("This resource is not published."), code="not_published")
    notice = Notice(
        target=item,
        name=name.strip(),
        email=email,
        work=work.strip(),
        reasons=reasons.strip(),
        good_faith=True,
        filed_by=filed_by,
    )
    notice.full_clean()
    notice.save()
    earlier = Notice.objects.about(item).filter(status=Notice.Status.OPEN).exclude(pk=notice.pk)
    first = earlier.first()
    notice.state_before = first.state_before if first else before
    notice.save(update_fields=["state_before"])
    transition(
        item,
        event=Event.NOTICE,
        by=filed_by,
        audit_action="notice_file",
        audit_target=f"notice:{notice.pk}",
        reason=notice.reasons,
    )
    title = kind.title(item)
    tell_author(
        item,
        kind=NOTICE,
        text=lambda: (
            _("“%(title)s” is offline pending investigation") % {"title": title},
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
    """Staff restore the item or remove it for good; both sides are told (R29)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != Notice.Status.OPEN:
        raise ValidationError(_("This notice has already been decided."), code="closed")
    if not reason.strip():
        raise ValidationError(_("Give the reason for your decision."), code="reason_required")
    item = lock(notice.target)
    kind = kind_of(item)
    before = kind.state(item)
    notice.status = Notice.Status.RESTORED if restore else Notice.Status.REMOVED
    notice.decided_by = by
    notice.decided_at = timezone.now()
    notice.decision_reason = reason.strip()
    notice.save()
    still_open = Notice.objects.about(item).filter(status=Notice.Status.OPEN).exists()
    event: Event | None = None
    to = ""
    if not restore:
        event = Event.REMOVE
    elif before == State.REMOVED_PENDING and not still_open:
        # Back to where it was (published, or due for review); an item
        # removed after another notice stays removed.
        event, to = Event.RESTORE, notice.state_before or State.PUBLISHED
    _move(
        item,
        event=event,
        to=to,
        by=by,
        action="notice_restore" if restore else "notice_remove",
        target=f"notice:{notice.pk}",
        reason=reason,
    )
    title = kind.title(item)
    tell_author(
        item,
        kind=NOTICE,
        text=lambda: (
            (_("“%(title)s” is online again") if restore else _("“%(title)s” has been removed"))
            % {"title": title},
            reason.strip(),
        ),
    )
    _mail_notifier(notice)
    return notice
