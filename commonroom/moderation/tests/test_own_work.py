"""Issue 12 item 2: nobody decides on their own work.

Every moderation service is marked ``@moderation_action`` and so passes the
one guard in moderation/permissions.py. These tests enumerate the marked
services, forge an own-work request for each (403 or PermissionDenied, the
database unchanged), and fail when a ``by=`` service is neither marked nor
named below as an author's own action.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import commonroom.urls  # noqa: F401  (loads every app's services, so every action is marked)
from commonroom.accounts.models import Member, Profile, Suspension
from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.library import services as library_services
from commonroom.library.tests.factories import CollectionFactory
from commonroom.messaging import services as messaging_services
from commonroom.messaging.models import Message
from commonroom.messaging.tests.factories import conversation_with
from commonroom.moderation import appeals, queue_selectors, services, suspensions
from commonroom.moderation.models import (
    Decision,
    Notice,
    Objection,
    ReportReason,
    Review,
)
from commonroom.moderation.permissions import MODERATION_ACTIONS, OwnWorkRefused, may_decide_on
from commonroom.moderation.report_services import report_file
from commonroom.moderation.tests.factories import ReviewFactory
from commonroom.people import services as people_services
from commonroom.people.models import VerifiedProfile
from commonroom.resources.models import Resource, Revision, State
from commonroom.resources.tests.factories import ResourceFileFactory, published_resource
from commonroom.social.models import Reaction

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Forged:
    """A request that would succeed from a colleague, made by the subject's author."""

    url: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    call: Callable[..., Any] | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class People:
    judge: Member  # staff and moderator, the author of every subject
    colleague: Member  # staff and moderator, who may decide
    third: Member  # an ordinary member


def _staff_moderator() -> Member:
    member = cast(Member, StaffFactory(language="en"))
    member.groups.add(Group.objects.get(name=MODERATORS))
    return member


def _reaction(p: People, **extra: Any) -> Reaction:
    resource = published_resource(author=p.third)
    return Reaction.objects.create(resource=resource, author=p.judge, body="Lovely.", **extra)


def _report_review(p: People) -> Review:
    resource = published_resource(author=p.judge)
    report = report_file(target=resource, reporter=p.third, reason=ReportReason.HARMFUL)
    assert report.review is not None
    return report.review


def _message_report_url(p: People) -> str:
    message = conversation_with(p.judge, p.third).messages.get()
    report = messaging_services.message_report(
        message=message, reporter=p.third, reason=ReportReason.HARMFUL
    )
    return reverse("messaging:report", args=[report.pk])


def _claim(p: People) -> Forged:
    review = ReviewFactory(resource__author=p.judge)
    return Forged(reverse("moderation:queue"), {"claim": str(review.pk)})


def _release(p: People) -> Forged:
    other = _staff_moderator()
    review = ReviewFactory(resource__author=p.judge, claimed_by=other, claimed_at=timezone.now())
    return Forged(reverse("moderation:queue"), {"release": str(review.pk)})


def _decide(p: People) -> Forged:
    review = ReviewFactory(resource__author=p.judge)
    return Forged(
        reverse("moderation:review", args=[review.pk]),
        {"decide": "1", "decision-action": Decision.Action.PUBLISH},
    )


def _edit(p: People) -> Forged:
    resource = published_resource(author=p.judge)
    data = {
        "title": "Corrected title",
        "description": resource.description,
        "kind": resource.kind_id,
        "language": resource.language_id,
        "subjects": [s.pk for s in resource.subjects.all()],
        "levels": [lv.pk for lv in resource.levels.all()],
        "keywords": ", ".join(resource.keywords),
        "reason": "A typo in the title",
    }
    return Forged(reverse("moderation:edit", args=[resource.pk]), data)


def _file_remove(p: People) -> Forged:
    file = ResourceFileFactory(resource=published_resource(author=p.judge))
    return Forged(reverse("moderation:file_remove", args=[file.pk]), {"reason": "Broken file"})


