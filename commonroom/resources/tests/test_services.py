"""The lifecycle from the author's side and through moderation (R15, R26 to R30)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from commonroom.moderation import appeals, reports
from commonroom.moderation import services as moderation
from commonroom.moderation.models import AuditEntry, Criterion, Decision, Objection, Review
from commonroom.moderation.report_services import report_file
from commonroom.notifications.models import Notification
from commonroom.resources import moderation as resource_moderation
from commonroom.resources import services
from commonroom.resources.models import FileState, Resource, Revision, State
from commonroom.resources.tests.factories import (
    PublishedResourceFactory,
    ResourceFactory,
    ResourceFileFactory,
)
from commonroom.taxonomy.models import Licence


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    from commonroom.accounts.tests.factories import MemberFactory

    member = MemberFactory(first_name="Mo", last_name="Derator")
    member.groups.add(Group.objects.get(name="Moderators"))
    return member


def actions(resource: Resource) -> list[str]:
    return list(AuditEntry.objects.about(resource).order_by("pk").values_list("action", flat=True))


@pytest.mark.django_db
def test_r26_submitting_puts_the_resource_in_the_queue(member):
    resource = ResourceFactory(author=member)
    services.resource_submit(resource=resource, by=member)
    resource.refresh_from_db()
    assert resource.state == State.SUBMITTED
    review = Review.objects.get(resource=resource)
    assert (review.kind, review.closed_at) == ("submission", None)
    assert actions(resource) == ["resource_submit"]


@pytest.mark.django_db
def test_r3_an_unverified_member_cannot_submit(member):
    member.emailaddress_set.update(verified=False)
    resource = ResourceFactory(author=member)
    with pytest.raises(ValidationError) as error:
        services.resource_submit(resource=resource, by=member)
    assert "Verify your e-mail address before you publish anything." in error.value.messages
    resource.refresh_from_db()
    assert resource.state == State.DRAFT


@pytest.mark.django_db
def test_r26_an_incomplete_resource_cannot_be_submitted(member):
    resource = ResourceFactory(author=member, licence=None, body="", subjects=["none"])
    with pytest.raises(ValidationError) as error:
        services.resource_submit(resource=resource, by=member)
    assert error.value.messages == [
        "Choose a licence with the licence wizard.",
        "Choose at least one subject and one education level.",
        "Add a file, a link, a video or a text.",
    ]


@pytest.mark.django_db
def test_r28_reject_request_changes_object_and_overturn(
    member, moderator, staff, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(author=member)
    services.resource_submit(resource=resource, by=member)
    review = Review.objects.get(resource=resource)
    moderation.review_claim(review=review, by=moderator)
    resource.refresh_from_db()
    assert resource.state == State.IN_REVIEW
    criteria = list(Criterion.objects.filter(slug__in=["metadata", "licence"]))
    with django_capture_on_commit_callbacks(execute=True):
        decision = moderation.review_decide(
            review=review,
            by=moderator,
            action="reject",
            criteria=criteria,
            reason="Check the licence.",
        )
    resource.refresh_from_db()
    assert resource.state == State.REJECTED
    note = Notification.objects.get(recipient=member)
    assert note.title == f"“{resource.title}” was not published"
    assert "- Metadata correct and complete\n- Licence plausible\nCheck the licence." in note.body
    assert f"/moderation/decisions/{decision.pk}/object/" in note.body
    assert mail.outbox[-1].to == [member.email]

    objection = appeals.objection_file(decision=decision, by=member, text="It is my own work.")
    resource.refresh_from_db()
    assert resource.state == State.OBJECTION_FILED
    appeals.objection_decide(
        objection=objection, by=staff, overturn=True, reason="Licence is fine."
    )
    resource.refresh_from_db()
    objection.refresh_from_db()
    assert resource.state == State.PUBLISHED
    assert objection.status == Objection.Status.OVERTURNED
    assert Notification.objects.filter(recipient=member).first().title == (  # newest first
        f"Your objection was accepted: “{resource.title}”"
    )
    assert actions(resource) == [
        "resource_submit",
        "review_claim",
        "decision_reject",
        "objection_file",
        "objection_overturn",
    ]


@pytest.mark.django_db
def test_r28_a_refusal_needs_a_reason(member, moderator):
    resource = ResourceFactory(author=member)
    services.resource_submit(resource=resource, by=member)
    review = Review.objects.get(resource=resource)
    with pytest.raises(ValidationError):
        moderation.review_decide(review=review, by=moderator, action="reject")
    resource.refresh_from_db()
    assert resource.state == State.SUBMITTED
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_r28_upheld_objection_keeps_the_refusal(member, moderator, staff):
    resource = ResourceFactory(author=member)
    services.resource_submit(resource=resource, by=member)
    review = Review.objects.get(resource=resource)
    decision = moderation.review_decide(
        review=review, by=moderator, action="reject", reason="Spam."
    )
    objection = appeals.objection_file(decision=decision, by=member, text="No.")
    appeals.objection_decide(objection=objection, by=staff, overturn=False, reason="It is spam.")
    resource.refresh_from_db()
    assert resource.state == State.REJECTED
    assert actions(resource)[-1] == "objection_uphold"


@pytest.mark.django_db
def test_r15_an_edit_to_a_published_resource_waits_for_review(member, moderator):
    resource = PublishedResourceFactory(author=member, title="Old title")
    revision = services.resource_update(resource=resource, by=member, fields={"title": "New title"})
    resource.refresh_from_db()
    assert revision.status == Revision.Status.PENDING
    assert resource.title == "Old title"  # the published version stays
    assert resource.state == State.PUBLISHED
    review = Review.objects.get(resource=resource, kind="revision")
    moderation.review_decide(review=review, by=moderator, action="publish")
    resource.refresh_from_db()
    revision.refresh_from_db()
    assert resource.title == "New title"
    assert revision.status == Revision.Status.APPLIED
    assert "title" in revision.changed_fields


@pytest.mark.django_db
def test_r15_a_declined_edit_leaves_the_published_version(member, moderator):
    resource = PublishedResourceFactory(author=member, title="Old title")
    services.resource_update(resource=resource, by=member, fields={"title": "Spammy title"})
    review = Review.objects.get(resource=resource, kind="revision")
    moderation.review_decide(review=review, by=moderator, action="reject", reason="Title misleads.")
    resource.refresh_from_db()
    assert (resource.title, resource.state) == ("Old title", State.PUBLISHED)


@pytest.mark.django_db
def test_r10_every_edit_keeps_the_previous_version(member):
    resource = ResourceFactory(author=member, title="First")
    services.resource_update(resource=resource, by=member, fields={"title": "Second"})
    services.resource_update(resource=resource, by=member, fields={"title": "Third"})
    revisions = list(resource.revisions.order_by("number"))
    assert [r.data["title"] for r in revisions] == ["Second", "Third"]
    assert [r.changed_fields for r in revisions] == [["title"], ["title"]]
    assert all(r.created_by == member for r in revisions)


@pytest.mark.django_db
def test_r27_moderator_edits_metadata_and_removes_a_file(member, moderator):
    resource = PublishedResourceFactory(author=member, title="Fractoins")
    file = ResourceFileFactory(resource=resource)
    resource_moderation.resource_edit_by_moderator(
        resource=resource, by=moderator, fields={"title": "Fractions"}, reason="Typo."
    )
    resource_moderation.file_remove_by_moderator(
        file=file, by=moderator, reason="Contains pupils' names."
    )
    resource.refresh_from_db()
    file.refresh_from_db()
    assert resource.title == "Fractions"
    assert file.state == FileState.REMOVED
    history = list(resource.revisions.order_by("number").values_list("note", "changed_fields"))
    assert history == [("Typo.", ["title"]), (f"File removed: {file.name}", ["files"])]
    assert actions(resource) == ["decision_edit", "decision_remove_file"]
    assert Notification.objects.filter(recipient=member).count() == 2


@pytest.mark.django_db
def test_r29_a_notice_removes_the_resource_pending_investigation(member, staff, client):
    resource = PublishedResourceFactory(author=member)
    notice = appeals.notice_file(
        item=resource,
        name="Rights Holder",
        email="rh@example.org",
        work="My textbook, chapter 3",
        reasons="Copied pages.",
        good_faith=True,
    )
    resource.refresh_from_db()
    assert resource.state == State.REMOVED_PENDING
    assert resource.files_withheld
    appeals.notice_decide(notice=notice, by=staff, restore=True, reason="Own drawings.")
    resource.refresh_from_db()
    assert resource.state == State.PUBLISHED
    assert actions(resource) == ["notice_file", "notice_restore"]


@pytest.mark.django_db
def test_r29_both_sides_are_told(member, staff, django_capture_on_commit_callbacks):
    resource = PublishedResourceFactory(author=member)
    with django_capture_on_commit_callbacks(execute=True):
        notice = appeals.notice_file(
            item=resource,
            name="RH",
            email="rh@example.org",
            work="Book",
            reasons="Copied.",
            good_faith=True,
        )
        appeals.notice_decide(notice=notice, by=staff, restore=False, reason="Copied indeed.")
    recipients = [m.to for m in mail.outbox]
    assert recipients == [[member.email], ["rh@example.org"], [member.email], ["rh@example.org"]]
    resource.refresh_from_db()
    assert resource.state == State.REMOVED


@pytest.mark.django_db
def test_r21_reports_land_in_the_queue_and_can_be_upheld(member, moderator):
    resource = PublishedResourceFactory()
    report_file(target=resource, reporter=member, reason="spam", text="Advert for a shop.")
    report_file(target=resource, reporter=moderator, reason="off_topic")
    review = Review.objects.get(resource=resource, kind="report")
    assert review.reports.count() == 2
    reports.report_uphold(
        review=review,
        by=moderator,
        reason="Advertising.",
        criteria=list(Criterion.objects.filter(slug="no-advertising")),
    )
    resource.refresh_from_db()
    assert resource.state == State.REMOVED
    assert set(review.reports.values_list("status", flat=True)) == {"actioned"}


@pytest.mark.django_db
def test_r26_old_published_resources_become_due_for_review(settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.REREVIEW_AFTER_DAYS = 730
    old = PublishedResourceFactory(reviewed_at=timezone.now() - timedelta(days=800))
    fresh = PublishedResourceFactory(reviewed_at=timezone.now() - timedelta(days=10))
    assert moderation.rereview_mark_due() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.state, fresh.state) == (State.DUE_FOR_REVIEW, State.PUBLISHED)
    assert old.is_public
    assert Review.objects.get(resource=old).kind == "rereview"


@pytest.mark.django_db
def test_r33_an_adaptation_must_respect_the_source_licence(member):
    source = PublishedResourceFactory(licence=Licence.objects.get(slug="cc-by-sa-4.0"))
    resource = ResourceFactory(
        author=member, adapted_from=source, licence=Licence.objects.get(slug="cc-by-sa-4.0")
    )
    with pytest.raises(ValidationError) as error:
        services.resource_licence_set(resource=resource, by=member, licence_slug="cc-by-nc-4.0")
    assert error.value.message_dict["licence"] == [
        "An adaptation of a work under CC BY-SA 4.0 must be licensed under: CC BY-SA 4.0."
    ]
    resource.refresh_from_db()
    assert resource.licence.slug == "cc-by-sa-4.0"


@pytest.mark.django_db
def test_r33_an_nd_source_cannot_be_adapted(member):
    source = PublishedResourceFactory(licence=Licence.objects.get(slug="cc-by-nd-4.0"))
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            author=member,
            fields={
                "title": "Remix",
                "description": "d",
                "kind": source.kind,
                "language": source.language,
                "subjects": list(source.subjects.all()),
                "levels": list(source.levels.all()),
                "licence": Licence.objects.get(slug="cc-by-4.0"),
                "adapted_from": source,
            },
            rights_confirmed=True,
        )
    assert "cannot be adapted" in error.value.message_dict["licence"][0]
    assert Resource.objects.count() == 1


@pytest.mark.django_db
def test_author_withdraws_and_deletes(member):
    resource = PublishedResourceFactory(author=member)
    services.resource_withdraw(resource=resource, by=member)
    resource.refresh_from_db()
    assert resource.state == State.WITHDRAWN
    pk = resource.pk
    services.resource_delete(resource=resource, by=member)
    assert not Resource.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(target=f"resource:{pk}", action="resource_delete").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "state", "title"),
    [
        ("publish", State.PUBLISHED, "“{t}” is published"),
        ("request_changes", State.CHANGES_REQUESTED, "Changes requested for “{t}”"),
        ("reject", State.REJECTED, "“{t}” was not published"),
    ],
)
def test_r30_each_decision_has_its_state_audit_row_and_notification(
    member, moderator, action, state, title
):
    resource = ResourceFactory(author=member)
    services.resource_submit(resource=resource, by=member)
    review = Review.objects.get(resource=resource)
    moderation.review_decide(review=review, by=moderator, action=action, reason="Because.")
    resource.refresh_from_db()
    assert resource.state == state
    entry = AuditEntry.objects.about(resource).latest("pk")
    assert (entry.action, entry.actor, entry.from_state, entry.to_state) == (
        f"decision_{action}",
        moderator,
        State.SUBMITTED,
        state,
    )
    assert Notification.objects.get(recipient=member).title == title.format(t=resource.title)
