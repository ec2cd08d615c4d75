"""Issue 14: the moderation contract, run over every registered moderated kind.

A kind plugs into moderation with one adapter (``<app>/moderation.py``); this
test proves that each one, the test-only ``Note`` included, goes through the
same lifecycle: submit, claim, decide (publish or reject), object, notice
where the kind allows it, and nobody decides on their own work. ``MAKERS``
says how to make an item of each kind; a kind registered without one fails.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.moderation import appeals, services
from commonroom.moderation.lifecycle import Event, State
from commonroom.moderation.models import AuditEntry, Decision, Notice, Report, Review
from commonroom.moderation.permissions import OwnWorkRefused
from commonroom.moderation.protocol import kind_of, moderated_kinds
from commonroom.moderation.queue_selectors import review_queue
from commonroom.moderation.report_counts import ReportCounts, count_reports
from commonroom.moderation.report_models import ReportReason
from commonroom.moderation.report_registry import reportables
from commonroom.moderation.report_selectors import reports_for_moderators
from commonroom.moderation.report_services import report_act, report_dismiss, report_file
from commonroom.moderation.tests.factories import moderator
from commonroom.moderation.transitions import TransitionRefused, transition
from commonroom.notifications.models import Notification
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


def _post(author: Member) -> Any:
    # A new account's staffroom reply with a link is held, like a reaction.
    from commonroom.staffroom.services import post_reply
    from commonroom.staffroom.tests.factories import thread

    return post_reply(thread=thread(), author=author, body="See https://example.org for more.")


def _organisation(author: Member) -> Any:
    from commonroom.organisations.tests.factories import organisation

    return organisation(admin=author, state=State.DRAFT)


# How to make a new item of each kind, by ``app_label.model_name``.
MAKERS: dict[str, Callable[[Member], Any]] = {
    "resources.resource": _resource,
    "test_kinds.note": _note,
    "social.reaction": _reaction,
    "messaging.message": _message,
    "staffroom.post": _post,
    "organisations.organisation": _organisation,
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


# --- reports (R21), over every registered reportable kind --------------------------------


def _reported_resource(author: Member) -> tuple[Any, Member]:
    return published_resource(author=author), _new_account()


def _reported_reaction(author: Member) -> tuple[Any, Member]:
    reaction = Reaction.objects.create(
        resource=published_resource(), author=author, body="Halves before quarters."
    )
    return reaction, _new_account()


def _reported_message(author: Member) -> tuple[Any, Member]:
    # Only a participant sees, and so reports, someone else's message.
    from commonroom.messaging.tests.factories import conversation_with

    reporter = _new_account()
    return conversation_with(author, reporter).messages.get(), reporter


def _reported_profile(author: Member) -> tuple[Any, Member]:
    from commonroom.accounts.models import Profile, ProfileVisibility

    Profile.objects.filter(member=author).update(
        visibility=ProfileVisibility.PUBLIC, bio="I sell answers."
    )
    return Member.objects.get(pk=author.pk), _new_account()


def _reported_collection(author: Member) -> tuple[Any, Member]:
    from commonroom.library.tests.factories import CollectionFactory

    return CollectionFactory(owner=author), _new_account()


def _reported_note(author: Member) -> tuple[Any, Member]:
    note = Note.objects.create(
        title="Fractions, briefly", body="Halves first.", author=author, state=State.PUBLISHED
    )
    return note, _new_account()


def _reported_post(author: Member) -> tuple[Any, Member]:
    from commonroom.staffroom.tests.factories import reply, thread

    return reply(thread(), author=author, body="Halves before quarters."), _new_account()


def _reported_organisation(author: Member) -> tuple[Any, Member]:
    from commonroom.organisations.tests.factories import organisation

    return organisation(admin=author), _new_account()


def _reported_offer(author: Member) -> tuple[Any, Member]:
    from commonroom.organisations.tests.factories import offer, organisation

    return offer(organisation(admin=author), created_by=author), _new_account()


# How to make a reportable item of each kind and a member who sees it, by registered kind.
REPORTED: dict[str, Callable[[Member], tuple[Any, Member]]] = {
    "resource": _reported_resource,
    "reaction": _reported_reaction,
    "message": _reported_message,
    "profile": _reported_profile,
    "collection": _reported_collection,
    "test_note": _reported_note,
    "staffroom_post": _reported_post,
    "organisation": _reported_organisation,
    "training_offer": _reported_offer,
}
# Kinds only staff act on (R24: staff exclude an organisation); others, any moderator.
ACTING = {"organisation": lambda: StaffFactory()}
REPORTABLE_KINDS = sorted(reportables())


def _reported(kind: str) -> tuple[Any, Member, Member, Report]:
    """An item of the kind, its author, and a member's open report on it."""
    author = _new_account()
    item, reporter = REPORTED[kind](author)
    report = report_file(target=item, reporter=reporter, reason=ReportReason.SPAM, text="Ads.")
    return item, author, reporter, report


def _gone_for(kind: str, item: Any, member: Member) -> bool:
    """The item no longer exists, or ``member`` may no longer see it."""
    reportable = reportables()[kind]
    current = reportable.objects().filter(pk=item.pk).first()
    return current is None or not reportable.visible_to(current, member)


def test_issue14_every_reportable_kind_has_a_maker_and_the_test_kind_is_one():
    assert {"test_note", "resource", "reaction", "message", "profile", "collection"} <= set(
        REPORTABLE_KINDS
    )
    assert set(REPORTABLE_KINDS) <= set(REPORTED)


