"""The objects the role matrix fills URLs with, and the members who play each role.

One world per test module: built once inside a transaction that is rolled
back at the end (tests/test_role_matrix.py), so the ~3,000 requests of the
matrix share it instead of building it again for each case.

The *owner* is the author or owner of every object a URL names (resource,
file, collection, conversation, reaction, objection, saved search, profile);
*member* and *new member* are other members. A few variants (a draft, a
private collection, a hidden reaction, a moderator's own submission) name
other objects of the same owner, for the object-level rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from commonroom.accounts.models import Member, Suspension
from commonroom.accounts.roles import MODERATORS, STAFF
from commonroom.accounts.services import member_suspend
from commonroom.accounts.tests.factories import MemberFactory

ROLES = (
    "visitor",
    "unverified",
    "member",
    "new_member",
    "owner",
    "suspended",
    "moderator",
    "staff",
)

LONG_AGO = timedelta(days=90)


@dataclass
class World:
    """Members by role (visitor: None) and the ids URLs are filled with."""

    members: dict[str, Member | None]
    ids: dict[str, Any] = field(default_factory=dict)
    # Other members the cases need: the second party of a conversation, a
    # second moderator who decided on the owner's work.
    others: dict[str, Member] = field(default_factory=dict)


def make(factory: Any, **kwargs: Any) -> Any:
    """A factory's object (factory_boy's classes are untyped)."""
    return factory(**kwargs)


def _member(**kwargs: Any) -> Member:
    kwargs.setdefault("date_joined", timezone.now() - LONG_AGO)
    member: Member = make(MemberFactory, **kwargs)
    return member


def build_roles() -> dict[str, Member | None]:
    unverified = _member(first_name="Una", last_name="Verified")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    moderator = _member(first_name="Mo", last_name="Derator")
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    # Staff operate the platform: the admin is theirs (as the demo data sets them up).
    staff = _member(first_name="Sta", last_name="Ff", is_staff=True, is_superuser=True)
    staff.groups.add(Group.objects.get(name=STAFF))
    suspended = _member(first_name="Sus", last_name="Pended")
    member_suspend(member=suspended, reason="Spam in reactions", until=None, by=staff)
    return {
        "visitor": None,
        "unverified": unverified,
        "member": _member(first_name="Mem", last_name="Ber"),
        # Joined today: younger than settings.NEW_ACCOUNT_DAYS (core/antispam.py).
        "new_member": _member(first_name="New", last_name="Comer", date_joined=timezone.now()),
        "owner": _member(first_name="Own", last_name="Er"),
        "suspended": suspended,
        "moderator": moderator,
        "staff": staff,
    }


def _submission(author: Member) -> Any:
    """An open review of the author's submitted resource."""
    from commonroom.moderation.tests.factories import ReviewFactory
    from commonroom.resources.models import State
    from commonroom.resources.tests.factories import ResourceFactory

    resource = make(ResourceFactory, author=author, state=State.SUBMITTED)
    return make(ReviewFactory, resource=resource)


