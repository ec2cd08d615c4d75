"""Reactions, ratings and "used it in class" on resources (R19, R20, R39)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonroom.accounts.models import Member
from commonroom.accounts.roles import is_moderator
from commonroom.core import antispam, versions
from commonroom.core.text import markdown_to_text
from commonroom.core.versions import scope_of
from commonroom.moderation import audit
from commonroom.moderation.lifecycle import Event
from commonroom.moderation.models import Review
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.moderation.permissions import moderation_action
from commonroom.moderation.services import lock, review_open, reviews_close
from commonroom.moderation.transitions import transition
from commonroom.notifications.services import notify
from commonroom.resources.models import Resource
from commonroom.search.services import search_quality_refresh
from commonroom.social.models import ClassroomUse, Rating, Reaction
from commonroom.social.notifications import REACTION
from commonroom.taxonomy.models import EducationLevel, Subject


def _require_public(resource: Resource) -> None:
    if not resource.is_public:
        raise ValidationError(_("You can only react on published resources."), code="not_public")


def tell_author_of_reaction(reaction: Reaction) -> None:
    resource = reaction.resource
    if resource.author_id == reaction.author_id:
        return
    # Notifications are plain text everywhere (the list, mails, the digest):
    # the reaction's Markdown as its reader would see it.
    excerpt = Truncator(markdown_to_text(reaction.body)).chars(500)
    notify(
        recipient=resource.author,
        kind=REACTION,
        context={
            "name": reaction.author.display_name,
            "title": resource.title,
            "excerpt": excerpt,
        },
        url=f"{resource.get_absolute_url()}#reaction-{reaction.pk}",
    )


def tell_author_of_decision(reaction: Reaction, headline: str, reason: str) -> None:
    """Tells a reaction's author what a moderator did and why; `headline` is a
    msgid (marked with gettext_noop) translated into each language by notify."""
    notify(
        recipient=reaction.author,
        kind=MODERATION_DECISION,
        text=lambda: (_(headline) % {"title": reaction.resource.title}, reason),
        url=f"{reaction.resource.get_absolute_url()}#reaction-{reaction.pk}",
    )


@transaction.atomic
def reaction_post(*, resource: Resource, author: Member, body: str) -> Reaction:
    """Post a public reaction. Floods and repeated texts are refused (R20);
    a new account's reaction with a link waits for a moderator."""
    _require_public(resource)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a reaction first."), code="empty")
    check = antispam.check_post(member=author, kind="reaction", text=body)
    reaction = Reaction(resource=resource, author=author, body=body, held=check.held_for_review)
    reaction.full_clean()
    reaction.save()
    versions.changed(scope_of(Resource, reaction.resource_id))  # its kept page (core.versions)
    antispam.record_post(member=author, kind="reaction", text=body)
    if reaction.held:
        # It waits in the one moderation queue (social/moderation.py).
        review_open(item=reaction, kind=Review.Kind.SUBMISSION)
    else:
        tell_author_of_reaction(reaction)
    return reaction


def can_edit_reaction(reaction: Reaction, member: Member) -> bool:
    window = timedelta(minutes=settings.REACTION_EDIT_MINUTES)
    return (
        reaction.author_id == member.pk
        and reaction.hidden_at is None
        and timezone.now() - reaction.created_at <= window
    )


@transaction.atomic
def reaction_edit(*, reaction: Reaction, by: Member, body: str) -> Reaction:
    if reaction.author_id != by.pk:
        raise PermissionDenied
    if not can_edit_reaction(reaction, by):
        raise ValidationError(
            _("Reactions can be edited during %(n)d minutes after posting.")
            % {"n": settings.REACTION_EDIT_MINUTES},
            code="too_late",
        )
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a reaction first."), code="empty")
    reaction.body = body
    reaction.edited_at = timezone.now()
    reaction.full_clean()
    reaction.save(update_fields=["body", "edited_at"])
    versions.changed(scope_of(Resource, reaction.resource_id))  # its kept page (core.versions)
    return reaction


@transaction.atomic
def reaction_delete(*, reaction: Reaction, by: Member) -> None:
    if reaction.author_id != by.pk:
        raise PermissionDenied
    versions.changed(scope_of(Resource, reaction.resource_id))  # its kept page (core.versions)
    reaction.delete()


def can_hide_reaction(reaction: Reaction, member: Member) -> bool:
    return reaction.resource.author_id == member.pk or is_moderator(member)