def _remove(p: People) -> Forged:
    resource = published_resource(author=p.judge)
    return Forged(reverse("moderation:remove", args=[resource.pk]), {"reason": "Advertising"})


def _objection(p: People) -> Forged:
    """The judge refused someone else's resource; the author objects."""
    resource = published_resource(author=p.third, state=State.OBJECTION_FILED)
    decision = Decision.objects.create(
        target=resource, moderator=p.judge, action=Decision.Action.REJECT, reason="Off topic"
    )
    objection = Objection.objects.create(decision=decision, author=p.third, text="It fits.")
    return Forged(
        reverse("moderation:objection", args=[objection.pk]),
        {"outcome": "uphold", "reason": "The refusal stands."},
    )


def _notice(p: People) -> Forged:
    resource = published_resource(author=p.judge)
    notice = appeals.notice_file(
        item=resource,
        name="Rights Holder",
        email="rights@publisher.example",
        work="Our textbook",
        reasons="Copied pages",
        good_faith=True,
    )
    return Forged(
        reverse("moderation:notice", args=[notice.pk]),
        {"outcome": "restore", "reason": "The pages are the author's own."},
    )


def _report_dismiss(p: People) -> Forged:
    review = _report_review(p)
    return Forged(
        reverse("moderation:review", args=[review.pk]),
        {"dismiss": "1", "report-reason": "Unfounded"},
    )


def _report_uphold(p: People) -> Forged:
    review = _report_review(p)
    return Forged(
        reverse("moderation:review", args=[review.pk]),
        {"uphold": "1", "report-reason": "Founded"},
    )


def _content_report_dismiss(p: People) -> Forged:
    report = report_file(target=_reaction(p), reporter=p.third, reason=ReportReason.HARMFUL)
    return Forged(reverse("moderation:content_report", args=[report.pk]), {"dismiss": "1"})


def _content_report_act(p: People) -> Forged:
    collection = CollectionFactory(owner=p.judge, is_public=True)
    report = report_file(target=collection, reporter=p.third, reason=ReportReason.HARMFUL)
    return Forged(
        reverse("moderation:content_report", args=[report.pk]),
        {"act": "1", "act-action": "hide", "act-reason": "Insulting title"},
    )


def _reaction_hide(p: People) -> Forged:
    reaction = _reaction(p)
    return Forged(reverse("social:reaction_hide", args=[reaction.pk]), {"reason": "Rude"})


def _reaction_release(p: People) -> Forged:
    reaction = _reaction(p, held=True)
    return Forged(reverse("social:reaction_release", args=[reaction.pk]))


def _reaction_reject(p: People) -> Forged:
    reaction = _reaction(p, held=True)
    return Forged(reverse("social:reaction_reject", args=[reaction.pk]), {"reason": "Spam"})


def _reaction_edit(p: People) -> Forged:
    reaction = _reaction(p)
    return Forged(
        reverse("social:reaction_moderate", args=[reaction.pk]),
        {"body": "Edited text.", "reason": "A phone number"},
    )


def _suspend(p: People) -> Forged:
    return Forged(
        call=suspensions.member_suspend,
        kwargs={"member": p.judge, "reason": "Spam", "until": None},
    )


def _lift(p: People) -> Forged:
    suspension = Suspension.objects.create(
        member=p.judge,
        reason="Spam",
        ends_at=timezone.now() + timedelta(days=3),
        suspended_by=p.colleague,
    )
    return Forged(call=suspensions.suspension_lift, kwargs={"suspension": suspension})


def _collection_hide(p: People) -> Forged:
    collection = CollectionFactory(owner=p.judge, is_public=True)
    return Forged(
        call=library_services.collection_hide_by_moderator,
        kwargs={"collection": collection, "reason": "Insulting"},
    )


