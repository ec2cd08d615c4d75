"""The index follows the services that publish, change and take down."""

import io

import pytest
from django.core.management import call_command

from commonroom.library.models import SavedItem
from commonroom.moderation import appeals
from commonroom.moderation import services as moderation
from commonroom.moderation.tests.factories import ReviewFactory, moderator
from commonroom.resources import services
from commonroom.resources.models import State
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFileFactory
from commonroom.search.facets import Filters
from commonroom.search.models import SearchDocument, SearchFacetValue
from commonroom.search.selectors import search_documents
from commonroom.search.services import search_index_sync
from commonroom.social.models import Rating

pytestmark = pytest.mark.django_db


def found(text: str) -> list[int]:
    return [h.object.pk for h in search_documents(text=text, filters=Filters()).hits]


def test_findable_once_the_publish_service_returns(django_capture_on_commit_callbacks):
    review = ReviewFactory(resource__title="Kringloop van water", resource__body="")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.review_decide(review=review, by=moderator(), action="publish")
    assert found("kringloop") == [review.target.pk]


def test_a_rejected_submission_is_never_indexed(django_capture_on_commit_callbacks):
    review = ReviewFactory(resource__title="Kringloop van water")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.review_decide(review=review, by=moderator(), action="reject", reason="No.")
    assert found("kringloop") == []
    assert not SearchDocument.objects.exists()


def test_withdrawn_and_removed_disappear(django_capture_on_commit_callbacks, staff):
    kept, withdrawn, removed = (
        PublishedResourceFactory(title=f"Getijden {n}") for n in ("een", "twee", "drie")
    )
    for resource in (kept, withdrawn, removed):
        search_index_sync(kind="resource", object_id=resource.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_withdraw(resource=withdrawn, by=withdrawn.author)
        moderation.item_remove(item=removed, by=staff, reason="Spam.")
    assert found("getijden") == [kept.pk]
    assert SearchDocument.objects.count() == 1
    assert SearchFacetValue.objects.exclude(document__object_id=kept.pk).count() == 0


def test_a_notice_takes_it_down_and_a_restore_brings_it_back(
    django_capture_on_commit_callbacks, staff
):
    resource = PublishedResourceFactory(title="Getijden")
    search_index_sync(kind="resource", object_id=resource.pk)
    with django_capture_on_commit_callbacks(execute=True):
        notice = appeals.notice_file(
            item=resource,
            name="RH",
            email="rh@example.org",
            work="Book",
            reasons="Copied.",
            good_faith=True,
        )
    assert found("getijden") == []
    with django_capture_on_commit_callbacks(execute=True):
        appeals.notice_decide(notice=notice, by=staff, restore=True, reason="Fine.")
    assert found("getijden") == [resource.pk]


def test_deleting_removes_the_document(django_capture_on_commit_callbacks):
    resource = PublishedResourceFactory(title="Getijden")
    search_index_sync(kind="resource", object_id=resource.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_delete(resource=resource, by=resource.author)
    assert found("getijden") == []
    assert not SearchDocument.objects.exists()


def test_an_accepted_edit_replaces_the_indexed_text(django_capture_on_commit_callbacks):
    resource = PublishedResourceFactory(title="Getijden")
    search_index_sync(kind="resource", object_id=resource.pk)
    mod = moderator()
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_update(resource=resource, by=resource.author, fields={"title": "Eb"})
    assert found("getijden") == [resource.pk]  # the edit waits for review
    with django_capture_on_commit_callbacks(execute=True):
        review = resource.reviews.get(kind="revision")
        moderation.review_decide(review=review, by=mod, action="publish")
    assert (found("getijden"), found("eb")) == ([], [resource.pk])


def test_file_text_quality_and_facets_are_indexed():
    resource = PublishedResourceFactory(
        title="Getijden", body="", subjects=["physics"], levels=["secondary-1-a"]
    )
    ResourceFileFactory(resource=resource, extracted_text="De maan trekt aan het water.")
    ResourceFileFactory(resource=resource, extracted_text="verborgen", state="removed")
    SavedItem.objects.create(member=resource.author, resource=resource)
    Rating.objects.create(member=resource.author, resource=resource, stars=4)
    document = search_index_sync(kind="resource", object_id=resource.pk)
    assert document is not None
    assert (document.saves, document.rating_average, document.rating_count) == (1, 4.0, 1)
    assert document.body == "De maan trekt aan het water."
    # physics + its parent; secondary-1-a + secondary-1 + secondary.
    assert SearchFacetValue.objects.filter(document=document, facet="subject").count() == 2
    assert SearchFacetValue.objects.filter(document=document, facet="level").count() == 3
    assert found("maan") == [resource.pk]


def test_syncing_twice_keeps_one_document():
    resource = PublishedResourceFactory(title="Getijden")
    search_index_sync(kind="resource", object_id=resource.pk)
    search_index_sync(kind="resource", object_id=resource.pk)
    assert SearchDocument.objects.count() == 1
    assert found("getijden") == [resource.pk]


def test_rebuild_indexes_the_public_resources_only():
    public = PublishedResourceFactory(title="Getijden")
    PublishedResourceFactory(title="Getijden verborgen", state=State.REMOVED)
    out = io.StringIO()
    call_command("search_rebuild", verbosity=0, stdout=out)
    assert out.getvalue() == "1 documents indexed.\n"
    assert found("getijden") == [public.pk]
    call_command("search_rebuild", verbosity=0, stdout=out)
    assert found("getijden") == [public.pk]
