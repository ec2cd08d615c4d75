"""Issue 13 item 6 (§2.4: anyone may report content): visitors report
resources, public profiles, public collections and reactions with a reason
and an email address, limited per IP, into the moderators' queue."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.test import Client

from commonroom.accounts.models import ProfileVisibility
from commonroom.accounts.services import member_erase
from commonroom.library.tests.factories import CollectionFactory
from commonroom.moderation.models import Report, Review
from commonroom.moderation.tests.factories import moderator
from commonroom.people.tests.factories import person
from commonroom.resources.models import Resource
from commonroom.resources.tests.factories import published_resource
from commonroom.social.models import Reaction

pytestmark = pytest.mark.django_db

VISITOR = {
    "reason": "illegal",
    "text": "Copies exam answers.",
    "reporter_email": "ann@mail.example",
}


def resource_reports() -> QuerySet[Report]:
    return Report.objects.filter(content_type=ContentType.objects.get_for_model(Resource))


def other_reports() -> QuerySet[Report]:
    """Reports on profiles, collections and reactions (one model for every kind)."""
    return Report.objects.exclude(content_type=ContentType.objects.get_for_model(Resource))


def moderator_client() -> Client:
    client = Client()
    client.force_login(moderator())
    return client


def test_item6_a_visitors_resource_report_lands_in_the_queue_with_the_address(client):
    resource = published_resource(title="Pizza sums")
    page = client.get(resource.get_absolute_url()).content.decode()
    url = f"/moderation/reports/new/{resource.pk}/"
    assert f'href="{url}"' in page
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert 'name="reporter_email"' in form_page.content.decode()
    response = client.post(url, VISITOR, REMOTE_ADDR="10.6.0.1")
    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()
    report = resource_reports().get()
    assert (report.reporter, report.reporter_email, report.reason, report.text) == (
        None,
        "ann@mail.example",
        "illegal",
        "Copies exam answers.",
    )
    review = Review.objects.get(kind=Review.Kind.REPORT, resource=resource)
    assert report.review == review
    # Only moderators see the address: on the review page, not on the resource page.
    moderators_page = moderator_client().get(f"/moderation/reviews/{review.pk}/").content.decode()
    assert "ann@mail.example" in moderators_page
    assert "ann@mail.example" not in client.get(resource.get_absolute_url()).content.decode()


@pytest.mark.parametrize("kind", ["profile", "collection", "reaction"])
def test_item6_a_visitor_reports_what_visitors_can_see(client, kind):
    target = {
        "profile": lambda: person(visibility=ProfileVisibility.PUBLIC),
        "collection": lambda: CollectionFactory(is_public=True),
        "reaction": lambda: Reaction.objects.create(
            resource=published_resource(), author=person(), body="Buy cheap pills here."
        ),
    }[kind]()
    url = f"/moderation/report/{kind}/{target.pk}/"
    if kind == "profile":
        where = f"/people/{target.pk}/"
    elif kind == "reaction":
        where = target.resource.get_absolute_url()
    else:
        where = target.get_absolute_url()
    assert f'href="{url}"' in client.get(where).content.decode()
    response = client.post(url, {**VISITOR, "reason": "harmful"}, REMOTE_ADDR="10.6.0.2")
    assert response.status_code == 302
    report = other_reports().get()
    assert (report.object_id, report.reporter, report.reporter_email, report.reason) == (
        target.pk,
        None,
        "ann@mail.example",
        "harmful",
    )
    detail = moderator_client().get(f"/moderation/content-reports/{report.pk}/").content.decode()
    assert "ann@mail.example" in detail


def test_item6_a_visitor_cannot_report_what_visitors_cannot_see(client):
    private = CollectionFactory(is_public=False)
    response = client.post(f"/moderation/report/collection/{private.pk}/", VISITOR)
    assert response.status_code == 404
    assert not other_reports().exists()


def test_item6_the_sixth_visitor_report_within_the_hour_is_refused(client, settings):
    settings.VISITOR_REPORT_RATE_LIMIT = "5/h"
    resource = published_resource()
    profile = person(visibility=ProfileVisibility.PUBLIC)
    for _ in range(3):
        response = client.post(
            f"/moderation/reports/new/{resource.pk}/", VISITOR, REMOTE_ADDR="10.6.0.3"
        )
        assert response.status_code == 302
    for _ in range(2):
        response = client.post(
            f"/moderation/report/profile/{profile.pk}/", VISITOR, REMOTE_ADDR="10.6.0.3"
        )
        assert response.status_code == 302
    response = client.post(
        f"/moderation/report/profile/{profile.pk}/",
        {**VISITOR, "text": "Once more."},
        REMOTE_ADDR="10.6.0.3",
    )
    assert response.status_code == 429
    content = response.content.decode()
    assert "You have sent many reports in a short time." in content
    assert "Please wait an hour before sending another one." in content
    assert "Once more." in content
    assert (resource_reports().count(), other_reports().count()) == (3, 2)
    # Another address has its own budget.
    other = client.post(f"/moderation/reports/new/{resource.pk}/", VISITOR, REMOTE_ADDR="10.6.0.4")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"text": "No reason.", "reporter_email": "ann@mail.example"},
            {"reason": ["Choose a reason for your report."]},
        ),
        (
            {"reason": "illegal", "text": "Bad address.", "reporter_email": "ann@"},
            {"reporter_email": ["Enter a valid email address."]},
        ),
        (
            {"reason": "illegal", "text": "No address."},
            {"reporter_email": ["Give your email address: moderators may need to ask you more."]},
        ),
    ],
)
def test_item6_bad_visitor_input_gives_form_errors_and_stores_nothing(client, data, errors):
    resource = published_resource()
    profile = person(visibility=ProfileVisibility.PUBLIC)
    for url in (
        f"/moderation/reports/new/{resource.pk}/",
        f"/moderation/report/profile/{profile.pk}/",
    ):
        response = client.post(url, data, REMOTE_ADDR="10.6.0.5")
        assert response.status_code == 400
        assert response.context["form"].errors == errors
        assert data["text"] in response.content.decode()
    assert (resource_reports().count(), other_reports().count(), Review.objects.count()) == (
        0,
        0,
        0,
    )


def test_item6_the_member_report_path_keeps_working(member, member_client):
    resource = published_resource()
    response = member_client.post(
        f"/moderation/reports/new/{resource.pk}/", {"reason": "spam", "text": "Ads."}
    )
    assert response.status_code == 302
    report = resource_reports().get()
    assert (report.reporter, report.reporter_email) == (member, "")
    profile = person(visibility=ProfileVisibility.PUBLIC)
    page = member_client.get(f"/moderation/report/profile/{profile.pk}/").content.decode()
    assert 'name="reporter_email"' not in page
    member_client.post(f"/moderation/report/profile/{profile.pk}/", {"reason": "spam"})
    assert other_reports().get().reporter == member


def test_item6_erasing_a_member_blanks_their_address_on_visitor_reports(client):
    resource = published_resource()
    client.post(
        f"/moderation/reports/new/{resource.pk}/",
        {**VISITOR, "reporter_email": "Ann@Mail.example"},
        REMOTE_ADDR="10.6.0.6",
    )
    profile = person(visibility=ProfileVisibility.PUBLIC)
    client.post(f"/moderation/report/profile/{profile.pk}/", VISITOR, REMOTE_ADDR="10.6.0.6")
    ann = person(email="ann@mail.example")
    member_erase(member=ann)
    assert list(resource_reports().values_list("reporter_email", "text")) == [
        ("", "Copies exam answers.")
    ]
    assert list(other_reports().values_list("reporter_email", flat=True)) == [""]