def build_world() -> World:
    """Every object a URL of the matrix names, owned by the owner."""
    from django.contrib.contenttypes.models import ContentType

    from commonroom.legal.selectors import terms_current
    from commonroom.library.tests.factories import CollectionFactory, CollectionItemFactory
    from commonroom.messaging.models import Message, MessageReport
    from commonroom.messaging.tests.factories import conversation_with
    from commonroom.moderation import content_reports
    from commonroom.moderation import services as moderation
    from commonroom.moderation.tests.factories import ReviewFactory, moderator
    from commonroom.people.tests.factories import tutor
    from commonroom.resources.models import Resource, State
    from commonroom.resources.tests.factories import (
        PublishedResourceFactory,
        ResourceFactory,
        ResourceFileFactory,
    )
    from commonroom.search.models import SavedSearch
    from commonroom.social.models import Reaction
    from commonroom.social.services.notifications import unsubscribe_token

    members = build_roles()
    owner = members["owner"]
    mod = members["moderator"]
    assert owner is not None
    assert mod is not None
    other = _member(first_name="Col", last_name="League")
    second_moderator = moderator(date_joined=timezone.now() - LONG_AGO)
    ids: dict[str, Any] = {}

    published = make(PublishedResourceFactory, author=owner, title="Fractions with pizza")
    file = make(ResourceFileFactory, resource=published)
    source = make(PublishedResourceFactory, author=other, title="Pizza source")
    ids |= {"resource": published.pk, "slug": published.slug, "file": file.pk}
    ids |= {"file_name": file.name, "source": source.pk}
    ids |= {"kind": published.kind_id, "language": published.language_id}
    ids |= {"subject": published.subjects.get().pk, "level": published.levels.get().pk}
    ids["draft"] = make(ResourceFactory, author=owner, title="Owner draft").pk

    # A submission waiting for review; another by the moderator (own work).
    submitted = make(
        ReviewFactory, resource=make(ResourceFactory, author=owner, state=State.SUBMITTED)
    )
    ids["review"] = submitted.pk
    own_work = make(
        ReviewFactory, resource=make(ResourceFactory, author=mod, state=State.SUBMITTED)
    )
    ids["review_own_work"] = own_work.pk
    ids["resource_own_work"] = own_work.resource_id

    # A rejection of the owner's work, and the owner's objection to it.
    rejected = make(
        ReviewFactory, resource=make(ResourceFactory, author=owner, state=State.SUBMITTED)
    )
    moderation.review_claim(review=rejected, by=second_moderator)
    decision = moderation.review_decide(
        review=rejected, by=second_moderator, action="reject", reason="Not about teaching."
    )
    objection = moderation.objection_file(decision=decision, by=owner, text="It is, look again.")
    ids |= {"decision": decision.pk, "objection": objection.pk}
    # The moderator's own rejected work, objected to by the moderator.
    own_rejected = make(
        ReviewFactory, resource=make(ResourceFactory, author=mod, state=State.SUBMITTED)
    )
    moderation.review_claim(review=own_rejected, by=second_moderator)
    own_decision = moderation.review_decide(
        review=own_rejected, by=second_moderator, action="reject", reason="Off topic."
    )
    own_objection = moderation.objection_file(decision=own_decision, by=mod, text="Look again.")
    ids |= {"decision_own_work": own_decision.pk, "objection_own_work": own_objection.pk}

    # A refusal staff decided themselves, objected to by the owner.
    staff = members["staff"]
    assert staff is not None
    staff_refused = _submission(owner)
    moderation.review_claim(review=staff_refused, by=staff)
    staff_decision = moderation.review_decide(
        review=staff_refused, by=staff, action="reject", reason="Incomplete."
    )
    ids["objection_own_decision"] = moderation.objection_file(
        decision=staff_decision, by=owner, text="It is complete."
    ).pk

    noticed = make(PublishedResourceFactory, author=owner, title="Copied pages")
    notice = moderation.notice_file(
        resource=noticed,
        name="Rights Holder",
        email="rights@publisher.example",
        work="Our workbook, pages 3-9",
        reasons="Copied without permission.",
        good_faith=True,
    )
    ids["notice"] = notice.pk
    own_noticed = make(PublishedResourceFactory, author=mod, title="Moderator's copied pages")
    ids["notice_own_work"] = moderation.notice_file(
        resource=own_noticed,
        name="Rights Holder",
        email="rights@publisher.example",
        work="Our workbook, pages 10-12",
        reasons="Copied without permission.",
        good_faith=True,
    ).pk
    reported = make(PublishedResourceFactory, author=owner, title="Reported worksheet")
    moderation.report_file(resource=reported, by=other, reason="spam", text="An advert.")

    reaction = Reaction.objects.create(resource=published, author=owner, body="Worked well.")
    hidden = Reaction.objects.create(
        resource=published,
        author=owner,
        body="Rude words.",
        hidden_at=timezone.now(),
        hidden_by=mod,
        hidden_reason="Insulting.",
    )
    held = Reaction.objects.create(
        resource=published, author=owner, body="See https://spam.example", held=True
    )
    ids |= {"reaction": reaction.pk, "reaction_hidden": hidden.pk, "reaction_held": held.pk}
    content_report = content_reports.content_report_file(
        target=reaction, reporter=other, reason="harmful", text="Unkind."
    )
    ids["content_report"] = content_report.pk
    mod_reaction = Reaction.objects.create(resource=published, author=mod, body="Mine.")
    ids["content_report_own_work"] = content_reports.content_report_file(
        target=mod_reaction, reporter=other, reason="spam", text="An advert."
    ).pk

    collection = make(CollectionFactory, owner=owner, title="Maths corner", is_public=True)
    item = make(CollectionItemFactory, collection=collection, resource=published)
    private = make(CollectionFactory, owner=owner, title="Private corner", is_public=False)
    private_item = make(CollectionItemFactory, collection=private, resource=published)
    ids |= {"collection": collection.pk, "collection_slug": collection.slug, "item": item.pk}
    ids |= {"collection_private": private.pk, "collection_private_slug": private.slug}
    ids["item_private"] = private_item.pk

    conversation = conversation_with(owner, other, messages=2, sender=other)
    message = Message.objects.filter(conversation=conversation).first()
    assert message is not None
    held_message = Message.objects.create(
        conversation=conversation, sender=owner, body="Buy at https://spam.example", held=True
    )
    message_report = MessageReport.objects.create(message=message, reporter=owner, reason="spam")
    ids |= {"conversation": conversation.pk, "message": message.pk}
    ids |= {"held_message": held_message.pk, "message_report": message_report.pk}

    ids["saved_search"] = SavedSearch.objects.create(member=owner, name="Fractions", query="x").pk
    suspension = Suspension.objects.get(member=members["suspended"])
    ids |= {"suspension": suspension.pk, "member": owner.pk, "other": other.pk}
    ids["unsubscribe_token"] = unsubscribe_token(owner, "reaction")
    ids["resource_content_type"] = ContentType.objects.get_for_model(Resource).pk
    terms = terms_current()
    ids["terms_version"] = terms.version if terms else "1.0"
    tutor(email="tutor@school.example", date_joined=timezone.now() - LONG_AGO)
    _admin_rows(owner=owner, other=other, staff=members["staff"], resource=published)
    return World(
        members=members, ids=ids, others={"other": other, "second_moderator": second_moderator}
    )


def _admin_rows(*, owner: Member, other: Member, staff: Member | None, resource: Any) -> None:
    """A row for each admin model that would otherwise have none, so its
    change, delete and history pages are asked about a real object."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.usersessions.models import UserSession
    from django_tasks_db.models import DBTaskResult

    from commonroom.legal.models import ContactMessage, MaintenanceMode
    from commonroom.library.tests.factories import SavedItemFactory
    from commonroom.people.services import profile_verify

    MaintenanceMode.objects.create(enabled=False)
    ContactMessage.objects.create(
        name="Parent", email="parent@home.example", subject="Hello", message="A question."
    )
    make(SavedItemFactory, member=owner, resource=resource)
    assert staff is not None
    profile_verify(member=other, organisation_name="Maths Academy", by=staff)
    RecoveryCodes.activate(other)
    UserSession.objects.create(
        user=other, ip="192.0.2.1", session_key="x" * 32, user_agent="Firefox"
    )
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="commonroom.core.tasks.task_results_prune",
        backend_name="default",
        queue_name="default",
    )