def _collection_remove(p: People) -> Forged:
    collection = CollectionFactory(owner=p.judge, is_public=True)
    return Forged(
        call=library_services.collection_remove_by_moderator,
        kwargs={"collection": collection, "reason": "Insulting"},
    )


def _verify(p: People) -> Forged:
    return Forged(reverse("people:verify", args=[p.judge.pk]), {"organisation_name": "Acme"})


def _unverify(p: People) -> Forged:
    VerifiedProfile.objects.create(member=p.judge, organisation_name="Acme", verified_by=p.third)
    return Forged(reverse("people:unverify", args=[p.judge.pk]))


def _profile_hide(p: People) -> Forged:
    return Forged(
        call=people_services.profile_hide, kwargs={"member": p.judge, "reason": "Impersonation"}
    )


def _profile_clear(p: People) -> Forged:
    Profile.objects.filter(member=p.judge).update(bio="Call me on 0612345678")
    return Forged(
        call=people_services.profile_clear, kwargs={"member": p.judge, "reason": "Phone number"}
    )


def _message_report_dismiss(p: People) -> Forged:
    return Forged(_message_report_url(p), {"action": "dismiss", "note": ""})


def _message_hide(p: People) -> Forged:
    return Forged(_message_report_url(p), {"action": "hide", "note": "Insulting"})


def _message_release(p: People) -> Forged:
    message = conversation_with(p.judge, p.third).messages.get()
    Message.objects.filter(pk=message.pk).update(held=True)
    return Forged(reverse("messaging:held", args=[message.pk]), {"action": "release", "note": ""})


def _staffroom_post(p: People) -> Any:
    from commonroom.staffroom.tests.factories import reply, thread

    return reply(thread(author=p.third), author=p.judge, body="My own words.")


def _staffroom_thread(p: People) -> Any:
    from commonroom.staffroom.tests.factories import reply, thread

    topic = thread(author=p.judge)
    reply(topic, author=p.third, body="A reply.")
    return topic


def _staffroom(name: str, **kwargs: Any) -> Callable[[People], Forged]:
    """A staffroom moderation service called on the judge's post or thread."""

    def forged(p: People) -> Forged:
        from commonroom.staffroom import services as staffroom
        from commonroom.staffroom.models import Post
        from commonroom.staffroom.tests.factories import category, thread

        if name in ("post_hide", "post_edit_by_moderator"):
            return Forged(
                call=getattr(staffroom, name), kwargs={"post": _staffroom_post(p)} | kwargs
            )
        topic = _staffroom_thread(p)
        extra: dict[str, Any] = dict(kwargs)
        if name == "thread_move":
            extra["category"] = category()
        if name == "thread_merge":
            extra["into"] = thread(author=p.third)
        if name == "thread_split":
            extra["post"] = Post.objects.filter(thread=topic).order_by("pk").last()
        return Forged(call=getattr(staffroom, name), kwargs={"thread": topic} | extra)

    return forged


