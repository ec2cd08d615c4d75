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
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation.suspensions import member_suspend

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
    from commonroom.moderation.tests.factories import moderator

    members = build_roles()
    owner, mod, staff = members["owner"], members["moderator"], members["staff"]
    assert owner is not None
    assert mod is not None
    assert staff is not None
    other = _member(first_name="Col", last_name="League")
    world = World(members=members, others={"other": other})
    world.others["second_moderator"] = moderator(date_joined=timezone.now() - LONG_AGO)
    world.ids |= {"member": owner.pk, "other": other.pk}
    published = _resources(world, owner=owner, other=other)
    _reviews(world, owner=owner, mod=mod, staff=staff)
    _notices_and_reports(world, owner=owner, mod=mod, other=other)
    _reactions(world, published=published, owner=owner, mod=mod, other=other)
    _library(world, published=published, owner=owner)
    _messages(world, owner=owner, other=other)
    _staffroom(world, owner=owner, other=other)
    _account_objects(world, owner=owner)
    _admin_rows(owner=owner, other=other, staff=staff, resource=published)
    _organisations(world, owner=owner)
    _identity(world, owner=owner, other=other)
    return world


def _resources(world: World, *, owner: Member, other: Member) -> Any:
    """A published resource with a file, a draft, and another member's resource."""
    from django.contrib.contenttypes.models import ContentType

    from commonroom.resources.models import Resource
    from commonroom.resources.tests.factories import (
        PublishedResourceFactory,
        ResourceFactory,
        ResourceFileFactory,
    )

    published = make(PublishedResourceFactory, author=owner, title="Fractions with pizza")
    file = make(ResourceFileFactory, resource=published)
    source = make(PublishedResourceFactory, author=other, title="Pizza source")
    world.ids |= {"resource": published.pk, "slug": published.slug, "file": file.pk}
    world.ids |= {"file_name": file.name, "source": source.pk}
    world.ids |= {"kind": published.kind_id, "language": published.language_id}
    world.ids |= {"subject": published.subjects.get().pk, "level": published.levels.get().pk}
    world.ids["draft"] = make(ResourceFactory, author=owner, title="Owner draft").pk
    world.ids["resource_content_type"] = ContentType.objects.get_for_model(Resource).pk
    return published


def _reviews(world: World, *, owner: Member, mod: Member, staff: Member) -> None:
    """Open submissions, refusals and objections: the owner's and the moderators' own."""
    submitted = _submission(owner)
    own_work = _submission(mod)
    world.ids |= {"review": submitted.pk, "review_own_work": own_work.pk}
    world.ids["resource_own_work"] = own_work.object_id
    second_moderator = world.others["second_moderator"]
    # The owner objects to a refusal; the moderator objects to one of their work;
    # the owner objects to a refusal staff decided themselves.
    objections = {
        "": (owner, second_moderator),
        "_own_work": (mod, second_moderator),
        "_own_decision": (owner, staff),
    }
    for suffix, (author, decided_by) in objections.items():
        decision, objection = _objection(by=author, decided_by=decided_by)
        world.ids |= {f"decision{suffix}": decision, f"objection{suffix}": objection}


def _objection(*, by: Member, decided_by: Member) -> tuple[int, int]:
    """A refusal of the author's submission, and the author's objection: their ids."""
    from commonroom.moderation import appeals
    from commonroom.moderation import services as moderation

    review = _submission(by)
    moderation.review_claim(review=review, by=decided_by)
    decision = moderation.review_decide(
        review=review, by=decided_by, action="reject", reason="Not about teaching."
    )
    objection = appeals.objection_file(decision=decision, by=by, text="It is, look again.")
    return decision.pk, objection.pk


def _notices_and_reports(world: World, *, owner: Member, mod: Member, other: Member) -> None:
    from commonroom.moderation import appeals
    from commonroom.moderation.report_services import report_file
    from commonroom.resources.tests.factories import PublishedResourceFactory

    for key, author in (("notice", owner), ("notice_own_work", mod)):
        noticed = make(PublishedResourceFactory, author=author, title=f"Copied pages {key}")
        world.ids[key] = appeals.notice_file(
            item=noticed,
            name="Rights Holder",
            email="rights@publisher.example",
            work="Our workbook, pages 3-9",
            reasons="Copied without permission.",
            good_faith=True,
        ).pk
    reported = make(PublishedResourceFactory, author=owner, title="Reported worksheet")
    world.ids["resource_report"] = report_file(
        target=reported, reporter=other, reason="spam", text="An advert."
    ).pk


def _reactions(world: World, *, published: Any, owner: Member, mod: Member, other: Member) -> None:
    """The owner's visible, hidden and held reactions; a report on the owner's
    reaction, and one on the moderator's."""
    from commonroom.moderation.report_services import report_file
    from commonroom.social.models import Reaction

    def react(author: Member, body: str, **state: Any) -> Any:
        return Reaction.objects.create(resource=published, author=author, body=body, **state)

    reaction = react(owner, "Worked well.")
    hidden = react(owner, "Rude words.", hidden_at=timezone.now(), hidden_by=mod)
    held = react(owner, "See https://spam.example", held=True)
    world.ids |= {"reaction": reaction.pk, "reaction_hidden": hidden.pk, "reaction_held": held.pk}
    for key, target in (
        ("content_report", reaction),
        ("content_report_own_work", react(mod, "Mine.")),
    ):
        world.ids[key] = report_file(
            target=target, reporter=other, reason="harmful", text="Unkind."
        ).pk


