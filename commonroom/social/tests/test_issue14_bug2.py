"""Issue 14 bug 2: reactions held for review reach the moderators (a queue,
the resource page), who release or reject them; nobody decides on their own."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation.models import AuditEntry
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.moderation.tests.factories import moderator
from commonroom.notifications.models import Notification
from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.social import services
from commonroom.social.models import Reaction

pytestmark = pytest.mark.django_db

HELD_BODY = "Cheap essays at www.essays.example"


def held_reaction(**kwargs) -> Reaction:
    reaction = services.reaction_post(
        resource=kwargs.pop("resource", None) or PublishedResourceFactory(),
        author=kwargs.pop("author", None) or MemberFactory(date_joined=timezone.now()),
        body=kwargs.pop("body", HELD_BODY),
    )
    assert reaction.held
    return reaction


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def mod():
    return moderator(language="en")


def test_issue14_bug2_held_reactions_are_listed_for_moderators_only(mod, member_client):
    reaction = held_reaction()
    held_reaction(body="Also www.other.example").delete()  # gone: not listed

    response = signed_in(mod).get("/reactions/held/")
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"].object_list] == [reaction.pk]
    page = response.content.decode()
    assert "essays.example" in page
    assert reaction.resource.title in page
    assert member_client.get("/reactions/held/").status_code == 403


def test_issue14_bug2_the_held_list_runs_a_fixed_number_of_queries(mod):
    client = signed_in(mod)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/reactions/held/").status_code == 200
        return len(context.captured_queries)

    held_reaction()
    count_queries()  # the first request also loads what is cached afterwards
    one = count_queries()
    for i in range(4):
        held_reaction(body=f"Link {i} www.site{i}.example")
    assert count_queries() == one


def test_issue14_bug2_the_resource_page_shows_held_reactions_to_moderators_marked(mod, client):
    reaction = held_reaction()
    url = reaction.resource.get_absolute_url()

    as_moderator = signed_in(mod).get(url).content.decode()
    assert "essays.example" in as_moderator
    assert "Held for review: only moderators and its author see it" in as_moderator
    assert f"/reactions/{reaction.pk}/release/" in as_moderator

    as_author = signed_in(reaction.author).get(url).content.decode()
    assert "essays.example" in as_author
    assert "Waiting for a moderator" in as_author
    assert "Held for review" not in as_author

    assert "essays.example" not in signed_in(MemberFactory()).get(url).content.decode()
    assert "essays.example" not in client.get(url).content.decode()


def test_issue14_bug2_a_moderator_rejects_a_held_reaction_and_the_author_is_told(mod):
    reaction = held_reaction()
    response = signed_in(mod).post(
        f"/reactions/{reaction.pk}/reject/", {"reason": "Advertising is not allowed."}
    )
    assert response.status_code == 302
    reaction.refresh_from_db()
    assert (reaction.held, reaction.hidden_by, reaction.hidden_reason) == (
        True,
        mod,
        "Advertising is not allowed.",
    )
    assert reaction.hidden_at is not None
    entry = AuditEntry.objects.get(action="reaction_reject")
    assert (entry.actor, entry.target, entry.reason) == (
        mod,
        f"reaction:{reaction.pk}",
        "Advertising is not allowed.",
    )
    told = Notification.objects.get(recipient=reaction.author)
    assert told.kind == MODERATION_DECISION
    assert told.title == f"A moderator did not publish your reaction on “{reaction.resource.title}”"
    assert told.body == "Advertising is not allowed."
    assert list(signed_in(mod).get("/reactions/held/").context["page"].object_list) == []


def test_issue14_bug2_a_rejection_needs_a_reason(mod):
    reaction = held_reaction()
    response = signed_in(mod).post(f"/reactions/{reaction.pk}/reject/", {"reason": " "})
    assert response.status_code == 302
    reaction.refresh_from_db()
    assert reaction.hidden_at is None
    assert not AuditEntry.objects.filter(action="reaction_reject").exists()


def test_issue14_bug2_a_moderator_releases_a_held_reaction_from_the_list(mod):
    reaction = held_reaction()
    response = signed_in(mod).post(
        f"/reactions/{reaction.pk}/release/", {"next": "/reactions/held/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/reactions/held/"
    reaction.refresh_from_db()
    assert not reaction.held
    assert AuditEntry.objects.filter(action="reaction_release", actor=mod).count() == 1
    assert "essays.example" in Client().get(reaction.resource.get_absolute_url()).content.decode()


def test_issue14_bug2_nobody_decides_on_their_own_held_reaction():
    mod = moderator(language="en", date_joined=timezone.now())
    reaction = held_reaction(author=mod)
    client = signed_in(mod)
    assert client.post(f"/reactions/{reaction.pk}/release/").status_code == 403
    assert client.post(f"/reactions/{reaction.pk}/reject/", {"reason": "x"}).status_code == 403
    reaction.refresh_from_db()
    assert (reaction.held, reaction.hidden_at) == (True, None)
