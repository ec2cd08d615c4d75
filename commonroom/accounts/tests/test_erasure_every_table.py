"""Issue 12 item 5: after erasure the member's address and name are in no
text column of any table, found by asking the database itself (every table,
every text, character and JSON column), not the models, so a table no model
describes (task results, sessions, a library's own) is scanned too.

The only columns allowed to keep the name are the member row's first and
last name: the attribution shown on the member's contributions (resources,
messages to others, posts), which stays by design (R6)."""

from collections.abc import Iterator
from typing import cast

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from redis.exceptions import ConnectionError as RedisConnectionError

from commonroom.accounts.models import Member
from commonroom.accounts.services import member_erase
from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.core.models import OutboxEntry

EMAIL = "zoltan.quibbleworth@h6-erasure.example"
FIRST, LAST = "Zoltanius", "Quibbleworth"
# Where the name may stay: the attribution on contributions.
ALLOWED = {
    FIRST.lower(): ["accounts_member.first_name"],
    LAST.lower(): ["accounts_member.last_name"],
    EMAIL: [],
}
TEXT_TYPES = {"CharField", "TextField", "JSONField", "SlugField", "EmailField"}


def text_columns() -> Iterator[tuple[str, str]]:
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            for column in connection.introspection.get_table_description(cursor, table):
                try:
                    kind = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:
                    kind = "TextField"  # untyped: SQLite's full-text tables hold text
                if kind in TEXT_TYPES:
                    yield table, column.name


def columns_containing(text: str) -> list[str]:
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT 1 FROM {quote(table)} "  # noqa: S608 - names from the database itself
                f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s LIMIT 1",
                [f"%{text.lower()}%"],
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


@pytest.fixture
def queue_down(monkeypatch):
    def refuse(self, task, args, kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(ImmediateBackend, "enqueue", refuse)


@pytest.fixture
def busy_member(queue_down, django_capture_on_commit_callbacks) -> Member:
    """A member with a bit of everything, while the queue is down so their
    mails wait in the outbox."""
    from django_tasks_db.models import DBTaskResult

    from commonroom.legal.services import contact_message_send
    from commonroom.messaging.tests.factories import colleague, conversation_with
    from commonroom.moderation.appeals import notice_file
    from commonroom.moderation.notifications import NOTICE
    from commonroom.moderation.report_services import report_file
    from commonroom.notifications.services import notify
    from commonroom.resources.tests.factories import published_resource
    from commonroom.social.services import follow

    member = cast(Member, MemberFactory(email=EMAIL, first_name=FIRST, last_name=LAST))
    other = colleague()
    client = Client()
    assert (
        client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD}).status_code == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        published_resource(author=member, title="Fractions with pizza")
        target = published_resource(author=other, title="Leaves")
        conversation_with(member, other, messages=2)
        follow(follower=member, target=other)
        follow(follower=other, target=member)
        notify(recipient=member, kind=NOTICE, title="Hello", body="Body")
        contact_message_send(
            name=f"{FIRST} {LAST}", email=EMAIL, subject="Question", message="Hi", member=member
        )
        notice_file(
            item=target,
            name=f"{FIRST} {LAST}",
            email=EMAIL,
            work="My photo",
            reasons="It is mine",
            good_faith=True,
            filed_by=member,
        )
        report_file(target=target, reporter=member, reason="spam", text="Looks like spam")
        # A password reset mail, rendered by allauth, waits in the outbox.
        Client().post("/accounts/password/reset/", {"email": EMAIL})
    # A mail that failed with the address in the error, and a task result
    # stored before mails were queued by id.
    OutboxEntry.objects.create(
        task_path="commonroom.core.tasks.send_email",
        state=OutboxEntry.State.FAILED,
        next_attempt_at=timezone.now(),
        last_error=f"SMTPRecipientsRefused: {{'{EMAIL}': (550, b'No such user')}}",
    )
    DBTaskResult.objects.create(
        status="SUCCESSFUL",
        finished_at=timezone.now(),
        args_kwargs={"args": [], "kwargs": {"to": [EMAIL], "body": f"Dear {FIRST}"}},
        task_path="commonroom.core.tasks.send_email",
        backend_name="default",
        run_after=timezone.now(),
    )
    return member


@pytest.mark.django_db
def test_item5_erasure_leaves_address_and_name_in_no_table_but_the_attribution(
    busy_member, django_capture_on_commit_callbacks
):
    before = {text: columns_containing(text) for text in ALLOWED}
    # The scan finds them before: the test looks where the data really is.
    assert "accounts_member.email" in before[EMAIL]
    assert "core_outboxentry.kwargs" in before[EMAIL]
    assert "django_tasks_database_dbtaskresult.args_kwargs" in before[EMAIL]
    assert "legal_contactmessage.email" in before[EMAIL]
    assert "moderation_notice.email" in before[EMAIL]
    assert "legal_contactmessage.name" in before[LAST.lower()]

    with django_capture_on_commit_callbacks(execute=True):
        member_erase(member=busy_member)

    assert {text: columns_containing(text) for text in ALLOWED} == ALLOWED
