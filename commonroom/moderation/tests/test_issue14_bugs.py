"""Issue 14's three bugs, each pinned by a test that failed before its fix."""

from datetime import date, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.library.models import Collection
from commonroom.messaging.models import Message
from commonroom.messaging.tests.factories import colleague, conversation_with
from commonroom.moderation.models import Report
from commonroom.moderation.selectors import transparency_report
from commonroom.moderation.tests.factories import ReviewFactory, moderator
from commonroom.resources.tests.factories import ResourceFactory
from commonroom.social.models import Reaction
from commonroom.taxonomy.models import EducationLevel, Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client() -> Client:
    client = Client()
    client.force_login(moderator(language="en"))
    return client


def queue_pks(client: Client, query: str) -> list[int]:
    response = client.get(f"/moderation/{query}")
    assert response.status_code == 200
    return [review.pk for review in response.context["page"].object_list]


def test_issue14_bug1_the_level_filter_finds_grandchild_levels(mod_client):
    on_grandchild = ReviewFactory(resource__levels=["secondary-1-a"])
    on_child = ReviewFactory(resource__levels=["secondary-1"])
    ReviewFactory(resource__levels=["primary"])
    secondary = EducationLevel.objects.get(slug="secondary").pk

    assert queue_pks(mod_client, f"?level={secondary}") == [on_grandchild.pk, on_child.pk]


def test_issue14_bug1_the_subject_filter_finds_grandchild_subjects(mod_client):
    maths = Subject.objects.get(slug="mathematics")
    child = Subject.objects.create(slug="i14-geometry", label_nl="M", label_en="M", parent=maths)
    Subject.objects.create(slug="i14-solids", label_nl="S", label_en="S", parent=child)
    on_grandchild = ReviewFactory(resource__subjects=["i14-solids"])
    ReviewFactory(resource__subjects=["english"])

    assert queue_pks(mod_client, f"?subject={maths.pk}") == [on_grandchild.pk]


def test_issue14_bug3_the_transparency_report_counts_reports_on_every_kind():
    in_q1 = timezone.make_aware(datetime.fromisoformat("2025-02-01 10:00"))
    after_q1 = timezone.make_aware(datetime.fromisoformat("2025-04-01 10:00"))
    Open, Actioned, Dismissed = "open", "actioned", "dismissed"
    resource = ResourceFactory()
    resource_type = ContentType.objects.get_for_model(resource)
    for status, moment in [(Actioned, in_q1), (Open, in_q1), (Dismissed, after_q1)]:
        Report.objects.create(
            content_type=resource_type,
            object_id=resource.pk,
            reason="spam",
            status=status,
            created_at=moment,
        )
    for model, statuses in [
        (Reaction, [Actioned, Actioned, Dismissed]),
        (Member, [Dismissed]),
        (Collection, [Open, Actioned]),
    ]:
        content_type = ContentType.objects.get_for_model(model)
        for status in statuses:
            Report.objects.create(
                content_type=content_type,
                object_id=1,
                reason="harmful",
                status=status,
                created_at=in_q1,
            )
    sender, other = colleague(), colleague()
    message = conversation_with(sender, other).messages.get()
    Report.objects.create(
        content_type=ContentType.objects.get_for_model(Message),
        object_id=message.pk,
        reporter=other,
        reason="privacy",
        status=Dismissed,
        created_at=in_q1,
    )

    report = transparency_report(date(2025, 1, 1), date(2025, 3, 31))

    assert {kind: tuple(counts) for kind, counts in report.reports_by_kind.items()} == {
        # received, still open, acted upon, dismissed
        "resource": (2, 1, 1, 0),
        "collection": (2, 1, 1, 0),
        "profile": (1, 0, 0, 1),
        "reaction": (3, 0, 2, 1),
        "message": (1, 0, 0, 1),
        # The test-only kind (tests/kinds) is registered too: counted, with no reports.
        "test_note": (0, 0, 0, 0),
        "staffroom_post": (0, 0, 0, 0),
        "organisation": (0, 0, 0, 0),
        "training_offer": (0, 0, 0, 0),
    }
    assert report.reports_received == 9
    assert tuple(report.reports_total) == (9, 2, 4, 3)
    assert report.reports_by_reason["spam"] == 2
    assert report.reports_by_reason["harmful"] == 6
    assert report.reports_by_reason["privacy"] == 1
    values = {m.key: m.value for m in report.metrics()}
    assert values["reports_reaction_actioned"] == 2
    assert values["reports_message_dismissed"] == 1
    assert values["reports_total_received"] == 9
