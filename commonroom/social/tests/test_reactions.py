from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.notifications.models import Notification
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory
from commonroom.social import services
from commonroom.social.models import Follow, Rating, Reaction
from commonroom.taxonomy.models import Subject


@pytest.mark.django_db
def test_r19_a_reaction_is_public_and_the_author_is_told(
    member, member_client, client, django_capture_on_commit_callbacks
):
    resource = PublishedResourceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            f"/resources/{resource.pk}/reactions/", {"body": "Used it **today**, thanks!"}
        )
    assert response.status_code == 302
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Used it <strong>today</strong>, thanks!" in page
    note = Notification.objects.get(recipient=resource.author)
    assert note.kind == "reaction"
    assert note.title == f"{member.display_name} reacted on “{resource.title}”"
    assert mail.outbox[-1].to == [resource.author.email]


@pytest.mark.django_db
def test_r39_the_reaction_form_says_reactions_are_public(member_client):
    resource = PublishedResourceFactory()
    page = member_client.get(resource.get_absolute_url()).content.decode()
    assert "Reactions are public: everyone can read them, with your name." in page


@pytest.mark.django_db
def test_r20_a_near_duplicate_reaction_is_refused_and_the_text_kept(member, member_client):
    resource = PublishedResourceFactory()
    member_client.post(f"/resources/{resource.pk}/reactions/", {"body": "Great worksheet!"})
    response = member_client.post(
        f"/resources/{resource.pk}/reactions/", {"body": "GREAT worksheet..."}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "You have already posted this, or something very like it." in content
    assert "GREAT worksheet..." in content
    assert Reaction.objects.count() == 1


@pytest.mark.django_db
def test_r19_edit_within_the_window_only(member, member_client):
    reaction = services.reaction_post(
        resource=PublishedResourceFactory(), author=member, body="Nice"
    )
    assert (
        member_client.post(f"/reactions/{reaction.pk}/edit/", {"body": "Very nice"}).status_code
        == 302
    )
    Reaction.objects.filter(pk=reaction.pk).update(created_at=timezone.now() - timedelta(hours=1))
    response = member_client.post(f"/reactions/{reaction.pk}/edit/", {"body": "Changed later"})
    assert response.status_code == 400
    reaction.refresh_from_db()
    assert reaction.body == "Very nice"


@pytest.mark.django_db
def test_r19_nobody_edits_or_deletes_anothers_reaction(member_client):
    reaction = services.reaction_post(
        resource=PublishedResourceFactory(), author=MemberFactory(), body="Mine"
    )
    assert member_client.post(f"/reactions/{reaction.pk}/edit/", {"body": "x"}).status_code == 403
    assert member_client.post(f"/reactions/{reaction.pk}/delete/").status_code == 403
    assert member_client.post(f"/reactions/{reaction.pk}/hide/").status_code == 403
    reaction.refresh_from_db()
    assert (reaction.body, reaction.hidden_at) == ("Mine", None)


@pytest.mark.django_db
def test_r19_the_resource_author_hides_a_reaction(member, client):
    resource = PublishedResourceFactory(author=member)
    reaction = services.reaction_post(resource=resource, author=MemberFactory(), body="Spam spam")
    services.reaction_hide(reaction=reaction, by=member, reason="Off-topic")
    assert "Spam spam" not in client.get(resource.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_r20_a_link_from_a_new_account_waits_for_a_moderator(client):
    newcomer = MemberFactory(date_joined=timezone.now())
    resource = PublishedResourceFactory()
    reaction = services.reaction_post(
        resource=resource, author=newcomer, body="Cheap essays at www.essays.example"
    )
    assert reaction.held
    assert "essays.example" not in client.get(resource.get_absolute_url()).content.decode()
    assert not Notification.objects.filter(recipient=resource.author).exists()


@pytest.mark.django_db
def test_r19_ratings_average_and_count(member_client, member, client):
    resource = PublishedResourceFactory()
    for stars in (5, 4):
        services.rating_set(resource=resource, member=MemberFactory(), stars=stars)
    member_client.post(f"/resources/{resource.pk}/rating/", {"stars": "3"})
    member_client.post(f"/resources/{resource.pk}/rating/", {"stars": "4"})  # changes it
    assert Rating.objects.get(member=member).stars == 4
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "4.3 out of 5, from 3 ratings" in page


@pytest.mark.django_db
def test_r19_authors_cannot_rate_their_own(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.rating_set(
            resource=PublishedResourceFactory(author=member), member=member, stars=5
        )


@pytest.mark.django_db
def test_used_in_class_is_shown_to_the_author_only(member, member_client, client):
    resource = PublishedResourceFactory()
    response = member_client.post(
        f"/resources/{resource.pk}/used-in-class/", {"note": "Worked well with 5th graders"}
    )
    assert response.status_code == 302
    author = type(client)()
    author.force_login(resource.author)
    assert (
        "Worked well with 5th graders" in author.get(resource.get_absolute_url()).content.decode()
    )
    assert (
        "Worked well with 5th graders"
        not in client.get(resource.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_r12_feed_shows_new_resources_from_followed_members_and_subjects(member, member_client):
    colleague = MemberFactory(first_name="Bram")
    services.follow(follower=member, target=colleague)
    services.follow(follower=member, target=Subject.objects.get(slug="science-technology"))
    PublishedResourceFactory(author=colleague, title="By Bram")
    PublishedResourceFactory(title="Physics lab", subjects=["physics"])  # child subject
    PublishedResourceFactory(title="Unrelated", subjects=["music"])
    ResourceFactory(author=colleague, title="Bram's draft")
    page = member_client.get("/feed/").content.decode()
    assert "By Bram" in page
    assert "Physics lab" in page
    assert "Unrelated" not in page
    assert "Bram&#x27;s draft" not in page
    assert "Bram's draft" not in page
    assert Notification.objects.get(recipient=colleague).kind == "new_follower"


@pytest.mark.django_db
def test_r12_feed_runs_in_fixed_queries(member, member_client):
    colleague = MemberFactory()
    services.follow(follower=member, target=colleague)

    def count() -> int:
        member_client.get("/feed/")
        with CaptureQueriesContext(connection) as queries:
            member_client.get("/feed/")
        return len(queries)

    PublishedResourceFactory.create_batch(3, author=colleague)
    few = count()
    PublishedResourceFactory.create_batch(25, author=colleague)
    assert count() == few


@pytest.mark.django_db
def test_following_twice_is_one_follow(member):
    colleague = MemberFactory()
    services.follow(follower=member, target=colleague)
    services.follow(follower=member, target=colleague)
    assert Follow.objects.filter(follower=member).count() == 1


@pytest.mark.django_db
def test_r21_a_moderator_edits_a_reaction_with_a_reason(member_client, staff_client, staff):
    from commonroom.moderation.models import AuditEntry

    reaction = services.reaction_post(
        resource=PublishedResourceFactory(),
        author=MemberFactory(),
        body="Call 0470 12 34 56 for private lessons",
    )
    assert (
        member_client.post(
            f"/reactions/{reaction.pk}/moderate/", {"body": "x", "reason": "y"}
        ).status_code
        == 403
    )
    response = staff_client.post(
        f"/reactions/{reaction.pk}/moderate/",
        {"body": "[removed: phone number]", "reason": "Personal data."},
    )
    assert response.status_code == 302
    reaction.refresh_from_db()
    assert reaction.body == "[removed: phone number]"
    entry = AuditEntry.objects.get(action="reaction_edit")
    assert (entry.actor, entry.target) == (staff, f"reaction:{reaction.pk}")
    assert "Call 0470 12 34 56" in entry.reason
    assert (
        Notification.objects.filter(recipient=reaction.author, kind="moderation_decision").count()
        == 1
    )