SCENARIOS: dict[str, Callable[[People], Forged]] = {
    "commonroom.moderation.services.review_claim": _claim,
    "commonroom.moderation.services.review_release": _release,
    "commonroom.moderation.services.review_decide": _decide,
    "commonroom.resources.moderation.resource_edit_by_moderator": _edit,
    "commonroom.resources.moderation.file_remove_by_moderator": _file_remove,
    "commonroom.moderation.services.item_remove": _remove,
    "commonroom.moderation.appeals.objection_decide": _objection,
    "commonroom.moderation.appeals.notice_decide": _notice,
    "commonroom.moderation.reports.report_dismiss": _report_dismiss,
    "commonroom.moderation.reports.report_uphold": _report_uphold,
    "commonroom.moderation.report_services.report_dismiss": _content_report_dismiss,
    "commonroom.moderation.report_services.report_act": _content_report_act,
    "commonroom.social.services.reactions.reaction_hide": _reaction_hide,
    "commonroom.social.services.reactions.reaction_release": _reaction_release,
    "commonroom.social.services.reactions.reaction_reject": _reaction_reject,
    "commonroom.social.services.reactions.reaction_edit_by_moderator": _reaction_edit,
    "commonroom.moderation.suspensions.member_suspend": _suspend,
    "commonroom.moderation.suspensions.suspension_lift": _lift,
    "commonroom.library.services.collection_hide_by_moderator": _collection_hide,
    "commonroom.library.services.collection_remove_by_moderator": _collection_remove,
    "commonroom.people.services.profile_verify": _verify,
    "commonroom.people.services.profile_unverify": _unverify,
    "commonroom.people.services.profile_hide": _profile_hide,
    "commonroom.people.services.profile_clear": _profile_clear,
    "commonroom.messaging.services.message_hide": _message_hide,
    "commonroom.messaging.services.message_release": _message_release,
    "commonroom.staffroom.services.moderating.post_hide": _staffroom("post_hide", reason="Rude"),
    "commonroom.staffroom.services.moderating.post_edit_by_moderator": _staffroom(
        "post_edit_by_moderator", body="Tidied.", reason="A phone number"
    ),
    "commonroom.staffroom.services.moderating.thread_lock": _staffroom("thread_lock", locked=True),
    "commonroom.staffroom.services.moderating.thread_pin": _staffroom("thread_pin", pinned=True),
    "commonroom.staffroom.services.moderating.thread_move": _staffroom("thread_move"),
    "commonroom.staffroom.services.moderating.thread_merge": _staffroom("thread_merge"),
    "commonroom.staffroom.services.moderating.thread_split": _staffroom(
        "thread_split", title="Split off"
    ),
}

# Services that take ``by=`` and are not moderation: the member acts on their
# own things, or staff on the platform's own documents.
NOT_MODERATION = {
    # A member revokes their own API token (the service refuses anyone else's).
    "commonroom.api.services.token_revoke",
    # A member edits their own staffroom post; a question's author marks the answer.
    "commonroom.staffroom.services.posting.post_edit",
    "commonroom.staffroom.services.posting.answer_mark",
    # Keeps the earlier text; called by the services that change a post.
    "commonroom.staffroom.services.posting.revision_keep",
    # Hides a post inside a moderation action (post_hide, a report's act), which checks.
    "commonroom.staffroom.services.moderating.post_take_down",
    "commonroom.social.services.reactions.reaction_edit",
    "commonroom.social.services.reactions.reaction_delete",
    "commonroom.library.services.collection_update",
    "commonroom.library.services.collection_delete",
    "commonroom.library.services.collection_item_add",
    "commonroom.library.services.collection_item_move",
    "commonroom.library.services.collection_item_note_set",
    "commonroom.library.services.collection_item_remove",
    "commonroom.legal.services.document_publish",
    "commonroom.legal.services.maintenance_set",
    "commonroom.search.saved.saved_search_update",
    "commonroom.search.saved.saved_search_delete",
    "commonroom.moderation.appeals.objection_file",
    "commonroom.moderation.report_services.report_file",
    # Closes the reports inside a moderation action (message_hide), which checks.
    "commonroom.moderation.report_services.reports_close",
    "commonroom.moderation.services.item_submit",
    # Tells what message_hide (or a decision in the queue) did.
    "commonroom.messaging.services.tell_hidden",
    # Stores the decision of a marked action (issue 14: the kernel's helper).
    "commonroom.moderation.services.decision_create",
    "commonroom.resources.file_uploads.resource_file_add",
    # Records a version in the history; called by the services that change it.
    "commonroom.resources.revisions.revision_record",
    "commonroom.resources.services.resource_update",
    # Applies an edit the author proposed; moderators reach it only through review_decide.
    "commonroom.resources.revisions.revision_apply",
    "commonroom.resources.services.resource_submit",
    "commonroom.resources.services.resource_withdraw",
    "commonroom.resources.services.resource_delete",
    "commonroom.resources.services.resource_licence_set",
    "commonroom.resources.services.resource_declare_adaptation",
    # Issue 17: administrators act on their organisation's own page and offers.
    "commonroom.organisations.services.organisation_propose",
    "commonroom.organisations.services.organisation_edit",
    "commonroom.organisations.services.invitation_send",
    "commonroom.organisations.services.invitation_withdraw",
    # The invited member answers their own invitation.
    "commonroom.organisations.services.invitation_accept",
    "commonroom.organisations.services.invitation_decline",
    "commonroom.organisations.services.administrator_remove",
    "commonroom.organisations.services.organisation_follow",
    "commonroom.organisations.services.organisation_unfollow",
    "commonroom.organisations.offer_services.offer_save",
    "commonroom.organisations.offer_services.offer_delete",
    "commonroom.organisations.resources_under.resource_publish_under",
    "commonroom.organisations.resources_under.resource_unlink",
    # Staff's decisions go through review_decide and item_remove, marked
    # actions that refuse one's own work (organisations/tests/test_services.py).
    "commonroom.organisations.services.organisation_verify",
    "commonroom.organisations.services.organisation_reject",
    "commonroom.organisations.services.organisation_exclude",
    # Called inside a report's act (report_act), which checks.
    "commonroom.organisations.services.organisation_exclude_reported",
    "commonroom.organisations.offer_services.offer_withdraw_reported",
}


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every Commonroom table."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model.__module__.startswith("commonroom.")
    }


