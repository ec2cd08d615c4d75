"""Every write on organisations (R17, R24): proposing, editing, verifying,
rejecting and excluding, administrators, following. Offers and the
selection guide's saved answers are in ``offer_services``.

State changes go through the moderation kernel (``item_submit``,
``review_decide``, ``item_remove``), which writes the audit rows and stores
the decisions with their reasons (R28, R30)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import antispam
from commonroom.core.images import image_reencode
from commonroom.moderation import services as moderation
from commonroom.moderation.lifecycle import PUBLIC_STATES, State
from commonroom.moderation.models import Decision, Review
from commonroom.notifications.services import notify
from commonroom.organisations import changes, permissions
from commonroom.organisations.models import (
    Organisation,
    OrganisationAdmin,
    OrganisationChange,
    OrganisationInvitation,
    invitation_expiry,
)
from commonroom.organisations.notifications import ADMINISTRATOR_INVITED
from commonroom.organisations.search import index_organisation
from commonroom.social.services import follows

# A proposal the staff sent back, or refused, is edited in place and sent again.
EDITABLE_IN_PLACE = (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.REJECTED)


def _logo(upload: UploadedFile[Any]) -> Any:
    """The logo re-encoded as profile photos are (R36)."""
    return image_reencode(
        upload,
        max_bytes=settings.PROFILE_PHOTO_MAX_BYTES,
        max_side=settings.PROFILE_PHOTO_MAX_SIDE,
    ).content


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@transaction.atomic(durable=True)
def organisation_propose(
    *, by: Member, logo: UploadedFile[Any] | None = None, **fields: Any
) -> Organisation:
    """A member proposes an organisation; it waits for staff's limited
    verification (R24) and the member becomes its first administrator."""
    _refuse_unless(permissions.can_propose(by))
    if antispam.rate_limit_hit(member=by, kind="organisation"):
        raise ValidationError(
            _("You proposed several organisations in a short time. Please wait a day."),
            code="rate_limited",
        )
    organisation = Organisation(proposed_by=by, **fields)
    if logo is not None:
        organisation.logo.save("logo.jpg", _logo(logo), save=False)
    organisation.full_clean()
    organisation.save()
    OrganisationAdmin.objects.create(organisation=organisation, member=by, added_by=by)
    moderation.item_submit(item=organisation, by=by, audit_action="organisation_propose")
    return organisation


@transaction.atomic(durable=True)
def organisation_edit(
    *,
    organisation: Organisation,
    by: Member,
    logo: UploadedFile[Any] | None = None,
    **fields: Any,
) -> OrganisationChange | None:
    """An administrator edits the page. A verified page keeps showing what
    staff saw until a moderator accepts the edit (like a resource's); a
    proposal is edited in place, and one sent back goes to the queue again.
    Returns the change waiting for review, if any."""
    organisation = moderation.lock(organisation)
    _refuse_unless(permissions.can_administer(by, organisation))
    data = changes.as_data(fields)
    if organisation.state in PUBLIC_STATES:
        wanted = changes.differs(organisation, data)
        if not wanted and logo is None:
            return None
        change = OrganisationChange(organisation=organisation, created_by=by, data=wanted)
        if logo is not None:
            change.logo.save("logo.jpg", _logo(logo), save=False)
        change.save()
        moderation.review_open(item=organisation, kind=Review.Kind.REVISION, change=change)
        return change
    if organisation.state not in EDITABLE_IN_PLACE:
        raise ValidationError(
            _("This organisation cannot be edited in its current state."), code="not_editable"
        )
    changes.apply_data(organisation, data)
    if logo is not None:
        organisation.logo.save("logo.jpg", _logo(logo), save=False)
    organisation.full_clean()
    organisation.save()
    if organisation.state in (State.CHANGES_REQUESTED, State.REJECTED):
        moderation.item_submit(item=organisation, by=by, audit_action="organisation_resubmit")
    return None


def _open_submission(organisation: Organisation) -> Review:
    review: Review | None = (
        Review.objects.about(organisation)
        .filter(kind=Review.Kind.SUBMISSION, closed_at__isnull=True)
        .first()
    )
    if review is None:
        raise ValidationError(
            _("This organisation is not waiting for verification."), code="closed"
        )
    return review


@transaction.atomic(durable=True)
def organisation_verify(*, organisation: Organisation, by: Member) -> Decision:
    """Staff checked the website and the contact answer and that it has a
    link with education (R24): the page becomes public."""
    _refuse_unless(permissions.can_verify(by))
    return moderation.review_decide(
        review=_open_submission(organisation), by=by, action=Decision.Action.PUBLISH
    )


@transaction.atomic(durable=True)
def organisation_reject(*, organisation: Organisation, by: Member, reason: str) -> Decision:
    """Staff refuse a registration (illegal, or no link with education); the
    proposer is told why and how to object (R24, R28)."""
    _refuse_unless(permissions.can_verify(by))
    if not reason.strip():
        raise ValidationError(_("Say why the organisation is rejected."), code="reason_required")
    return moderation.review_decide(
        review=_open_submission(organisation),
        by=by,
        action=Decision.Action.REJECT,
        reason=reason,
    )


@transaction.atomic(durable=True)
def organisation_exclude(*, organisation: Organisation, by: Member, reason: str) -> Decision:
    """Staff exclude an organisation at any time, without prior notice, with
    the reason recorded (R24): its page, offers and documents are gone from
    the directory, the guide and search at once."""
    return _exclude(organisation=organisation, by=by, reason=reason)


@transaction.atomic
def organisation_exclude_reported(
    *, organisation: Organisation, by: Member, reason: str
) -> Decision:
    """The same exclusion as moderators' action on a report about the
    organisation (R21), inside that action's transaction: staff only, as
    always (R24); a moderator who is not staff is told so."""
    if not permissions.can_verify(by):
        raise ValidationError(
            _("Only staff can exclude an organisation; dismiss the report or ask staff."),
            code="not_allowed",
        )
    return _exclude(organisation=organisation, by=by, reason=reason)


def _exclude(*, organisation: Organisation, by: Member, reason: str) -> Decision:
    _refuse_unless(permissions.can_verify(by))
    if not reason.strip():
        raise ValidationError(_("Say why the organisation is excluded."), code="reason_required")
    decision = moderation.item_remove(item=organisation, by=by, reason=reason)
    Organisation.objects.filter(pk=organisation.pk).update(excluded_reason=reason.strip())
    transaction.on_commit(partial(index_organisation, organisation.pk))
    return decision


def _invitable_member(email: str) -> Member:
    # The same answer for an unknown, unverified, closed or erased account:
    # the form reveals no more about who has an account than before.
    member = (
        Member.objects.filter(
            emailaddress__email__iexact=email.strip(),
            emailaddress__verified=True,
            is_active=True,
            erased_at__isnull=True,
        )
        .distinct()
        .first()
    )
    if member is None:
        raise ValidationError(
            _("No member with a verified account uses this e-mail address."), code="no_member"
        )
    return member


@transaction.atomic(durable=True)
def invitation_send(
    *, organisation: Organisation, by: Member, email: str
) -> OrganisationInvitation:
    """An administrator invites a member, named by the e-mail address of
    their account, to administer the organisation with them (R17); the
    member is told and becomes an administrator only by accepting. An
    expired invitation to the same member is renewed."""
    organisation = moderation.lock(organisation)
    _refuse_unless(permissions.can_administer(by, organisation))
    member = _invitable_member(email)
    if OrganisationAdmin.objects.filter(organisation=organisation, member=member).exists():
        raise ValidationError(_("This member is already an administrator."), code="already")
    invitation = OrganisationInvitation.objects.filter(
        organisation=organisation, member=member, status=OrganisationInvitation.Status.PENDING
    ).first()
    if invitation is not None and not invitation.is_expired:
        raise ValidationError(
            _("This member is already invited and has not answered yet."), code="already_invited"
        )
    invitation = invitation or OrganisationInvitation(organisation=organisation, member=member)
    invitation.invited_by = by
    invitation.created_at = timezone.now()
    invitation.expires_at = invitation_expiry()
    invitation.full_clean()
    invitation.save()
    notify(
        recipient=member,
        kind=ADMINISTRATOR_INVITED,
        context={
            "name": organisation.name,
            "by": by.display_name,
            "until": timezone.localdate(invitation.expires_at).isoformat(),
        },
        url=invitation.get_absolute_url(),
    )
    return invitation


def _lock_open(invitation: OrganisationInvitation) -> OrganisationInvitation:
    invitation = (
        OrganisationInvitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )
    if invitation.status != OrganisationInvitation.Status.PENDING:
        raise ValidationError(
            _("This invitation was already answered or withdrawn."), code="answered"
        )
    return invitation


def _answer(invitation: OrganisationInvitation, by: Member, status: str) -> OrganisationInvitation:
    """The invited member answers an invitation that is still open; nobody
    else may (the views show them none)."""
    _refuse_unless(invitation.member_id == by.pk)
    invitation = _lock_open(invitation)
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired. Ask an administrator to invite you again."),
            code="expired",
        )
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation


@transaction.atomic(durable=True)
def invitation_accept(*, invitation: OrganisationInvitation, by: Member) -> OrganisationAdmin:
    """The invited member accepts and becomes an administrator (R17)."""
    _refuse_unless(invitation.member_id == by.pk)
    organisation = moderation.lock(invitation.organisation)
    if organisation.state == State.REMOVED:
        raise ValidationError(
            _("Staff excluded this organisation; its page can no longer be administered."),
            code="excluded",
        )
    invitation = _answer(invitation, by, OrganisationInvitation.Status.ACCEPTED)
    admin, _created = OrganisationAdmin.objects.get_or_create(
        organisation=organisation, member=by, defaults={"added_by": invitation.invited_by}
    )
    return admin


@transaction.atomic(durable=True)
def invitation_decline(*, invitation: OrganisationInvitation, by: Member) -> None:
    """The invited member declines; nothing else changes."""
    _answer(invitation, by, OrganisationInvitation.Status.DECLINED)


@transaction.atomic(durable=True)
def invitation_withdraw(*, invitation: OrganisationInvitation, by: Member) -> None:
    """An administrator withdraws an invitation not answered yet."""
    organisation = moderation.lock(invitation.organisation)
    _refuse_unless(permissions.can_administer(by, organisation))
    invitation = _lock_open(invitation)
    invitation.status = OrganisationInvitation.Status.WITHDRAWN
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])


@transaction.atomic(durable=True)
def administrator_remove(*, organisation: Organisation, by: Member, member_id: int) -> None:
    """An administrator removes another (or steps down); the last one stays."""
    organisation = moderation.lock(organisation)
    _refuse_unless(permissions.can_administer(by, organisation))
    admins = OrganisationAdmin.objects.filter(organisation=organisation)
    if not admins.filter(member_id=member_id).exists():
        raise ValidationError(_("This member is not an administrator."), code="not_admin")
    if admins.count() == 1:
        raise ValidationError(
            _("An organisation keeps at least one administrator."), code="last_admin"
        )
    admins.filter(member_id=member_id).delete()


@transaction.atomic(durable=True)
def organisation_follow(*, organisation: Organisation, by: Member) -> None:
    if not organisation.is_public:
        raise PermissionDenied
    follows.follow(follower=by, target=organisation)


@transaction.atomic(durable=True)
def organisation_unfollow(*, organisation: Organisation, by: Member) -> None:
    follows.unfollow(follower=by, target=organisation)