@moderation_action(subject="reaction")
@transaction.atomic
def reaction_hide(*, reaction: Reaction, by: Member, reason: str = "") -> Reaction:
    """Authors hide reactions on their resources; moderators hide any (R19, R21)."""
    if not can_hide_reaction(reaction, by):
        raise PermissionDenied
    reaction.hidden_at = timezone.now()
    reaction.hidden_by = by
    reaction.hidden_reason = reason[:300]
    reaction.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    versions.changed(scope_of(Resource, reaction.resource_id))  # its kept page (core.versions)
    audit.record(
        actor=by,
        action="reaction_hide",
        subject=reaction.resource,
        target=f"reaction:{reaction.pk}",
        reason=reason,
    )
    return reaction


@moderation_action(subject="reaction")
@transaction.atomic
def reaction_release(*, reaction: Reaction, by: Member) -> Reaction:
    """A moderator lets a held reaction through."""
    if not is_moderator(by):
        raise PermissionDenied
    reaction = lock(reaction)
    transition(
        reaction,
        event=Event.PUBLISH,
        by=by,
        audit_action="reaction_release",
        audit_target=f"reaction:{reaction.pk}",
    )
    reviews_close(item=reaction)
    tell_author_of_reaction(reaction)
    return reaction


@moderation_action(subject="reaction")
@transaction.atomic
def reaction_reject(*, reaction: Reaction, by: Member, reason: str) -> Reaction:
    """A moderator refuses a held reaction: it stays hidden, the audit log
    keeps why, and the author is told the reason (R20, R21)."""
    if not is_moderator(by):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why you do not publish this reaction."), code="reason_required"
        )
    reaction = lock(reaction)
    if not reaction.held or reaction.hidden_at is not None:
        raise ValidationError(_("This reaction is not waiting for a moderator."), code="closed")
    transition(
        reaction,
        event=Event.REJECT,
        by=by,
        audit_action="reaction_reject",
        audit_target=f"reaction:{reaction.pk}",
        reason=reason,
    )
    reaction.hidden_reason = reason[:300]
    reaction.save(update_fields=["hidden_reason"])
    reviews_close(item=reaction)
    tell_author_of_decision(
        reaction, gettext_noop("A moderator did not publish your reaction on “%(title)s”"), reason
    )
    return reaction


@transaction.atomic
def rating_set(*, resource: Resource, member: Member, stars: int) -> Rating:
    _require_public(resource)
    if resource.author_id == member.pk:
        raise ValidationError(_("You cannot rate your own resource."), code="own")
    if stars not in range(1, 6):
        raise ValidationError(_("Choose one to five stars."), code="invalid")
    rating, _created = Rating.objects.update_or_create(
        resource=resource, member=member, defaults={"stars": stars}
    )
    versions.changed(resource)  # its kept page shows the average (core.versions)
    transaction.on_commit(partial(search_quality_refresh, kind="resource", object_id=resource.pk))
    return rating


@transaction.atomic
def classroom_use_record(
    *,
    resource: Resource,
    member: Member,
    level: EducationLevel | None = None,
    subject: Subject | None = None,
    note: str = "",
) -> ClassroomUse:
    """ "Used it in class": shown to the author with the level and subject."""
    _require_public(resource)
    if antispam.rate_limit_hit(member=member, kind="reaction"):
        raise ValidationError(
            _("You are posting very quickly. Please wait a while before you post again."),
            code="rate_limited",
        )
    use = ClassroomUse(
        resource=resource, member=member, level=level, subject=subject, note=note.strip()
    )
    use.full_clean()
    use.save()
    transaction.on_commit(partial(search_quality_refresh, kind="resource", object_id=resource.pk))
    return use


@moderation_action(subject="reaction")
@transaction.atomic
def reaction_edit_by_moderator(
    *, reaction: Reaction, by: Member, body: str, reason: str
) -> Reaction:
    """The operator may edit any posting that breaks the terms (terms 1.2,
    R21): audited, and the author is told why."""
    if not is_moderator(by):
        raise PermissionDenied
    body, reason = body.strip(), reason.strip()
    if not body:
        raise ValidationError(_("Write a reaction first."), code="empty")
    if not reason:
        raise ValidationError(_("Say why you edit this reaction."), code="reason_required")
    before = reaction.body
    reaction.body = body
    reaction.edited_at = timezone.now()
    reaction.full_clean()
    reaction.save(update_fields=["body", "edited_at"])
    versions.changed(scope_of(Resource, reaction.resource_id))  # its kept page (core.versions)
    audit.record(
        actor=by,
        action="reaction_edit",
        subject=reaction.resource,
        target=f"reaction:{reaction.pk}",
        reason=f"{reason}\n---\n{before}",
    )
    tell_author_of_decision(
        reaction, gettext_noop("A moderator edited your reaction on “%(title)s”"), reason
    )
    return reaction
