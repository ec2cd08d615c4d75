"""Reactions as a moderated and reportable kind (moderation/protocol.py): a new account's
reaction with a link is held and waits in the one moderation queue (R20);
a moderator publishes or rejects it there or on the held-reactions page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.moderation import audit
from commonroom.moderation.kinds import HeldPostKind
from commonroom.moderation.models import Decision
from commonroom.moderation.report_registry import Reportable
from commonroom.resources.models import Resource
from commonroom.resources.permissions import can_view
from commonroom.social import services
from commonroom.social.models import Reaction

Action = Decision.Action


class ModeratedReactions(HeldPostKind):
    model = Reaction
    label = gettext_lazy("Reaction")

    def title(self, item: Reaction) -> str:
        return f"{item.author.display_name}: {item.resource.title}"

    def authors(self, item: Reaction) -> frozenset[int]:
        return frozenset({item.author_id})

    def author(self, item: Reaction) -> Member:
        return item.author

    def authored_by(self, member: Member) -> QuerySet[Reaction]:
        return Reaction.objects.filter(author=member)

    def public_url(self, item: Reaction) -> str:
        return f"{item.resource.get_absolute_url()}#reaction-{item.pk}"

    def review_text(self, item: Reaction) -> str:
        return item.body

    def lock(self, item: Reaction) -> Reaction:
        return (
            Reaction.objects.select_for_update(of=("self",))
            .select_related("author", "resource")
            .get(pk=item.pk)
        )

    hidden_reason_field = "hidden_reason"

    def apply(self, item: Reaction, *, event: str, before: str, after: str, by: Any) -> None:
        super().apply(item, event=event, before=before, after=after, by=by)
        # A reaction shows on its resource's page (core.versions).
        versions.changed(versions.scope_of(Resource, item.resource_id))

    def let_through(self, item: Reaction) -> None:
        from commonroom.social.services.reactions import tell_author_of_reaction

        tell_author_of_reaction(item)

    def refused(self, item: Reaction, decision: Decision) -> None:
        from commonroom.social.services.reactions import tell_author_of_decision

        if decision.action == Action.REJECT:
            tell_author_of_decision(
                item,
                gettext_noop("A moderator did not publish your reaction on “%(title)s”"),
                decision.reason,
            )

    def queue_summary(self, item: Reaction) -> tuple[str, str]:
        on = _("On “%(title)s”") % {"title": item.resource.title}
        return (on, _("Held: a link from a new account") if item.held else "")

    def queue_queryset(self) -> QuerySet[Reaction]:
        return Reaction.objects.select_related("author", "resource")


MODERATED = [ModeratedReactions()]


# --- reports (R21): moderators hide or remove a reported reaction.


def _remove(reaction: Reaction, by: Member, reason: str) -> None:
    audit.record(
        actor=by,
        action="reaction_remove",
        subject=reaction.resource,
        target=f"reaction:{reaction.pk}",
        reason=reason,
    )
    reaction.delete()


def _hide(reaction: Reaction, by: Member, reason: str) -> None:
    services.reaction_hide(reaction=reaction, by=by, reason=reason)


def _visible(reaction: Reaction, user: Any) -> bool:
    return reaction.hidden_at is None and not reaction.held and can_view(user, reaction.resource)


def _reactions() -> QuerySet[Reaction]:
    return Reaction.objects.select_related("author", "resource")


REPORTABLE = {
    "reaction": Reportable(
        model=Reaction,
        label=gettext_lazy("Reaction"),
        author=lambda reaction: reaction.author,
        excerpt=lambda reaction: Truncator(reaction.body).chars(300),
        url=lambda reaction: f"{reaction.resource.get_absolute_url()}#reaction-{reaction.pk}",
        hide=_hide,
        remove=_remove,
        visible_to=_visible,
        queryset=_reactions,
    )
}
