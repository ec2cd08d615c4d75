"""Reactions as a moderated kind (moderation/protocol.py): a new account's
reaction with a link is held and waits in the one moderation queue (R20);
a moderator publishes or rejects it there or on the held-reactions page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from commonroom.accounts.models import Member
from commonroom.moderation.kinds import HeldPostKind
from commonroom.moderation.models import Decision
from commonroom.social.models import Reaction

Action = Decision.Action


class ModeratedReactions(HeldPostKind):
    model = Reaction

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

    def decided(self, item: Reaction, decision: Decision, reasons: str) -> None:
        """A decision in the queue tells what the held-reactions page tells."""
        from commonroom.social.services.reactions import (
            tell_author_of_decision,
            tell_author_of_reaction,
        )

        if decision.action == Action.PUBLISH:
            tell_author_of_reaction(item)
            return
        item.hidden_reason = decision.reason[:300]
        item.save(update_fields=["hidden_reason"])
        if decision.action == Action.REJECT:
            tell_author_of_decision(
                item,
                gettext_noop("A moderator did not publish your reaction on “%(title)s”"),
                decision.reason,
            )

    def queue_queryset(self) -> QuerySet[Reaction]:
        return Reaction.objects.select_related("author", "resource")


MODERATED = [ModeratedReactions()]
