"""The moderation pages: who may open them, and each use case end to end
through the web (R21, R26 to R30)."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.moderation import appeals, services
from commonroom.moderation.models import (
    AuditEntry,
    Decision,
    Notice,
    Objection,
    Report,
    Review,
)
from commonroom.moderation.notifications import MODERATION_DECISION, OBJECTION_DECISION
from commonroom.moderation.notifications import NOTICE as NOTICE_KIND
from commonroom.moderation.report_services import report_file
from commonroom.moderation.tests.factories import ReviewFactory, criteria, moderator
from commonroom.notifications.models import Notification
from commonroom.resources import services as resource_services
from commonroom.resources.models import FileState, Resource, ResourceFile, Revision, State
from commonroom.resources.tests.factories import (
    ResourceFactory,
    ResourceFileFactory,
    published_resource,
)
from commonroom.taxonomy.models import EducationLevel, Language, ResourceKind, Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod():
    return moderator(language="en")


@pytest.fixture
def mod_client(mod) -> Client:
    client = Client()
    client.force_login(mod)
    return client


@pytest.fixture
def author():
    return MemberFactory(language="en")


@pytest.fixture
def author_client(author) -> Client:
    client = Client()
    client.force_login(author)
    return client


def login(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


# --- who may do what -------------------------------------------------------------------------


@pytest.fixture
def world(mod, author):
    """One of everything a moderation page acts on."""
    submission = ReviewFactory(resource__author=author)
    file = ResourceFileFactory(resource=submission.target)
    reported = published_resource(author=author)
    report = report_file(
        target=reported, reporter=MemberFactory(), reason="spam", text="Sells a course."
    )
    refused = ReviewFactory(resource__author=author)
    decision = services.review_decide(review=refused, by=mod, action="reject", reason="Off-topic.")
    objection = appeals.objection_file(decision=decision, by=author, text="It is on-topic.")
    notice = appeals.notice_file(
        item=published_resource(author=author),
        name="Ann Owner",
        email="ann@owner.example",
        work="My book.",
        reasons="Chapter 2 copied.",
        good_faith=True,
    )
    return {
        "submission": submission,
        "file": file,
        "report_review": report.review,
        "objection": objection,
        "notice": notice,
        "resource": submission.target,
    }


def moderator_urls(w) -> list[str]:
    return [
        "/moderation/",
        f"/moderation/reviews/{w['submission'].pk}/",
        f"/moderation/reviews/{w['report_review'].pk}/",
        f"/moderation/resources/{w['resource'].pk}/edit/",
        f"/moderation/resources/{w['resource'].pk}/remove/",
        f"/moderation/files/{w['file'].pk}/remove/",
        "/moderation/dashboard/",
    ]


def staff_urls(w) -> list[str]:
    return [
        "/moderation/objections/",
        f"/moderation/objections/{w['objection'].pk}/",
        "/moderation/notices/",
        f"/moderation/notices/{w['notice'].pk}/",
        "/moderation/transparency/",
        "/moderation/transparency/?format=csv",
        "/moderation/audit/",
    ]


@pytest.mark.parametrize(
    ("role", "moderator_answer", "staff_answer"),
    [("visitor", 302, 302), ("member", 403, 403), ("moderator", 200, 403), ("staff", 200, 200)],
)
def test_r26_every_moderation_page_answers_each_role(world, role, moderator_answer, staff_answer):
    client = Client()
    if role != "visitor":
        client.force_login(
            {"member": MemberFactory, "moderator": moderator, "staff": StaffFactory}[role]()
        )
    answers = {
        url: client.get(url).status_code for url in moderator_urls(world) + staff_urls(world)
    }
    expected = {url: moderator_answer for url in moderator_urls(world)}
    expected |= {url: staff_answer for url in staff_urls(world)}
    assert answers == expected


def db_state() -> dict:
    return {
        "resources": list(Resource.objects.order_by("pk").values_list("pk", "state", "title")),
        "reviews": list(Review.objects.order_by("pk").values_list("pk", "claimed_by", "closed_at")),
        "files": list(ResourceFile.objects.order_by("pk").values_list("pk", "state")),
        "decisions": Decision.objects.count(),
        "objections": list(Objection.objects.values_list("pk", "status")),
        "notices": list(Notice.objects.values_list("pk", "status")),
        "reports": list(Report.objects.values_list("pk", "status")),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


def forged_moderator_posts(w) -> list[tuple[str, dict]]:
    resource = w["resource"]
    return [
        ("/moderation/", {"claim": w["submission"].pk}),
        ("/moderation/", {"release": w["submission"].pk}),
        (
            f"/moderation/reviews/{w['submission'].pk}/",
            {"decide": "1", "decision-action": "publish", "decision-reason": ""},
        ),
        (
            f"/moderation/reviews/{w['report_review'].pk}/",
            {"uphold": "1", "report-reason": "Spam."},
        ),
        (
            f"/moderation/reviews/{w['report_review'].pk}/",
            {"dismiss": "1", "report-reason": "Fine."},
        ),
        (
            f"/moderation/resources/{resource.pk}/edit/",
            {
                "title": "Hijacked",
                "description": "x",
                "kind": resource.kind_id,
                "language": resource.language_id,
                "subjects": [s.pk for s in resource.subjects.all()],
                "levels": [lv.pk for lv in resource.levels.all()],
                "keywords": "",
                "reason": "x",
            },
        ),
        (f"/moderation/resources/{resource.pk}/remove/", {"reason": "Gone."}),
        (f"/moderation/files/{w['file'].pk}/remove/", {"reason": "Gone."}),
    ]


def forged_staff_posts(w) -> list[tuple[str, dict]]:
    return [
        (f"/moderation/objections/{w['objection'].pk}/", {"outcome": "overturn", "reason": "Ok."}),
        (f"/moderation/notices/{w['notice'].pk}/", {"outcome": "restore", "reason": "Ok."}),
    ]


def test_r26_forged_posts_by_a_member_are_refused_and_change_nothing(world, member_client):
    before = db_state()
    for url, data in forged_moderator_posts(world) + forged_staff_posts(world):
        assert member_client.post(url, data).status_code == 403, url
    assert db_state() == before


def test_r28_forged_staff_posts_by_a_moderator_are_refused_and_change_nothing(world, mod_client):
    before = db_state()
    for url, data in forged_staff_posts(world):
        assert mod_client.post(url, data).status_code == 403, url
    assert db_state() == before


def test_r28_only_the_author_reaches_the_objection_form(world, mod_client, member_client):
    url = f"/moderation/decisions/{world['objection'].decision_id}/object/"
    before = db_state()
    assert member_client.get(url).status_code == 404
    assert member_client.post(url, {"text": "Me too."}).status_code == 404
    assert mod_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert db_state() == before


# --- the queue ---------------------------------------------------------------------------------


def queue_pks(client: Client, query: str = "") -> list[int]:
    response = client.get(f"/moderation/{query}")
    assert response.status_code == 200
    return [review.pk for review in response.context["page"].object_list]


def test_r26_the_queue_lists_open_items_oldest_first_and_filters_them(mod_client):
    now = timezone.now()
    old = ReviewFactory(opened_at=now - timedelta(days=10))
    edit = ReviewFactory(
        kind=Review.Kind.REVISION,
        opened_at=now - timedelta(days=2),
        resource__kind=ResourceKind.objects.get(slug="presentation"),
        resource__subjects=["english"],
        resource__levels=["secondary"],
    )
    reported = ReviewFactory(kind=Review.Kind.REPORT, opened_at=now - timedelta(days=5))
    ReviewFactory(opened_at=now - timedelta(days=20), closed_at=now)  # decided: not in the queue
    maths = Subject.objects.get(slug="mathematics").pk
    secondary = EducationLevel.objects.get(slug="secondary").pk
    presentation = ResourceKind.objects.get(slug="presentation").pk

    assert queue_pks(mod_client) == [old.pk, reported.pk, edit.pk]
    assert queue_pks(mod_client, "?kind=revision") == [edit.pk]
    assert queue_pks(mod_client, "?kind=report") == [reported.pk]
    assert queue_pks(mod_client, f"?resource_kind={presentation}") == [edit.pk]
    assert queue_pks(mod_client, f"?subject={maths}") == [old.pk, reported.pk]
    assert queue_pks(mod_client, f"?level={secondary}") == [edit.pk]
    assert queue_pks(mod_client, "?older_than=4") == [old.pk, reported.pk]
    assert queue_pks(mod_client, f"?older_than=4&kind=submission&subject={maths}") == [old.pk]


def test_r26_a_wrong_filter_is_shown_and_the_others_still_apply(mod_client):
    ReviewFactory()
    edit = ReviewFactory(kind=Review.Kind.REVISION)
    response = mod_client.get("/moderation/?kind=revision&subject=999999")
    assert [r.pk for r in response.context["page"].object_list] == [edit.pk]
    assert "Select a valid choice." in response.content.decode()


def test_r26_the_queue_shows_who_claimed_what(mod_client, mod):
    other = moderator(first_name="Olga", last_name="Other")
    ReviewFactory(claimed_by=other, claimed_at=timezone.now(), resource__title="Taken one")
    ReviewFactory(resource__title="Free one")
    content = mod_client.get("/moderation/").content.decode()
    assert "Olga Other" in content
    assert content.count('name="claim"') == 1
    assert content.count('name="release"') == 1


def test_r26_the_queue_runs_a_fixed_number_of_queries(mod_client, mod):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert mod_client.get("/moderation/?page=1").status_code == 200
        return len(context.captured_queries)

    def add(n: int) -> None:
        for i in range(n):
            ReviewFactory(
                claimed_by=mod if i % 2 else None,
                kind=Review.Kind.REPORT if i % 3 == 0 else Review.Kind.SUBMISSION,
            )

    add(3)
    count_queries()  # the first request of a session also warms caches
    with_three = count_queries()
    add(27)
    assert count_queries() == with_three
    assert with_three <= 16


def test_r26_the_queue_pages_by_fifty(mod_client):
    for _ in range(51):
        ReviewFactory()
    first = mod_client.get("/moderation/")
    assert len(first.context["page"].object_list) == 50
    second = mod_client.get("/moderation/?page=2")
    assert len(second.context["page"].object_list) == 1


def test_r26_claim_takes_an_item_and_release_gives_it_back(mod_client, mod):
    review = ReviewFactory()
    response = mod_client.post("/moderation/", {"claim": review.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/moderation/reviews/{review.pk}/"
    review.refresh_from_db()
    review.target.refresh_from_db()
    assert (review.claimed_by, review.target.state) == (mod, State.IN_REVIEW)

    assert mod_client.post("/moderation/", {"release": review.pk})["Location"] == "/moderation/"
    review.refresh_from_db()
    review.target.refresh_from_db()
    assert (review.claimed_by, review.target.state) == (None, State.SUBMITTED)


def test_r26_an_item_claimed_by_another_moderator_cannot_be_claimed(mod_client):
    other = moderator(first_name="Olga", last_name="Other")
    review = ReviewFactory(claimed_by=other)
    response = mod_client.post("/moderation/", {"claim": review.pk}, follow=True)
    assert "Olga Other is already reviewing this item." in response.content.decode()
    review.refresh_from_db()
    assert review.claimed_by == other


# --- the review page ---------------------------------------------------------------------------


def test_r26_the_review_page_shows_the_resource_files_and_checklist(mod_client):
    review = ReviewFactory(
        resource__title="Fractions with pizza", resource__external_url="https://maths.example/pizza"
    )
    file = ResourceFileFactory(resource=review.target, name="pizza.pdf")
    response = mod_client.get(f"/moderation/reviews/{review.pk}/")
    content = response.content.decode()
    assert "Fractions with pizza" in content
    assert f'href="{file.get_absolute_url()}"' in content
    assert "https://maths.example/pizza" in content
    assert "Share the pizza fairly." in content  # the text, rendered
    assert "No personal data of pupils" in content
    assert "No names, photos, grades or other data of identifiable pupils." in content
    assert f"/moderation/resources/{review.object_id}/edit/?review={review.pk}" in content
    assert f"/moderation/files/{file.pk}/remove/?review={review.pk}" in content
    assert mod_client.get(file.get_absolute_url()).status_code == 200


def test_r15_a_revision_review_shows_the_pending_changes_field_by_field(mod_client, author, mod):
    resource = published_resource(author=author, title="Old title", keywords=["pizza"])
    resource_services.resource_update(
        resource=resource,
        by=author,
        fields={
            "title": "New title",
            "keywords": ["pizza", "fractions"],
            "levels": EducationLevel.objects.filter(slug="secondary"),
        },
    )
    review = Review.objects.get(resource=resource, kind=Review.Kind.REVISION)
    response = mod_client.get(f"/moderation/reviews/{review.pk}/")
    changes = {c.name: (c.current, c.proposed) for c in response.context["changes"]}
    secondary = EducationLevel.objects.get(slug="secondary").label
    primary = EducationLevel.objects.get(slug="primary").label
    assert changes == {
        "title": ("Old title", "New title"),
        "keywords": ("pizza", "pizza, fractions"),
        "levels": (primary, secondary),
    }
    assert "<ins>New title</ins>" in response.content.decode()

    mod_client.post(
        f"/moderation/reviews/{review.pk}/", {"decide": "1", "decision-action": "publish"}
    )
    resource.refresh_from_db()
    assert (resource.title, resource.state) == ("New title", State.PUBLISHED)
    assert resource.revisions.get(pk=review.change_id).status == Revision.Status.APPLIED


def test_r28_reject_with_two_criteria_object_and_overturn(
    author, author_client, mod_client, staff_client
):
    review = ReviewFactory(resource__author=author, resource__title="Volcano quiz")
    relevant, privacy = criteria("relevant", "pupil-privacy")
    response = mod_client.post(
        f"/moderation/reviews/{review.pk}/",
        {
            "decide": "1",
            "decision-action": "reject",
            "decision-criteria": [relevant.pk, privacy.pk],
            "decision-reason": "Page 3 shows pupils' names.",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get(pk=review.object_id)
    assert resource.state == State.REJECTED
    decision = Decision.objects.get(resource=resource)
    assert set(decision.criteria.all()) == {relevant, privacy}
    notification = Notification.objects.get(recipient=author)
    assert notification.kind == MODERATION_DECISION
    assert notification.title == "“Volcano quiz” was not published"
    assert "- Relevant to education\n- No personal data of pupils\n" in notification.body
    assert "Page 3 shows pupils' names." in notification.body
    assert f"/moderation/decisions/{decision.pk}/object/" in notification.body

    page = author_client.get(f"/moderation/decisions/{decision.pk}/object/").content.decode()
    assert "Relevant to education" in page
    assert "No personal data of pupils" in page
    assert "Page 3 shows pupils&#x27; names." in page
    response = author_client.post(
        f"/moderation/decisions/{decision.pk}/object/", {"text": "The names are invented."}
    )
    assert response.status_code == 302
    objection = Objection.objects.get(decision=decision)
    resource.refresh_from_db()
    assert (objection.status, objection.text, resource.state) == (
        Objection.Status.FILED,
        "The names are invented.",
        State.OBJECTION_FILED,
    )
    again = author_client.post(f"/moderation/decisions/{decision.pk}/object/", {"text": "Again."})
    assert again.status_code == 400
    assert "You have already objected to this decision." in again.content.decode()
    assert Objection.objects.count() == 1

    listing = staff_client.get("/moderation/objections/").content.decode()
    assert f'href="/moderation/objections/{objection.pk}/"' in listing
    response = staff_client.post(
        f"/moderation/objections/{objection.pk}/",
        {"outcome": "overturn", "reason": "The names are fictional."},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    objection.refresh_from_db()
    assert (resource.state, objection.status) == (State.PUBLISHED, Objection.Status.OVERTURNED)
    told = Notification.objects.filter(recipient=author).order_by("-pk").first()
    assert told.kind == OBJECTION_DECISION
    assert told.body == "The names are fictional."


def test_r28_staff_uphold_keeps_the_refusal(author, mod):
    review = ReviewFactory(resource__author=author)
    decision = services.review_decide(review=review, by=mod, action="reject", reason="No.")
    objection = appeals.objection_file(decision=decision, by=author, text="Yes.")
    login(StaffFactory()).post(
        f"/moderation/objections/{objection.pk}/",
        {"outcome": "uphold", "reason": "Still off-topic."},
    )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD
    assert Resource.objects.get(pk=review.object_id).state == State.REJECTED


def test_r28_a_refusal_without_criteria_or_reason_is_refused_in_the_form(mod_client):
    review = ReviewFactory()
    response = mod_client.post(
        f"/moderation/reviews/{review.pk}/",
        {"decide": "1", "decision-action": "reject", "decision-reason": " "},
    )
    assert response.status_code == 400
    assert "Tick the criteria the resource does not meet, or write the reason." in (
        response.content.decode()
    )
    assert response.context["decision_form"]["action"].value() == "reject"
    assert Resource.objects.get(pk=review.object_id).state == State.SUBMITTED
    assert not Decision.objects.exists()


def test_r28_the_objection_form_shows_errors_and_keeps_the_text(author, author_client, mod):
    review = ReviewFactory(resource__author=author)
    decision = services.review_decide(review=review, by=mod, action="publish")
    response = author_client.get(f"/moderation/decisions/{decision.pk}/object/")
    assert "There is nothing to object to in this decision." in response.content.decode()
    response = author_client.post(
        f"/moderation/decisions/{decision.pk}/object/", {"text": "I object anyway."}
    )
    assert response.status_code == 400
    assert "There is nothing to object to." in response.content.decode()
    assert not Objection.objects.exists()


# --- reports (R21) -----------------------------------------------------------------------------


def test_r21_a_member_reports_and_a_moderator_dismisses(member, member_client, mod_client):
    resource = published_resource(title="Pizza sums")
    response = member_client.post(
        f"/moderation/reports/new/{resource.pk}/",
        {"reason": "spam", "text": "Links to a paid course."},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.text) == (
        member,
        "spam",
        "Links to a paid course.",
    )
    review = report.review
    assert (review.kind, review.closed_at) == (Review.Kind.REPORT, None)

    page = mod_client.get(f"/moderation/reviews/{review.pk}/").content.decode()
    assert "Spam or advertising" in page
    assert "Links to a paid course." in page
    assert member.display_name in page
    response = mod_client.post(
        f"/moderation/reviews/{review.pk}/", {"dismiss": "1", "report-reason": "The link is free."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    review.refresh_from_db()
    resource.refresh_from_db()
    assert report.status == Report.Status.DISMISSED
    assert review.closed_at is not None
    assert resource.state == State.PUBLISHED


def test_r21_an_upheld_report_removes_the_resource_with_reasons(member, mod_client):
    resource = published_resource(title="Pizza sums")
    report = report_file(target=resource, reporter=member, reason="harmful", text="Insults.")
    advertising = criteria("no-advertising")[0]
    response = mod_client.post(
        f"/moderation/reviews/{report.review_id}/",
        {
            "uphold": "1",
            "report-criteria": [advertising.pk],
            "report-reason": "Insulting text.",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    report.refresh_from_db()
    assert (resource.state, report.status) == (State.REMOVED, Report.Status.ACTIONED)
    decision = Decision.objects.get(resource=resource)
    assert (decision.action, list(decision.criteria.all())) == ("remove", [advertising])
    assert "No advertising" in Notification.objects.get(recipient=resource.author).body


def test_item6_a_visitor_report_without_an_address_is_refused(client):
    # §2.4: visitors may report (test_visitor_reports.py), but only with an address.
    resource = published_resource()
    response = client.post(f"/moderation/reports/new/{resource.pk}/", {"reason": "spam"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_r21_reports_are_rate_limited_per_member(member_client, settings):
    settings.REPORT_RATE_LIMIT = "2/h"
    # Three resources: a member's second report on the same resource while the
    # first is open files nothing new (one report system, issue 14).
    first, second, url = (f"/moderation/reports/new/{published_resource().pk}/" for _ in range(3))
    for earlier in (first, second):
        assert member_client.post(earlier, {"reason": "spam", "text": "Ads."}).status_code == 302
    response = member_client.post(url, {"reason": "spam", "text": "Ads again and again."})
    assert response.status_code == 429
    assert "Please wait an hour before sending another one." in response.content.decode()
    assert "Ads again and again." in response.content.decode()
    assert Report.objects.count() == 2
    assert login(MemberFactory()).post(url, {"reason": "spam"}).status_code == 302


# --- notices (R29) -----------------------------------------------------------------------------

NOTICE = {
    "name": "Ann Owner",
    "email": "ann@owner.example",
    "work": "My book 'Pizza maths', 2019.",
    "reasons": "Pages 4 to 9 are scanned from it.",
    "good_faith": "on",
}


def test_r29_a_visitor_notifies_and_the_files_go_offline_at_once(
    client, author, member, django_capture_on_commit_callbacks
):
    resource = published_resource(author=author, title="Pizza maths")
    file = ResourceFileFactory(resource=resource)
    reader = login(member)
    assert reader.get(file.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/moderation/notices/new/{resource.pk}/", NOTICE)
    assert response.status_code == 302
    assert response["Location"] == "/moderation/notices/sent/"
    resource.refresh_from_db()
    assert resource.state == State.REMOVED_PENDING
    assert reader.get(file.get_absolute_url()).status_code == 403

    notice = Notice.objects.get()
    assert (notice.name, notice.email, notice.filed_by, notice.status) == (
        "Ann Owner",
        "ann@owner.example",
        None,
        Notice.Status.OPEN,
    )
    entry = AuditEntry.objects.get(action="notice_file")
    assert (entry.actor, entry.to_state) == (None, State.REMOVED_PENDING)
    told = Notification.objects.get(recipient=author)
    assert told.kind == NOTICE_KIND
    assert "Pages 4 to 9 are scanned from it." in told.body
    assert "ann@owner.example" not in told.body
    assert [m.to for m in mail.outbox] == [[author.email], ["ann@owner.example"]]


def test_r29_a_notice_needs_the_good_faith_statement_and_keeps_the_text(client):
    resource = published_resource()
    response = client.post(f"/moderation/notices/new/{resource.pk}/", {**NOTICE, "good_faith": ""})
    assert response.status_code == 400
    assert "Confirm the good-faith statement." in response.content.decode()
    assert "Pages 4 to 9 are scanned from it." in response.content.decode()
    resource.refresh_from_db()
    assert resource.state == State.PUBLISHED
    assert not Notice.objects.exists()


def test_r29_notices_are_rate_limited_per_address(client, settings):
    settings.NOTICE_RATE_LIMIT = "2/h"
    resource = published_resource()
    url = f"/moderation/notices/new/{resource.pk}/"
    for _ in range(2):
        assert client.post(url, NOTICE, REMOTE_ADDR="10.1.2.3").status_code == 302
    response = client.post(
        url, {**NOTICE, "reasons": "A third, different text."}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 429
    content = response.content.decode()
    assert "Please wait an hour before sending another one." in content
    assert "A third, different text." in content
    assert Notice.objects.count() == 2
    assert client.post(url, NOTICE, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_r29_staff_restore_a_resource_after_a_notice(staff_client, author):
    resource = published_resource(author=author)
    notice = appeals.notice_file(
        item=resource, name="A", email="a@example.org", work="W", reasons="R", good_faith=True
    )
    assert (
        f'href="/moderation/notices/{notice.pk}/"'
        in staff_client.get("/moderation/notices/").content.decode()
    )
    response = staff_client.post(
        f"/moderation/notices/{notice.pk}/", {"outcome": "restore", "reason": "It is a citation."}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    notice.refresh_from_db()
    assert (resource.state, notice.status, notice.decision_reason) == (
        State.PUBLISHED,
        Notice.Status.RESTORED,
        "It is a citation.",
    )


def test_r29_a_notice_decision_needs_a_reason(staff_client):
    resource = published_resource()
    notice = appeals.notice_file(
        item=resource, name="A", email="a@example.org", work="W", reasons="R", good_faith=True
    )
    response = staff_client.post(
        f"/moderation/notices/{notice.pk}/", {"outcome": "remove", "reason": ""}
    )
    assert response.status_code == 400
    notice.refresh_from_db()
    assert notice.status == Notice.Status.OPEN


# --- metadata, files, removal (R27) ----------------------------------------------------------


def edit_data(resource: Resource, **changes) -> dict:
    return {
        "title": resource.title,
        "description": resource.description,
        "kind": resource.kind_id,
        "language": resource.language_id,
        "subjects": [s.pk for s in resource.subjects.all()],
        "levels": [lv.pk for lv in resource.levels.all()],
        "keywords": ", ".join(resource.keywords),
        "reason": "",
        **changes,
    }


def test_r27_a_moderator_corrects_metadata_with_a_reason(mod_client, author):
    resource = published_resource(author=author, title="Pizza")
    dutch = Language.objects.get(slug="nl")
    response = mod_client.post(
        f"/moderation/resources/{resource.pk}/edit/",
        edit_data(
            resource,
            title="Fractions with pizza",
            language=dutch.pk,
            reason="The title names the topic.",
        ),
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.language, resource.state) == (
        "Fractions with pizza",
        dutch,
        State.PUBLISHED,
    )
    assert Decision.objects.get(resource=resource).action == Decision.Action.EDIT
    told = Notification.objects.get(recipient=author)
    assert told.body == "Changed: language, title.\nReason: The title names the topic."


def test_r27_a_correction_without_a_reason_is_refused_and_the_input_kept(mod_client):
    resource = published_resource(title="Pizza")
    response = mod_client.post(
        f"/moderation/resources/{resource.pk}/edit/", edit_data(resource, title="Typed title")
    )
    assert response.status_code == 400
    assert 'value="Typed title"' in response.content.decode()
    resource.refresh_from_db()
    assert resource.title == "Pizza"
    assert not Decision.objects.exists()


def test_r27_a_moderator_removes_one_file(mod_client, author):
    review = ReviewFactory(resource__author=author)
    keep = ResourceFileFactory(resource=review.target, name="keep.pdf")
    drop = ResourceFileFactory(resource=review.target, name="pupils.pdf")
    privacy = criteria("pupil-privacy")[0]
    response = mod_client.post(
        f"/moderation/files/{drop.pk}/remove/?review={review.pk}",
        {"criteria": [privacy.pk], "reason": "Shows class photos."},
    )
    assert response["Location"] == f"/moderation/reviews/{review.pk}/"
    assert ResourceFile.objects.get(pk=drop.pk).state == FileState.REMOVED
    assert ResourceFile.objects.get(pk=keep.pk).state == FileState.ACTIVE
    decision = Decision.objects.get()
    assert (decision.action, decision.part) == (Decision.Action.REMOVE_FILE, drop)
    assert mod_client.get(f"/moderation/files/{drop.pk}/remove/").status_code == 404


def test_r27_a_moderator_removes_a_resource(mod_client, author):
    resource = published_resource(author=author)
    relevant = criteria("relevant")[0]
    response = mod_client.post(
        f"/moderation/resources/{resource.pk}/remove/", {"criteria": [relevant.pk], "reason": ""}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.state == State.REMOVED
    assert list(Decision.objects.get(resource=resource).criteria.all()) == [relevant]


def test_r27_removal_needs_a_criterion_or_a_reason(mod_client):
    resource = published_resource()
    response = mod_client.post(f"/moderation/resources/{resource.pk}/remove/", {"reason": ""})
    assert response.status_code == 400
    assert "Say why the resource is removed." in response.content.decode()
    assert Resource.objects.get(pk=resource.pk).state == State.PUBLISHED


# --- dashboard and audit log (R30) -------------------------------------------------------------


def at(day: str, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day).replace(hour=hour))


def test_r30_the_dashboard_counts_queue_time_and_criteria(mod_client, mod, time_machine):
    time_machine.move_to(at("2025-03-12"), tick=False)
    ReviewFactory()
    ReviewFactory(kind=Review.Kind.REPORT)
    ReviewFactory(kind=Review.Kind.REPORT)
    one, two = ResourceFactory(), ResourceFactory()
    for resource, submitted, decided, action in [
        (one, at("2025-03-10", 10), at("2025-03-11", 10), "decision_reject"),  # 24 h
        (two, at("2025-03-01", 10), at("2025-03-01", 16), "decision_publish"),  # 6 h
    ]:
        AuditEntry.objects.create(action="resource_submit", subject=resource, created_at=submitted)
        AuditEntry.objects.create(action=action, subject=resource, created_at=decided)
    relevant, metadata = criteria("relevant", "metadata")
    for created, chosen in [
        (at("2025-03-11"), [relevant, metadata]),
        (at("2025-03-04"), [relevant]),
    ]:
        decision = Decision.objects.create(target=one, action="reject", created_at=created)
        decision.criteria.set(chosen)
    Decision.objects.create(target=two, action="publish", created_at=at("2025-03-01"))

    response = mod_client.get("/moderation/dashboard/")
    data = response.context["data"]
    assert data.queue == {"submission": 1, "revision": 0, "rereview": 0, "report": 2}
    assert (data.median_hours, data.decisions_timed) == (15.0, 2)
    assert data.weeks[-1].isoformat() == "2025-03-10"
    assert data.per_criterion == {
        "Metadata correct and complete": [0] * 11 + [1],
        "Relevant to education": [0] * 10 + [1, 1],
    }
    assert data.per_action["Rejected"] == 2
    assert data.per_action["Published"] == 1
    content = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in content
    assert '<table class="table chart-table">' in content
    assert "15.0 hours" in content


def test_r30_the_audit_log_filters_by_action_and_resource(staff_client, mod):
    one, two = ResourceFactory(), ResourceFactory()
    AuditEntry.objects.create(action="decision_reject", subject=one, actor=mod)
    AuditEntry.objects.create(action="decision_publish", subject=two, actor=mod)
    AuditEntry.objects.create(action="decision_publish", subject=one, actor=mod)

    def shown(query: str) -> list[tuple[str, int]]:
        page = staff_client.get(f"/moderation/audit/{query}").context["page"]
        return [(e.action, e.object_id) for e in page.object_list]

    assert shown("") == [
        ("decision_publish", one.pk),
        ("decision_publish", two.pk),
        ("decision_reject", one.pk),
    ]
    assert shown("?action=decision_publish") == [
        ("decision_publish", one.pk),
        ("decision_publish", two.pk),
    ]
    assert shown(f"?resource={one.pk}") == [
        ("decision_publish", one.pk),
        ("decision_reject", one.pk),
    ]


# --- notifications -----------------------------------------------------------------------------


def test_notifications_are_listed_newest_first_and_marked_read(member, member_client):
    from commonroom.notifications.services import notify

    first = notify(recipient=member, kind=NOTICE_KIND, title="Older", email=False)
    second = notify(
        recipient=member,
        kind=NOTICE_KIND,
        title="Newer",
        body="See https://example.org/x",
        email=False,
    )
    Notification.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=1))
    notify(recipient=MemberFactory(), kind=NOTICE_KIND, title="Not mine", email=False)

    response = member_client.get("/notifications/")
    assert [n.title for n in response.context["items"]] == ["Newer", "Older"]
    content = response.content.decode()
    assert content.count(">new</span>") == 2
    assert "Not mine" not in content
    assert '<a href="https://example.org/x"' in content
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert member_client.get("/notifications/").content.decode().count(">new</span>") == 0
    assert second.pk