def _attempt(forged: Forged, actor: Member, client: Client) -> int:
    if forged.call is None:
        return client.post(forged.url, forged.data).status_code
    try:
        forged.call(**forged.kwargs, by=actor)
    except PermissionDenied:
        return 403
    return 200


@pytest.fixture
def people() -> People:
    return People(judge=_staff_moderator(), colleague=_staff_moderator(), third=MemberFactory())


def test_item2_r2_every_moderation_action_has_a_forged_own_work_request():
    assert sorted(MODERATION_ACTIONS) == sorted(SCENARIOS)


def _by_services() -> set[str]:
    """Public functions anywhere in the project that take a keyword-only ``by``."""
    found = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        module = ".".join(("commonroom", *parts))[: -len(".py")]
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if any(arg.arg == "by" for arg in node.args.kwonlyargs):
                found.add(f"{module}.{node.name}")
    return found


def test_item2_r2_every_by_service_is_a_moderation_action_or_named_as_not_one():
    """A service added later with ``by=`` fails here until it is marked
    ``@moderation_action`` (and gets a forged request above) or is named in
    NOT_MODERATION."""
    # The guard itself, and the one state change that calls it for decisions.
    guard = {
        "commonroom.moderation.permissions.refuse_own_work",
        "commonroom.moderation.transitions.transition",
    }
    unclassified = _by_services() - set(MODERATION_ACTIONS) - NOT_MODERATION - guard
    assert unclassified == set()
    assert set(MODERATION_ACTIONS) & NOT_MODERATION == set()


# Routes to a moderation action besides the one SCENARIOS forges for it.
OTHER_ROUTES: dict[str, Callable[[People], Forged]] = {
    # report_dismiss, from messaging's report page.
    "messaging report page: dismiss": _message_report_dismiss,
}


@pytest.mark.parametrize("action", sorted(SCENARIOS) + sorted(OTHER_ROUTES))
def test_item2_r2_a_forged_own_work_request_is_refused_and_changes_nothing(action, people):
    forged = (SCENARIOS | OTHER_ROUTES)[action](people)
    judge_client, colleague_client = Client(), Client()
    judge_client.force_login(people.judge)
    colleague_client.force_login(people.colleague)
    before = _snapshot()

    assert _attempt(forged, people.judge, judge_client) == 403
    assert _snapshot() == before

    # The same request from a colleague goes through: the refusal was the guard's.
    assert _attempt(forged, people.colleague, colleague_client) in (200, 302)
    assert _snapshot() != before