@pytest.mark.parametrize("kind", REPORTABLE_KINDS)
def test_issue14_a_members_report_lands_in_the_one_queue_filtered_by_kind(kind, client):
    item, _author, reporter, report = _reported(kind)
    assert report.target_object() == item
    assert (report.reporter, report.status, report.reporter_email) == (reporter, "open", "")

    client.force_login(moderator())
    response = client.get(reverse("moderation:content_reports"), {"kind": kind, "status": "open"})

    assert response.status_code == 200
    assert [row.report for row in response.context["rows"]] == [report]
    assert [row.kind for row in response.context["rows"]] == [kind]
    others = [k for k in REPORTABLE_KINDS if k != kind][:1]
    for other in others:
        response = client.get(reverse("moderation:content_reports"), {"kind": other})
        assert report not in [row.report for row in response.context["rows"]]


@pytest.mark.parametrize("kind", REPORTABLE_KINDS)
def test_issue14_a_moderator_dismisses_a_report_and_the_content_stays(
    kind, django_capture_on_commit_callbacks
):
    item, _author, reporter, report = _reported(kind)
    reportable = reportables()[kind]
    told_before = Notification.objects.filter(recipient=reporter).count()

    with django_capture_on_commit_callbacks(execute=True):
        report = report_dismiss(report=report, by=moderator(), reason="Not spam.")

    assert (report.status, report.action_taken) == (Report.Status.DISMISSED, "")
    assert not _gone_for(kind, item, reporter)
    told = Notification.objects.filter(recipient=reporter).count() - told_before
    # The reporter is told where the kind tells (its ``reports_dismissed``).
    assert told == (1 if reportable.reports_dismissed is not None else 0)
    assert AuditEntry.objects.filter(action="report_dismiss", target=f"{kind}:{item.pk}").exists()


@pytest.mark.parametrize("kind", REPORTABLE_KINDS)
@pytest.mark.parametrize("action", [Report.Action.HIDE, Report.Action.REMOVE])
def test_issue14_a_report_acted_upon_takes_the_content_from_other_members(kind, action):
    item, author, reporter, report = _reported(kind)
    reportable = reportables()[kind]
    second = report_file(target=item, reporter=REPORTED[kind](author)[1], reason="harmful")
    excerpt = reportable.excerpt(item)

    acting = ACTING.get(kind, moderator)()
    report = report_act(report=report, by=acting, action=action, reason="Advertising.")

    # A kind whose removal is a hiding (messages) records what its hook did.
    assert report.status == Report.Status.ACTIONED
    assert report.action_taken in (action, Report.Action.HIDE)
    second.refresh_from_db()
    assert (second.status, second.action_taken) == (Report.Status.ACTIONED, report.action_taken)
    current = reportable.objects().filter(pk=item.pk).first()
    if action == Report.Action.HIDE or current is None:
        assert _gone_for(kind, item, reporter)
    else:
        # A removal takes what was reported: the item, or (a profile) what it showed.
        assert _gone_for(kind, item, reporter) or reportable.excerpt(current) != excerpt
    assert Notification.objects.filter(recipient=author).exists()


@pytest.mark.parametrize("kind", REPORTABLE_KINDS)
def test_issue14_the_author_cannot_decide_on_a_report_about_their_own_work(kind, client):
    item, author, reporter, report = _reported(kind)
    author.groups.add(moderator().groups.get())

    with pytest.raises(OwnWorkRefused):
        report_dismiss(report=report, by=author, reason="Fine.")
    with pytest.raises(OwnWorkRefused):
        report_act(report=report, by=author, action=Report.Action.HIDE, reason="Fine.")
    if reportables()[kind].moderation_url is None:
        # Private kinds are handled on their owning app's page, not this one.
        client.force_login(author)
        url = reverse("moderation:content_report", args=[report.pk])
        response = client.post(url, {"dismiss": "1", "dismiss-reason": "Fine."})
        assert response.status_code == 403

    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    assert not _gone_for(kind, item, reporter)


@pytest.mark.parametrize("kind", REPORTABLE_KINDS)
def test_issue14_a_visitors_report_needs_an_address_and_lands_in_the_same_queue(
    kind, client, settings
):
    settings.VISITOR_REPORT_RATE_LIMIT = "1000/h"
    item, _reporter = REPORTED[kind](_new_account())
    url = reverse("moderation:content_report_new", args=[kind, item.pk])
    if not reportables()[kind].visible_to(item, AnonymousUser()):
        # Private content does not exist for visitors: nothing to report.
        assert client.post(url, {"reason": "spam"}).status_code == 404
        assert not Report.objects.on(item).exists()
        return
    with pytest.raises(ValidationError):
        report_file(target=item, reporter=None, reason=ReportReason.SPAM)

    assert client.post(url, {"reason": "spam", "text": "Ads."}).status_code == 400
    assert not Report.objects.on(item).exists()
    response = client.post(url, {"reason": "spam", "reporter_email": "visitor@example.org"})

    assert response.status_code == 302
    report = Report.objects.on(item).get()
    assert (report.reporter, report.reporter_email) == (None, "visitor@example.org")
    assert report in reports_for_moderators(kind=kind, status=Report.Status.OPEN)


def test_issue14_the_transparency_report_counts_the_test_kinds_reports():
    # report_counts knows no kind: the test kind's reports count through its registration.
    _item, _author, _reporter, report = _reported("test_note")
    _reported("test_note")
    report_dismiss(report=report, by=moderator(), reason="Not spam.")
    now = timezone.now()

    counted = count_reports(now - timedelta(days=1), now + timedelta(seconds=1))

    assert counted.by_kind["test_note"] == ReportCounts(received=2, open=1, dismissed=1)
    assert counted.kind_labels["test_note"] == "Note"
    assert counted.by_reason["spam"] == 2
