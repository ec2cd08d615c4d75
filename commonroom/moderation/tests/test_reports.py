"""The transparency report (R30): exact counts from a fixed set of rows, and
the CSV download saying the same as the page."""

import csv
import io
import re
from datetime import date, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation.models import AuditEntry, Decision, Notice, Objection, Report
from commonroom.moderation.selectors import last_full_quarter, transparency_report
from commonroom.resources.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

Q1_START, Q1_END = date(2025, 1, 1), date(2025, 3, 31)


def at(moment: str) -> datetime:
    """A wall-clock time in the platform's zone (Europe/Brussels)."""
    return timezone.make_aware(datetime.fromisoformat(moment))


@pytest.fixture
def rows():
    r1, r2, r3, r4 = (ResourceFactory() for _ in range(4))
    entries = [
        # r1: two submissions, each decided: 24 h and 12 h
        (r1, "resource_submit", "2025-01-10 09:00", []),
        (r1, "decision_reject", "2025-01-11 09:00", ["pupil-privacy", "relevant"]),
        (r1, "resource_submit", "2025-01-20 09:00", []),
        (r1, "decision_publish", "2025-01-20 21:00", []),
        # r2: submitted before the period, decided in it: 72 h; then an edit published,
        # which is not timed from the old submission; then edited, stripped, removed
        (r2, "resource_submit", "2024-12-30 12:00", []),
        (r2, "decision_request_changes", "2025-01-02 12:00", ["metadata"]),
        (r2, "decision_publish", "2025-02-01 10:00", []),
        (r2, "decision_edit", "2025-02-10 10:00", []),
        (r2, "decision_remove", "2025-03-15 10:00", ["relevant"]),
        (r2, "decision_remove_file", "2025-03-16 10:00", ["files-safe"]),
        # r3: submitted in the period, decided after it
        (r3, "resource_submit", "2025-03-31 20:00", []),
        (r3, "decision_publish", "2025-04-01 08:00", []),
        # r4: the edges of the period, in local time
        (r4, "decision_reject", "2024-12-31 23:30", ["relevant"]),
        (r4, "decision_reject", "2025-03-31 23:30", []),
        (r4, "notice_restore", "2025-02-05 10:00", []),
        (r4, "notice_remove", "2025-02-06 10:00", []),
        (r4, "notice_remove", "2025-04-02 10:00", []),
        (r4, "objection_uphold", "2025-02-07 10:00", []),
        (r4, "objection_overturn", "2025-02-08 10:00", []),
        (r4, "objection_overturn", "2025-02-09 10:00", []),
        (r4, "objection_uphold", "2024-12-15 10:00", []),
        (r4, "report_file", "2025-02-09 10:00", []),
    ]
    AuditEntry.objects.bulk_create(
        AuditEntry(
            subject=resource,
            action=action,
            created_at=at(moment),
            criteria=slugs,
            target=f"resource:{resource.pk}",
        )
        for resource, action, moment, slugs in entries
    )
    for moment in ("2025-01-05 10:00", "2025-03-31 23:59", "2025-04-01 00:00"):
        Notice.objects.create(
            target=r4,
            name="A",
            email="a@example.org",
            work="W",
            reasons="R",
            good_faith=True,
            created_at=at(moment),
        )
    reporter = MemberFactory()
    for reason, moment in [
        ("spam", "2025-01-15 10:00"),
        ("spam", "2025-01-16 10:00"),
        ("harmful", "2025-02-20 10:00"),
        ("spam", "2024-12-31 23:59"),
    ]:
        Report.objects.create(
            content_type=ContentType.objects.get_for_model(r4),
            object_id=r4.pk,
            reporter=reporter,
            reason=reason,
            created_at=at(moment),
        )
    for moment in ("2025-01-12 10:00", "2025-03-01 10:00", "2025-04-01 10:00"):
        decision = Decision.objects.create(target=r1, action="reject")
        Objection.objects.create(
            decision=decision, author=r1.author, text="No.", created_at=at(moment)
        )


