"""Issue 14 build item 2: one report system. Reports on resources, reactions,
messages, profiles and collections are one model, in one queue, with one set
of reasons (R21), and the transparency report counts every kind."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from commonroom.accounts.models import Member, ProfileVisibility
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.library.tests.factories import CollectionFactory
from commonroom.messaging import services as messaging
from commonroom.messaging.forms import MessageReportForm
from commonroom.messaging.tests.factories import conversation_with
from commonroom.moderation.forms import ReportForm
from commonroom.moderation.models import Report, ReportReason, Review
from commonroom.moderation.report_forms import ContentReportFilterForm, ContentReportForm
from commonroom.moderation.report_registry import reportables
from commonroom.moderation.report_services import report_act, report_dismiss, report_file
from commonroom.moderation.selectors import transparency_report
from commonroom.moderation.tests.factories import moderator
from commonroom.people.tests.factories import person
from commonroom.resources.models import State
from commonroom.resources.tests.factories import published_resource
from commonroom.social.models import Reaction

pytestmark = pytest.mark.django_db

KINDS = {"resource", "reaction", "profile", "collection", "message"}


def one_of_each(reporter: Member) -> dict[str, Report]:
    """A report on each kind of content, filed through the services."""
    author = MemberFactory()
    resource = published_resource(author=author)
    reaction = Reaction.objects.create(resource=resource, author=author, body="Rude words")
    profile = person(visibility=ProfileVisibility.PUBLIC)
    collection = CollectionFactory(owner=author, is_public=True)
    message = conversation_with(author, reporter).messages.get()
    return {
        "resource": report_file(target=resource, reporter=reporter, reason="spam"),
        "reaction": report_file(target=reaction, reporter=reporter, reason="harmful"),
        "profile": report_file(target=profile, reporter=reporter, reason="impersonation"),
        "collection": report_file(target=collection, reporter=reporter, reason="privacy"),
        "message": messaging.message_report(message=message, reporter=reporter, reason="harmful"),
    }


def queue(client: Client, query: str = "") -> dict[int, str]:
    response = client.get(f"/moderation/content-reports/{query}")
    assert response.status_code == 200
    return {row.report.pk: row.kind for row in response.context["rows"]}


def test_issue14_every_kind_registers_through_its_apps_moderation_module():
    found = reportables()
    assert set(found) >= KINDS
    assert {kind: found[kind].model.__module__ for kind in KINDS} == {
        "resource": "commonroom.resources.models",
        "reaction": "commonroom.social.models",
        "profile": "commonroom.accounts.models",
        "collection": "commonroom.library.models",
        "message": "commonroom.messaging.models",
    }  # fmt: skip


def test_issue14_one_queue_lists_reports_of_every_kind_filtered_by_kind_reason_and_state():
    reports = one_of_each(MemberFactory())
    client = Client()
    client.force_login(moderator(language="en"))

    assert queue(client) == {report.pk: kind for kind, report in reports.items()}
    assert queue(client, "?kind=reaction&status=open") == {reports["reaction"].pk: "reaction"}
    assert queue(client, "?reason=harmful") == {
        reports["reaction"].pk: "reaction",
        reports["message"].pk: "message",
    }
    assert queue(client, "?status=dismissed") == {}
    html = client.get("/moderation/content-reports/").content.decode()
    # Private messages are read on messaging's page, with the conversation around them.
    assert f'href="/messages/reports/{reports["message"].pk}/"' in html
    assert f'href="/moderation/content-reports/{reports["resource"].pk}/"' in html


def test_issue14_one_set_of_reasons_for_every_kind_the_grounds_of_r21():
    assert ReportReason.values == [
        "illegal", "harmful", "privacy", "malware", "infringement", "spam", "off_topic",
        "impersonation",
    ]  # fmt: skip
    for form in (ReportForm(), ContentReportForm(), MessageReportForm()):
        assert list(form.fields["reason"].choices) == ReportReason.choices
    reasons = ContentReportFilterForm().fields["reason"].choices
    assert [value for value, _label in reasons] == ["", *ReportReason.values]


def test_issue14_the_transparency_report_counts_reports_filed_on_every_kind():
    reports = one_of_each(MemberFactory())
    mod = moderator()
    report_dismiss(report=reports["collection"], by=mod)
    report_act(report=reports["reaction"], by=mod, action="hide", reason="Insults")

    today = timezone.localdate()
    counted = transparency_report(date(today.year, 1, 1), today)

    assert {kind: tuple(counted.reports_by_kind[kind]) for kind in KINDS} == {
        # received, still open, acted upon, dismissed
        "resource": (1, 1, 0, 0),
        "reaction": (1, 0, 1, 0),
        "profile": (1, 1, 0, 0),
        "collection": (1, 0, 0, 1),
        "message": (1, 1, 0, 0),
    }
    assert tuple(counted.reports_total) == (5, 3, 1, 1)
    assert counted.reports_by_reason["harmful"] == 2


def test_issue14_a_resource_report_in_the_one_queue_closes_its_review_either_way():
    reporter, mod = MemberFactory(), moderator()
    kept, removed = published_resource(), published_resource()
    dismissed = report_file(target=kept, reporter=reporter, reason="spam")
    acted = report_file(target=removed, reporter=reporter, reason="illegal")
    assert Review.objects.filter(kind="report", closed_at__isnull=True).count() == 2

    report_dismiss(report=dismissed, by=mod, reason="Fine")
    report_act(report=acted, by=mod, action="remove", reason="Illegal copy")

    assert not Review.objects.filter(kind="report", closed_at__isnull=True).exists()
    kept.refresh_from_db()
    removed.refresh_from_db()
    assert (kept.state, removed.state) == (State.PUBLISHED, State.REMOVED)
    acted.refresh_from_db()
    assert (acted.status, acted.action_taken, acted.handled_by) == ("actioned", "remove", mod)
    assert acted.decision_reason == "Illegal copy"
