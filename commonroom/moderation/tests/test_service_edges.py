"""Corner cases of the moderation lifecycle found in review."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation import appeals, reports
from commonroom.moderation import services as moderation
from commonroom.moderation.models import Report, Review
from commonroom.moderation.report_services import report_file
from commonroom.resources import moderation as resource_moderation
from commonroom.resources import services
from commonroom.resources.models import FileState, Revision, State
from commonroom.resources.tests.factories import PublishedResourceFactory


@pytest.fixture
def moderator(db):
    member = MemberFactory()
    member.groups.add(Group.objects.get(name="Moderators"))
    return member


def notice(resource, name="RH"):
    return appeals.notice_file(
        item=resource,
        name=name,
        email="rh@example.org",
        work="Book",
        reasons="Copied.",
        good_faith=True,
    )


@pytest.mark.django_db
def test_r29_a_resource_removed_after_one_notice_is_not_restored_by_another(staff):
    resource = PublishedResourceFactory()
    first, second = notice(resource, "A"), notice(resource, "B")
    appeals.notice_decide(notice=first, by=staff, restore=False, reason="Copied.")
    appeals.notice_decide(notice=second, by=staff, restore=True, reason="Not this one.")
    resource.refresh_from_db()
    assert resource.state == State.REMOVED


@pytest.mark.django_db
def test_r29_restoring_returns_to_the_state_before_the_notice(staff):
    resource = PublishedResourceFactory(state=State.DUE_FOR_REVIEW)
    appeals.notice_decide(notice=notice(resource), by=staff, restore=True, reason="Fine.")
    resource.refresh_from_db()
    assert resource.state == State.DUE_FOR_REVIEW


@pytest.mark.django_db
def test_r27_a_moderators_correction_survives_a_pending_author_edit(moderator):
    resource = PublishedResourceFactory(title="Old", description="First description")
    services.resource_update(
        resource=resource, by=resource.author, fields={"description": "Better description"}
    )
    resource_moderation.resource_edit_by_moderator(
        resource=resource, by=moderator, fields={"title": "Corrected"}, reason="Typo."
    )
    review = Review.objects.get(resource=resource, kind="revision")
    moderation.review_decide(review=review, by=moderator, action="publish")
    resource.refresh_from_db()
    assert (resource.title, resource.description) == ("Corrected", "Better description")


@pytest.mark.django_db
def test_r28_overturning_a_refused_edit_applies_it(moderator, staff):
    resource = PublishedResourceFactory(title="Old")
    services.resource_update(resource=resource, by=resource.author, fields={"title": "New"})
    review = Review.objects.get(resource=resource, kind="revision")
    decision = moderation.review_decide(
        review=review, by=moderator, action="reject", reason="Unclear title."
    )
    objection = appeals.objection_file(decision=decision, by=resource.author, text="It is clear.")
    appeals.objection_decide(objection=objection, by=staff, overturn=True, reason="Agreed.")
    resource.refresh_from_db()
    assert (resource.title, resource.state) == ("New", State.PUBLISHED)
    assert resource.revisions.get(status=Revision.Status.APPLIED, data__title="New")


@pytest.mark.django_db
def test_r27_removing_a_resource_closes_its_reports_and_pending_edits(moderator, member):
    resource = PublishedResourceFactory()
    report_file(target=resource, reporter=member, reason="spam")
    services.resource_update(resource=resource, by=resource.author, fields={"title": "Ad"})
    moderation.item_remove(item=resource, by=moderator, reason="Advertising.")
    assert set(Report.objects.values_list("status", flat=True)) == {"actioned"}
    assert not resource.revisions.filter(status=Revision.Status.PENDING).exists()
    assert not resource.files.filter(state=FileState.PENDING).exists()


@pytest.mark.django_db
def test_r26_a_decided_item_cannot_be_released(moderator, member):
    resource = PublishedResourceFactory()
    report_file(target=resource, reporter=member, reason="spam")
    review = Review.objects.get(resource=resource)
    reports.report_dismiss(review=review, by=moderator, reason="Fine.")
    with pytest.raises(ValidationError):
        moderation.review_release(review=review, by=moderator)


@pytest.mark.django_db
def test_r26_only_the_claimer_or_staff_release_a_claim(moderator, staff, member):
    resource = PublishedResourceFactory()
    report_file(target=resource, reporter=member, reason="spam")
    review = Review.objects.get(resource=resource)
    moderation.review_claim(review=review, by=moderator)
    other = MemberFactory()
    other.groups.add(Group.objects.get(name="Moderators"))
    with pytest.raises(ValidationError):
        moderation.review_release(review=review, by=other)
    moderation.review_release(review=review, by=staff)
    review.refresh_from_db()
    assert review.claimed_by is None


@pytest.mark.django_db
def test_r26_authors_are_told_when_a_resource_is_due_for_review(settings):
    from datetime import timedelta

    from commonroom.notifications.models import Notification

    resource = PublishedResourceFactory(reviewed_at=timezone.now() - timedelta(days=900))
    moderation.rereview_mark_due()
    assert Notification.objects.get(recipient=resource.author).kind == "review_due"