def test_r30_the_transparency_report_counts_the_period_exactly(rows):
    report = transparency_report(Q1_START, Q1_END)
    assert (report.start, report.end) == (Q1_START, Q1_END)
    assert (report.notices_received, report.notices_restored, report.notices_removed) == (2, 1, 1)
    assert report.reports_received == 3
    assert report.reports_by_reason == {
        "illegal": 0,
        "harmful": 1,
        "privacy": 0,
        "malware": 0,
        "infringement": 0,
        "spam": 2,
        "off_topic": 0,
        "impersonation": 0,
    }
    assert report.decisions_by_action == {
        "publish": 2,
        "request_changes": 1,
        "reject": 2,
        "remove": 1,
        "edit": 1,
        "remove_file": 1,
    }
    assert report.decisions_by_criterion == {
        "relevant": 2,
        "metadata": 1,
        "licence": 0,
        "pupil-privacy": 1,
        "no-advertising": 0,
        "legal-respectful": 0,
        "files-safe": 1,
        "language": 0,
    }
    assert (report.median_hours_to_decision, report.decisions_timed) == (24.0, 3)
    assert (report.objections_filed, report.objections_upheld, report.objections_overturned) == (
        2,
        1,
        2,
    )


def test_r30_an_empty_period_counts_zero_and_has_no_median(rows):
    report = transparency_report(date(2023, 1, 1), date(2023, 3, 31))
    values = {m.key: m.value for m in report.metrics()}
    assert values.pop("median_hours_to_decision") is None
    assert set(values.values()) == {0}


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2025, 5, 10), (date(2025, 1, 1), date(2025, 3, 31))),
        (date(2025, 1, 1), (date(2024, 10, 1), date(2024, 12, 31))),
        (date(2025, 12, 31), (date(2025, 7, 1), date(2025, 9, 30))),
        (date(2025, 4, 1), (date(2025, 1, 1), date(2025, 3, 31))),
    ],
)
def test_r30_the_default_period_is_the_last_full_quarter(today, quarter):
    assert last_full_quarter(today) == quarter


def test_r30_the_page_shows_the_last_full_quarter_by_default(staff_client, time_machine):
    time_machine.move_to(at("2025-05-10 12:00"), tick=False)
    response = staff_client.get("/moderation/transparency/")
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end) == (Q1_START, Q1_END)
    assert "From 1 January 2025 to 31 March 2025, both included." in response.content.decode()


def test_r30_the_csv_download_says_what_the_page_says(rows, staff_client):
    query = "start=2025-01-01&end=2025-03-31"
    page = staff_client.get(f"/moderation/transparency/?{query}").content.decode()
    response = staff_client.get(f"/moderation/transparency/?{query}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="transparency-2025-01-01-2025-03-31.csv"'
    )
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[:3] == [
        ["metric", "value"],
        ["period_start", "2025-01-01"],
        ["period_end", "2025-03-31"],
    ]
    from_csv = dict(table[3:])
    from_page = dict(
        re.findall(
            r'<tr id="metric-([\w-]+)"><th scope="row">[^<]*</th>'
            r'<td class="metric-value">([^<]*)</td></tr>',
            page,
        )
    )
    assert from_csv == from_page
    # 31 + received/open/acted/dismissed for 9 kinds (the test-only Note, the
    # staffroom's posts, organisations and training offers among them) and the total
    assert len(from_csv) == 71
    assert from_csv["reports_resource_received"] == "3"
    assert from_csv["notices_received"] == "2"
    assert from_csv["reports_spam"] == "2"
    assert from_csv["decisions_reject"] == "2"
    assert from_csv["criterion_relevant"] == "2"
    assert from_csv["median_hours_to_decision"] == "24.0"
    assert from_csv["objections_overturned"] == "2"


def test_r30_a_reversed_period_is_refused(staff_client):
    response = staff_client.get("/moderation/transparency/?start=2025-03-31&end=2025-01-01")
    assert response.status_code == 400
    assert "The end date must not be before the start date." in response.content.decode()
