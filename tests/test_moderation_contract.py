"""Issue 14: the moderation contract, run over every registered moderated kind.

A kind plugs into moderation with one adapter (``<app>/moderation.py``); this
test proves that each one, the test-only ``Note`` included, goes through the
same lifecycle: submit, claim, decide (publish or reject), object, notice
where the kind allows it, and nobody decides on their own work. ``MAKERS``
says how to make an item of each kind; a kind registered without one fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.moderation import appeals, services
from commonroom.moderation.lifecycle import Event, State
from commonroom.moderation.models import AuditEntry, Decision, Notice, Review
from commonroom.moderation.permissions import OwnWorkRefused
from commonroom.moderation.protocol import kind_of, moderated_kinds
from commonroom.moderation.queue_selectors import review_queue
from commonroom.moderation.tests.factories import moderator
from commonroom.moderation.transitions import TransitionRefused, transition
from commonroom.resources.tests.factories import ResourceFactory, published_resource
from commonroom.social.models import Reaction
from tests.kinds.models import Note

pytestmark = pytest.mark.django_db


def _resource(author: Member) -> Any:
    return ResourceFactory(author=author, state=State.DRAFT)


def _note(author: Member) -> Any:
    return Note.objects.create(title="Fractions, briefly", body="Halves first.", author=author)


def _reaction(author: Member) -> Any:
    # A new account's reaction with a link is held: born submitted, in the queue.
    from commonroom.social.services.reactions import reaction_post

    return reaction_post(
        resource=published_resource(), author=author, body="See https://example.org for more."
    )


def _message(author: Member) -> Any:
    from commonroom.messaging.tests.factories import conversation_with

    conversation = conversation_with(author, cast(Member, MemberFactory()))
    message = conversation.messages.get()
    from commonroom.messaging.services import message_send

    return (
        message_send(
            conversation=conversation, sender=author, body="Look at https://example.org now."
        )
        or message
    )


# How to make a new item of each kind, by ``app_label.model_name``.
MAKERS: dict[str, Callable[[Member], Any]] = {
    "resources.resource": _resource,
    "test_kinds.note": _note,
    "social.reaction": _reaction,
    "messaging.message": _message,
}
KINDS = sorted(moderated_kinds())


def _new_account() -> Member:
    """An account young enough for its posts with links to be held (R20)."""
    return cast(Member, MemberFactory())


def _submitted(label: str) -> tuple[Any, Review, Member]:
    """An item of the kind in the queue: submitted by its author, or held on creation."""
    author = _new_account()
    item = MAKERS[label](author)
    kind = kind_of(item)
    if kind.state(item) == State.DRAFT:
        with transaction.atomic():
            item = services.item_submit(item=item, by=author)
    review = Review.objects.about(item).get(kind=Review.Kind.SUBMISSION, closed_at__isnull=True)
    return item, review, author


def _fresh(item: Any) -> Any:
    return type(item)._default_manager.get(pk=item.pk)


def test_issue14_every_registered_kind_has_a_maker_and_the_test_kind_is_one():
    assert "test_kinds.note" in KINDS
    assert "resources.resource" in KINDS
    assert set(KINDS) <= set(MAKERS)


@pytest.mark.parametrize("label", KINDS)
def test_issue14_submit_puts_the_item_in_the_queue(label):
    item, review, _author = _submitted(label)

    assert kind_of(item).state(_fresh(item)) == State.SUBMITTED
    assert review.target == item
    assert review in review_queue()


@pytest.mark.parametrize("label", KINDS)
def test_issue14_claim_release_and_publish(label):
    item, review, _author = _submitted(label)
    mod = moderator()
    kind = kind_of(item)

    services.review_claim(review=review, by=mod)
    assert kind.state(_fresh(item)) == State.IN_REVIEW
    services.review_release(review=review, by=mod)
    assert kind.state(_fresh(item)) == State.SUBMITTED
    services.review_claim(review=review, by=mod)
    decision = services.review_decide(review=review, by=mod, action=Decision.Action.PUBLISH)

    assert kind.state(_fresh(item)) == State.PUBLISHED
    review.refresh_from_db()
    assert review.closed_at is not None
    assert (decision.target, decision.moderator) == (item, mod)
    actions = list(
        AuditEntry.objects.about(item)
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    )
    assert actions[-1] == ("decision_publish", State.IN_REVIEW, State.PUBLISHED)
    assert ("review_claim", State.SUBMITTED, State.IN_REVIEW) in actions or (
        "review_claim",
        "",
        "",
    ) in actions


@pytest.mark.parametrize("label", KINDS)
def test_issue14_reject_then_object_where_the_kind_allows_it(label):
    item, review, author = _submitted(label)
    kind = kind_of(item)
    mod, staff = moderator(), cast(Member, StaffFactory())

    decision = services.review_decide(
        review=review, by=mod, action=Decision.Action.REJECT, reason="Not for pupils."
    )
    assert kind.state(_fresh(item)) == State.REJECTED
    if not kind.accepts_objections:
        with pytest.raises(ValidationError):
            appeals.objection_file(decision=decision, by=author, text="It is fine.")
        return

    objection = appeals.objection_file(decision=decision, by=author, text="It is fine.")
    assert kind.state(_fresh(item)) == State.OBJECTION_FILED
    appeals.objection_decide(objection=objection, by=staff, overturn=True, reason="Agreed.")
    assert kind.state(_fresh(item)) == State.PUBLISHED


@pytest.mark.parametrize("label", KINDS)
def test_issue14_a_notice_takes_a_public_item_offline_where_the_kind_allows_it(label):
    item, review, _author = _submitted(label)
    kind = kind_of(item)
    services.review_decide(review=review, by=moderator(), action=Decision.Action.PUBLISH)
    notice_of = {
        "name": "Rights Holder",
        "email": "rh@example.org",
        "work": "My book",
        "reasons": "Page 3 is copied.",
        "good_faith": True,
    }
    if not kind.accepts_notices:
        with pytest.raises(ValidationError):
            appeals.notice_file(item=_fresh(item), **notice_of)
        return

    notice = appeals.notice_file(item=_fresh(item), **notice_of)
    assert kind.state(_fresh(item)) == State.REMOVED_PENDING
    assert list(Notice.objects.about(item)) == [notice]
    appeals.notice_decide(notice=notice, by=cast(Member, StaffFactory()), restore=True, reason="-")
    assert kind.state(_fresh(item)) == State.PUBLISHED


@pytest.mark.parametrize("label", KINDS)
def test_issue14_nobody_decides_on_their_own_work(label):
    item, review, author = _submitted(label)
    author.groups.add(moderator().groups.get())
    author.is_staff = True
    author.save(update_fields=["is_staff"])
    kind = kind_of(item)

    with pytest.raises(OwnWorkRefused):
        services.review_claim(review=review, by=author)
    with pytest.raises(OwnWorkRefused):
        services.review_decide(review=review, by=author, action=Decision.Action.PUBLISH)
    with pytest.raises(PermissionDenied), transaction.atomic():
        transition(_fresh(item), event=Event.PUBLISH, by=author)
    assert kind.state(_fresh(item)) == State.SUBMITTED
    assert not Decision.objects.about(item).exists()


@pytest.mark.parametrize("label", KINDS)
def test_issue14_the_lifecycle_refuses_a_move_it_does_not_allow(label):
    item, _review, _author = _submitted(label)

    with pytest.raises(TransitionRefused), transaction.atomic():
        transition(_fresh(item), event=Event.UPHOLD, by=moderator())
    assert kind_of(item).state(_fresh(item)) == State.SUBMITTED


def test_issue14_reaction_rows_exist_for_the_reaction_maker():
    # The reaction maker relies on R20: a new account's link is held.
    reaction = _reaction(_new_account())
    assert isinstance(reaction, Reaction)
    assert reaction.held
