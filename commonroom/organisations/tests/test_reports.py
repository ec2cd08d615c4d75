"""Organisations and training offers in the one report queue (R21): anyone
reports them from their pages; acting on a report excludes the organisation
(staff only, R24) or withdraws the offer, which its administrators cannot
show again."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from commonroom.accounts.models import Member
from commonroom.accounts.tests import factories as account_factories
from commonroom.moderation.lifecycle import State
from commonroom.moderation.models import AuditEntry, Decision, Report
from commonroom.moderation.report_selectors import reports_for_moderators
from commonroom.moderation.report_services import report_act, report_file
from commonroom.moderation.tests.factories import moderator
from commonroom.notifications.models import Notification
from commonroom.organisations.models import Organisation, TrainingOffer
from commonroom.organisations.tests.factories import offer, organisation

pytestmark = pytest.mark.django_db


def _member(**kwargs: Any) -> Member:
    return cast(Member, account_factories.MemberFactory(**kwargs))


def _signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _report(target: Any, reporter: Member) -> Report:
    return report_file(target=target, reporter=reporter, reason="spam", text="An advert.")


def test_r21_the_organisation_page_shows_the_report_link_to_others_not_its_administrators():
    admin = _member()
    org = organisation(admin=admin)
    link = reverse("moderation:content_report_new", args=["organisation", org.pk])

    assert link in _signed_in(_member()).get(org.get_absolute_url()).content.decode()
    assert link in Client().get(org.get_absolute_url()).content.decode()
    assert link not in _signed_in(admin).get(org.get_absolute_url()).content.decode()


def test_r21_the_offer_page_shows_the_report_link_to_others_not_its_administrators():
    admin = _member()
    course = offer(organisation(admin=admin))
    link = reverse("moderation:content_report_new", args=["training_offer", course.pk])

    assert link in _signed_in(_member()).get(course.get_absolute_url()).content.decode()
    assert link not in _signed_in(admin).get(course.get_absolute_url()).content.decode()


@pytest.mark.parametrize("kind", ["organisation", "training_offer"])
def test_r21_a_report_from_the_page_reaches_the_one_queue(kind: str) -> None:
    org = organisation()
    target: Organisation | TrainingOffer = org if kind == "organisation" else offer(org)
    reporter = _member()

    response = _signed_in(reporter).post(
        reverse("moderation:content_report_new", args=[kind, target.pk]),
        {"reason": "off_topic", "text": "No link with education."},
    )

    assert (response.status_code, response["Location"]) == (302, target.get_absolute_url())
    report = Report.objects.on(target).get()
    assert (report.reporter, report.reason, report.status) == (reporter, "off_topic", "open")
    assert list(reports_for_moderators(kind=kind, status=Report.Status.OPEN)) == [report]
    queue = _signed_in(moderator()).get(reverse("moderation:content_reports"), {"kind": kind})
    assert [row.report for row in queue.context["rows"]] == [report]


def test_r21_r24_staff_acting_on_a_report_exclude_the_organisation() -> None:
    admin = _member()
    org = organisation(admin=admin)
    report = _report(org, _member())
    staff = cast(Member, account_factories.StaffFactory())

    report = report_act(report=report, by=staff, action=Report.Action.REMOVE, reason="Adverts.")

    org.refresh_from_db()
    assert (report.status, report.action_taken) == (Report.Status.ACTIONED, "remove")
    assert (org.state, org.excluded_reason) == (State.REMOVED, "Adverts.")
    assert org.excluded_at is not None
    assert Decision.objects.about(org).get().action == Decision.Action.REMOVE
    assert Organisation.objects.public().filter(pk=org.pk).count() == 0
    # Told once, by the exclusion, with the route to object.
    assert Notification.objects.filter(recipient=admin).count() == 1
    assert "objection" in Notification.objects.get(recipient=admin).body
    assert (
        AuditEntry.objects.filter(action="report_remove", target=f"organisation:{org.pk}").count()
        == 1
    )


def test_r24_a_moderator_who_is_not_staff_cannot_exclude_through_a_report() -> None:
    org = organisation()
    report = _report(org, _member())

    with pytest.raises(ValidationError) as refused:
        report_act(report=report, by=moderator(), action=Report.Action.HIDE, reason="Adverts.")

    assert refused.value.code == "not_allowed"
    org.refresh_from_db()
    report.refresh_from_db()
    assert (org.state, report.status) == (State.PUBLISHED, Report.Status.OPEN)
    assert not Decision.objects.about(org).exists()


def test_r24_the_refusal_shows_on_the_moderators_report_page() -> None:
    org = organisation()
    report = _report(org, _member())

    response = _signed_in(moderator()).post(
        reverse("moderation:content_report", args=[report.pk]),
        {"act": "1", "act-action": "hide", "act-reason": "Adverts."},
    )

    assert response.status_code == 400
    assert response.context["act_form"].non_field_errors() == [
        "Only staff can exclude an organisation; dismiss the report or ask staff."
    ]
    org.refresh_from_db()
    assert org.state == State.PUBLISHED


@pytest.mark.parametrize("action", [Report.Action.HIDE, Report.Action.REMOVE])
def test_r21_acting_on_a_report_withdraws_the_offer(action: str) -> None:
    admin = _member()
    org = organisation(admin=admin)
    course = offer(org, created_by=admin)
    reporter = _member()
    report = _report(course, reporter)

    report = report_act(report=report, by=moderator(), action=action, reason="Not a course.")

    course.refresh_from_db()
    assert (report.status, report.action_taken) == (Report.Status.ACTIONED, action)
    assert course.withdrawn_at is not None
    assert course.withdrawn_reason == "Not a course."
    assert TrainingOffer.objects.public().filter(pk=course.pk).count() == 0
    assert Client().get(course.get_absolute_url()).status_code == 404
    assert _signed_in(reporter).get(course.get_absolute_url()).status_code == 404
    # Its administrators still see it, withdrawn, with the reason.
    page = _signed_in(admin).get(course.get_absolute_url()).content.decode()
    assert "Moderators withdrew this offer after a report: Not a course." in page
    assert Notification.objects.filter(recipient=admin).count() == 1
    assert (
        AuditEntry.objects.filter(
            action="training_offer_withdraw", target=f"training_offer:{course.pk}"
        ).count()
        == 1
    )


def test_r21_a_withdrawn_offer_stays_withdrawn_when_its_administrator_edits_it() -> None:
    from commonroom.organisations import offer_services

    admin = _member()
    org = organisation(admin=admin)
    course = offer(org, created_by=admin)
    report_act(
        report=_report(course, _member()),
        by=moderator(),
        action=Report.Action.HIDE,
        reason="Not a course.",
    )
    course.refresh_from_db()

    offer_services.offer_save(
        organisation=org,
        by=admin,
        offer=course,
        themes=list(course.themes.all()),
        provinces=list(course.provinces.all()),
        is_active=True,
        title="Coaching STEM, again",
    )

    course.refresh_from_db()
    assert (course.title, course.is_active) == ("Coaching STEM, again", True)
    assert course.withdrawn_at is not None
    assert TrainingOffer.objects.public().filter(pk=course.pk).count() == 0


def test_r21_another_administrator_cannot_decide_on_a_report_about_their_offer() -> None:
    from commonroom.moderation.permissions import OwnWorkRefused

    writer = _member()
    org = organisation(admin=writer)
    course = offer(org, created_by=writer)
    fellow = moderator()
    org.administrators.create(member=fellow, added_by=writer)
    report = _report(course, _member())

    with pytest.raises(OwnWorkRefused):
        report_act(report=report, by=fellow, action=Report.Action.HIDE, reason="Mine.")

    course.refresh_from_db()
    assert course.withdrawn_at is None