def _library(world: World, *, published: Any, owner: Member) -> None:
    """The owner's public and private collections, one item each."""
    from commonroom.library.tests.factories import CollectionFactory, CollectionItemFactory

    for key, is_public in (("collection", True), ("collection_private", False)):
        title = "Maths corner" if is_public else "Private corner"
        collection = make(CollectionFactory, owner=owner, title=title, is_public=is_public)
        item = make(CollectionItemFactory, collection=collection, resource=published)
        world.ids |= {key: collection.pk, f"{key}_slug": collection.slug}
        world.ids["item" if is_public else "item_private"] = item.pk


def _messages(world: World, *, owner: Member, other: Member) -> None:
    """The owner's conversation with a colleague: the colleague's message the
    owner reported, and the owner's message held for review."""
    from commonroom.messaging.models import Message
    from commonroom.messaging.tests.factories import conversation_with
    from commonroom.moderation.report_services import report_file

    conversation = conversation_with(owner, other, messages=2, sender=other)
    message = Message.objects.filter(conversation=conversation).first()
    assert message is not None
    held_message = Message.objects.create(
        conversation=conversation, sender=owner, body="Buy at https://spam.example", held=True
    )
    report = report_file(target=message, reporter=owner, reason="spam")
    world.ids |= {"conversation": conversation.pk, "message": message.pk}
    world.ids |= {"held_message": held_message.pk, "message_report": report.pk}


def _staffroom(world: World, *, owner: Member, other: Member) -> None:
    """The owner's question thread in a category, and the owner's reply to it."""
    from commonroom.staffroom.tests.factories import category, reply, thread

    board = category(name="Maths corner", slug="maths-corner")
    topic = thread(author=owner, board=board)
    reply(topic, author=other)
    post = reply(topic, author=owner, body="My own follow-up.")
    world.ids |= {"staffroom_category": board.slug, "thread": topic.pk, "post": post.pk}


def _account_objects(world: World, *, owner: Member) -> None:
    """A saved search, an unsubscribe link, the suspension, the terms, a tutor."""
    from commonroom.legal.selectors import terms_current
    from commonroom.notifications.mail import unsubscribe_token
    from commonroom.people.tests.factories import tutor
    from commonroom.search.models import SavedSearch

    saved = SavedSearch.objects.create(member=owner, name="Fractions", query="x")
    suspension = Suspension.objects.get(member=world.members["suspended"])
    world.ids |= {"saved_search": saved.pk, "suspension": suspension.pk}
    world.ids["unsubscribe_token"] = unsubscribe_token(owner, "reaction")
    terms = terms_current()
    world.ids["terms_version"] = terms.version if terms else "1.0"
    tutor(email="tutor@school.example", date_joined=timezone.now() - LONG_AGO)


def _admin_rows(*, owner: Member, other: Member, staff: Member, resource: Any) -> None:
    """A row for each admin model that would otherwise have none, so its
    change, delete and history pages are asked about a real object."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.usersessions.models import UserSession
    from django_tasks_db.models import DBTaskResult

    from commonroom.legal.models import ContactMessage, MaintenanceMode
    from commonroom.library.tests.factories import SavedItemFactory
    from commonroom.oai.services import harvester_key_create
    from commonroom.people.services import profile_verify

    MaintenanceMode.objects.create(enabled=False)
    harvester_key_create(name="Partner", contact="partner@example.org", created_by=staff)
    ContactMessage.objects.create(
        name="Parent", email="parent@home.example", subject="Hello", message="A question."
    )
    make(SavedItemFactory, member=owner, resource=resource)
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


def _organisations(world: World, *, owner: Member) -> None:
    """The owner administers a verified training provider with an offer and a
    proposal waiting for staff, and saved the selection guide's answers; an
    excluded organisation's offer is someone else's; another organisation's
    administrator invited the owner to run it with them."""
    from commonroom.moderation.lifecycle import State
    from commonroom.organisations.models import OrganisationInvitation, SavedGuide
    from commonroom.organisations.tests.factories import offer, organisation

    verified = organisation(admin=owner)
    proposal = organisation(name="Nieuw Huis", admin=owner, state=State.SUBMITTED)
    excluded = organisation(name="Uitgesloten", state=State.REMOVED)
    saved = SavedGuide.objects.create(member=owner, query="themes=stem")
    inviting = organisation(name="Uitnodigend Huis")
    invitation = OrganisationInvitation.objects.create(
        organisation=inviting, member=owner, invited_by=inviting.proposed_by
    )
    world.ids |= {
        "invitation": invitation.pk,
        "organisation": verified.pk,
        "organisation_slug": verified.slug,
        "organisation_proposal": proposal.pk,
        "proposal_slug": proposal.slug,
        "offer": offer(verified).pk,
        "offer_excluded": offer(excluded).pk,
        "saved_guide": saved.pk,
    }


def _identity(world: World, *, owner: Member, other: Member) -> None:
    """A client app the owner let sign them in, and another member's link to
    an external provider (issue 18)."""
    from allauth.socialaccount.models import SocialAccount
    from oauth2_provider.models import AccessToken, Application, RefreshToken

    app = Application.objects.create(
        name="Klasplanner",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://planner.example/callback",
        algorithm=Application.RS256_ALGORITHM,
    )
    access = AccessToken.objects.create(
        user=owner, application=app, token="matrix-access-token", scope="openid profile",
        expires=timezone.now() + LONG_AGO,
    )  # fmt: skip
    RefreshToken.objects.create(
        user=owner, application=app, token="matrix-refresh-token", access_token=access
    )
    SocialAccount.objects.create(user=other, provider="partner", uid="partner-42")
    world.ids["oauth_application"] = app.pk
