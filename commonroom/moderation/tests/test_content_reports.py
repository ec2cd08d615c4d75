"""R21: members report profiles (and, as apps register them, other content);
moderators hide, remove, warn or suspend, each action audited."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from commonroom.accounts.models import Member, Profile, ProfileVisibility, Suspension
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation import personal_data
from commonroom.moderation.models import AuditEntry, Report
from commonroom.moderation.report_registry import Reportable, reportables
from commonroom.moderation.report_services import report_act, report_file
from commonroom.moderation.tests.factories import moderator
from commonroom.notifications.models import Notification
from commonroom.people.tests.factories import person

pytestmark = pytest.mark.django_db


def signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def impostor() -> Member:
    return person(
        first_name="Klasse",
        last_name="Official",
        visibility=ProfileVisibility.PUBLIC,
        bio="The official account of Klasse.",
        school="Klasse",
    )


@pytest.fixture
def report(impostor, member) -> Report:
    return report_file(
        target=impostor, reporter=member, reason="impersonation", text="Not the real Klasse."
    )


def test_r21_the_profile_kind_is_found_in_the_people_app():
    found = reportables()
    assert isinstance(found["profile"], Reportable)
    assert found["profile"].model is Member


def test_r21_a_member_reports_a_profile_for_impersonation(member, member_client, impostor):
    url = f"/moderation/report/profile/{impostor.pk}/"
    page = member_client.get(url)
    assert page.status_code == 200
    assert "Impersonates someone" in page.content.decode()
    response = member_client.post(url, {"reason": "impersonation", "text": "Not the real one."})
    assert response.status_code == 302
    assert response["Location"] == f"/people/{impostor.pk}/"
    report = Report.objects.get()
    assert (report.content_type.model_class(), report.object_id) == (Member, impostor.pk)
    assert (report.reporter, report.reason, report.text, report.status) == (
        member,
        "impersonation",
        "Not the real one.",
        "open",
    )
    entry = AuditEntry.objects.get(action="report_file")
    assert entry.target == f"profile:{impostor.pk}"


def test_r21_reporting_the_same_profile_twice_files_one_report(member, impostor):
    first = report_file(target=impostor, reporter=member, reason="spam")
    again = report_file(target=impostor, reporter=member, reason="harmful")
    assert first.pk == again.pk
    assert Report.objects.count() == 1


def test_r21_reports_are_rate_limited(member, member_client, settings):
    settings.POST_RATE_LIMITS = {**settings.POST_RATE_LIMITS, "report": "2/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = {**settings.NEW_ACCOUNT_RATE_LIMITS, "report": "2/h"}
    targets = [person() for _ in range(3)]
    codes = [
        member_client.post(f"/moderation/report/profile/{t.pk}/", {"reason": "spam"}).status_code
        for t in targets
    ]
    assert codes == [302, 302, 429]
    assert Report.objects.count() == 2


def test_r21_what_a_member_cannot_see_cannot_be_reported(member_client, client):
    hidden = person(visibility=ProfileVisibility.HIDDEN)
    assert member_client.get(f"/moderation/report/profile/{hidden.pk}/").status_code == 404
    response = member_client.post(f"/moderation/report/profile/{hidden.pk}/", {"reason": "spam"})
    assert response.status_code == 404
    assert member_client.get("/moderation/report/no-such-kind/1/").status_code == 404
    assert member_client.get("/moderation/report/profile/999999/").status_code == 404
    # Visitors may report (§2.4, issue 13 item 6), but not what they cannot see.
    assert client.get(f"/moderation/report/profile/{hidden.pk}/").status_code == 404
    assert not Report.objects.exists()


def test_r21_moderators_see_the_report_in_their_list_filtered_by_kind_and_status(report):
    client = signed_in(moderator())
    html = client.get("/moderation/content-reports/").content.decode()
    assert f'href="/moderation/content-reports/{report.pk}/"' in html
    assert "Impersonates someone" in html
    assert "The official account of Klasse." in html
    html = client.get("/moderation/content-reports/?kind=profile&status=dismissed").content.decode()
    assert f"/moderation/content-reports/{report.pk}/" not in html
    detail = client.get(f"/moderation/content-reports/{report.pk}/").content.decode()
    assert "Not the real Klasse." in detail
    assert 'value="suspend"' not in detail  # suspending is for staff


def test_r21_a_moderator_hides_the_profile_with_an_audit_row(report, impostor, member_client):
    second = report_file(target=impostor, reporter=MemberFactory(), reason="spam")
    mod = moderator()
    response = signed_in(mod).post(
        f"/moderation/content-reports/{report.pk}/",
        {"act-action": "hide", "act-reason": "Pretends to be Klasse.", "act": "1"},
    )
    assert response.status_code == 302
    assert Profile.objects.get(member=impostor).visibility == ProfileVisibility.HIDDEN
    report.refresh_from_db()
    assert (report.status, report.action_taken, report.handled_by) == ("actioned", "hide", mod)
    assert report.decision_reason == "Pretends to be Klasse."
    second.refresh_from_db()
    assert (second.status, second.action_taken) == ("actioned", "hide")
    entry = AuditEntry.objects.get(action="report_hide")
    assert (entry.actor, entry.target, entry.reason) == (
        mod,
        f"profile:{impostor.pk}",
        "Pretends to be Klasse.",
    )
    assert (entry.from_state, entry.to_state) == ("open", "actioned")
    told = Notification.objects.get(recipient=impostor)
    assert told.kind == "moderation_decision"
    assert "Pretends to be Klasse." in told.body
    assert member_client.get(f"/people/{impostor.pk}/").status_code == 404
    assert f"/people/{impostor.pk}/" not in member_client.get("/people/").content.decode()


def test_r21_remove_clears_photo_and_about_me_and_keeps_the_account(
    report, impostor, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    profile = Profile.objects.get(member=impostor)
    profile.photo.save("photo.jpg", ContentFile(b"not really a jpeg"), save=True)
    photo_path = profile.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        report_act(report=report, by=moderator(), action="remove", reason="Offensive")
    profile.refresh_from_db()
    impostor.refresh_from_db()
    assert (profile.photo.name, profile.bio) == ("", "")
    assert profile.school == "Klasse"
    assert impostor.is_active
    assert not tmp_path.joinpath(photo_path).exists()
    assert AuditEntry.objects.filter(action="report_remove").count() == 1


def test_r21_warn_tells_the_author_the_reason_and_changes_nothing_else(report, impostor):
    report_act(report=report, by=moderator(), action="warn", reason="Use your own name.")
    told = Notification.objects.get(recipient=impostor)
    assert told.title == "A warning from the moderators"
    assert told.body == "Profile: Use your own name."
    assert Profile.objects.get(member=impostor).visibility == ProfileVisibility.PUBLIC
    assert AuditEntry.objects.filter(action="report_warn").count() == 1


def test_r21_staff_suspend_the_author_from_a_report(report, impostor, staff, staff_client):
    until = timezone.localtime() + timedelta(days=14)
    response = staff_client.post(
        f"/moderation/content-reports/{report.pk}/",
        {
            "act-action": "suspend",
            "act-reason": "Impersonation of an organisation.",
            "act-ends_at": until.strftime("%Y-%m-%dT%H:%M"),
            "act": "1",
        },
    )
    assert response.status_code == 302
    suspension = Suspension.objects.active().get(member=impostor)
    assert suspension.reason == "Impersonation of an organisation."
    assert suspension.suspended_by == staff
    assert suspension.ends_at is not None
    assert abs(suspension.ends_at - until) < timedelta(minutes=1)
    report.refresh_from_db()
    assert (report.status, report.action_taken) == ("actioned", "suspend")
    assert AuditEntry.objects.get(action="report_suspend").target == (f"profile:{impostor.pk}")


def test_r21_a_moderator_who_is_not_staff_cannot_suspend(report, impostor):
    response = signed_in(moderator()).post(
        f"/moderation/content-reports/{report.pk}/",
        {"act-action": "suspend", "act-reason": "x", "act-permanent": "on", "act": "1"},
    )
    assert response.status_code == 400
    assert not Suspension.objects.filter(member=impostor).exists()
    report.refresh_from_db()
    assert report.status == "open"
    assert not AuditEntry.objects.exclude(action="report_file").exists()


def test_r21_dismissing_closes_the_reports_and_leaves_the_profile(report, impostor):
    mod = moderator()
    response = signed_in(mod).post(
        f"/moderation/content-reports/{report.pk}/",
        {"dismiss-reason": "This is the real Klasse.", "dismiss": "1"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.action_taken, report.handled_by) == ("dismissed", "", mod)
    assert Profile.objects.get(member=impostor).visibility == ProfileVisibility.PUBLIC
    assert AuditEntry.objects.get(action="report_dismiss").target == (f"profile:{impostor.pk}")
    # A handled report cannot be acted on again.
    again = signed_in(mod).post(
        f"/moderation/content-reports/{report.pk}/",
        {"act-action": "hide", "act-reason": "x", "act": "1"},
    )
    assert again.status_code == 400
    assert Profile.objects.get(member=impostor).visibility == ProfileVisibility.PUBLIC


@pytest.mark.parametrize("who", ["member", "reporter", "author"])
def test_r21_forged_posts_by_non_moderators_get_403_and_change_nothing(
    who, report, impostor, member
):
    client = signed_in({"member": MemberFactory(), "reporter": member, "author": impostor}[who])
    for data in (
        {"act-action": "hide", "act-reason": "x", "act": "1"},
        {"act-action": "suspend", "act-reason": "x", "act-permanent": "on", "act": "1"},
        {"dismiss-reason": "x", "dismiss": "1"},
    ):
        response = client.post(f"/moderation/content-reports/{report.pk}/", data)
        assert response.status_code == 403
    assert client.get("/moderation/content-reports/").status_code == 403
    report.refresh_from_db()
    assert (report.status, report.handled_by) == ("open", None)
    assert Profile.objects.get(member=impostor).visibility == ProfileVisibility.PUBLIC
    assert not Suspension.objects.filter(member=impostor).exists()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["report_file"]


def test_r21_a_reason_is_required_to_act(report, impostor):
    response = signed_in(moderator()).post(
        f"/moderation/content-reports/{report.pk}/",
        {"act-action": "hide", "act-reason": "", "act": "1"},
    )
    assert response.status_code == 400
    assert Profile.objects.get(member=impostor).visibility == ProfileVisibility.PUBLIC


def test_r21_an_erased_reporter_is_unlinked_from_their_reports(report, member):
    assert [r["kind"] for r in personal_data.export(member)["reports_filed"]] == ["profile"]
    personal_data.erase(member)
    report.refresh_from_db()
    assert report.reporter is None
    assert personal_data.export(MemberFactory())["reports_filed"] == []