def test_item2_r2_the_refusal_says_why(people):
    review = ReviewFactory(resource__author=people.judge)
    with pytest.raises(OwnWorkRefused) as refused:
        services.review_claim(review=review, by=people.judge)
    assert str(refused.value) == (
        "You cannot decide on your own work or on your own decision; another moderator does."
    )


def test_item2_r1_the_queue_does_not_offer_a_moderator_their_own_work(people):
    own = ReviewFactory(resource__author=people.judge)
    theirs = ReviewFactory(resource__author=people.third)
    resource = published_resource(author=people.third)
    revision = Revision.objects.create(
        resource=resource, number=2, status=Revision.Status.PENDING, created_by=people.judge
    )
    own_edit = ReviewFactory(resource=resource, kind=Review.Kind.REVISION, revision=revision)
    judge_client = Client()
    judge_client.force_login(people.judge)

    page = judge_client.get(reverse("moderation:queue"))

    assert [r.pk for r in page.context["page"].object_list] == [theirs.pk]
    assert page.context["counts"] == {"submission": 1, "revision": 0, "rereview": 0, "report": 0}
    colleague_queue = queue_selectors.review_queue(for_member=people.colleague)
    assert [r.pk for r in colleague_queue] == [own.pk, theirs.pk, own_edit.pk]
    # The queue's filter and the guard agree, item by item.
    for review in Review.objects.all():
        offered = review in queue_selectors.review_queue(for_member=people.judge)
        assert offered == may_decide_on(people.judge, review)


def test_item2_r1_staff_lists_leave_out_their_own_decisions_and_work(people):
    forged_objection = _objection(people)
    forged_notice = _notice(people)
    other = published_resource(author=people.third)
    decision = Decision.objects.create(
        target=other, moderator=people.colleague, action=Decision.Action.REJECT, reason="No"
    )
    theirs = Objection.objects.create(decision=decision, author=people.third, text="Yes")
    judge_client = Client()
    judge_client.force_login(people.judge)

    objections = judge_client.get(reverse("moderation:objections"))
    notices = judge_client.get(reverse("moderation:notices"))
    decide_page = judge_client.get(forged_objection.url)

    assert [o.pk for o in objections.context["page"].object_list] == [theirs.pk]
    assert list(notices.context["page"].object_list) == []
    assert Notice.objects.count() == 1
    assert decide_page.status_code == 200
    assert decide_page.context["own_work"] is True
    assert b'id="own-work"' in decide_page.content
    assert b'name="outcome"' not in decide_page.content
    assert forged_notice.url


def test_item2_r1_a_report_about_own_content_is_listed_as_yours(people):
    forged = _content_report_dismiss(people)
    judge_client = Client()
    judge_client.force_login(people.judge)

    listing = judge_client.get(reverse("moderation:content_reports"))
    detail = judge_client.get(forged.url)

    assert [row.own_work for row in listing.context["rows"]] == [True]
    assert b"Yours: another moderator decides" in listing.content
    assert detail.context["own_work"] is True
    assert b'name="dismiss"' not in detail.content


def test_item2_r2_a_resource_author_still_hides_reactions_of_others(people):
    """Hiding reactions on one's own resource is the author's right (R19),
    not a moderation of their own work."""
    resource = published_resource(author=people.judge)
    reaction = Reaction.objects.create(resource=resource, author=people.third, body="Spam!")
    judge_client = Client()
    judge_client.force_login(people.judge)

    response = judge_client.post(reverse("social:reaction_hide", args=[reaction.pk]))

    assert response.status_code == 302
    reaction.refresh_from_db()
    assert reaction.hidden_by == people.judge
    assert Resource.objects.get(pk=resource.pk).state == State.PUBLISHED
