"""Issue 14: the migrations move every row of the three old report tables
(resource reports, content reports, message reports) into the one ``Report``
without loss. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

from datetime import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.library.models import Collection
from commonroom.library.tests.factories import CollectionFactory
from commonroom.messaging.models import Message
from commonroom.messaging.tests.factories import conversation_with
from commonroom.moderation.models import Report
from commonroom.resources.models import Resource
from commonroom.resources.tests.factories import published_resource
from commonroom.social.models import Reaction
from commonroom.taxonomy.models import Language, Licence, ResourceKind

# The leaf migrations before the one report model.
OLD_LEAVES = [("moderation", "0006_visitor_reports"), ("messaging", "0001_initial")]


def at(moment: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(moment))


def kind_counts() -> dict[str, int]:
    models = {
        "resource": Resource,
        "reaction": Reaction,
        "profile": Member,
        "collection": Collection,
        "message": Message,
    }
    return {
        kind: Report.objects.filter(content_type=ContentType.objects.get_for_model(model)).count()
        for kind, model in models.items()
    }


def terms_the_factories_read() -> None:
    """An earlier transactional test may have flushed the rows the data
    migrations made; the resource factory reads these."""
    for model, slug in ((ResourceKind, "worksheet"), (Language, "en")):
        model.objects.get_or_create(slug=slug, defaults={"label_nl": slug, "label_en": slug})
    Licence.objects.get_or_create(
        slug="cc-by-4.0", defaults={"name": "CC BY 4.0", "url": "https://cc.example/by/4.0/"}
    )


# Transactional: the migrations run outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_issue14_migrating_forward_moves_every_old_report_into_the_one_model():
    terms_the_factories_read()
    reporter, mod, author = MemberFactory(), MemberFactory(), MemberFactory()
    resource, removed = published_resource(), published_resource()
    reaction = Reaction.objects.create(resource=resource, author=author, body="Rude words")
    collection = CollectionFactory(owner=author, is_public=True)
    message = conversation_with(author, reporter).messages.get()

    executor = MigrationExecutor(connection)
    executor.migrate(OLD_LEAVES)
    old = executor.loader.project_state(OLD_LEAVES).apps
    review = old.get_model("moderation", "Review").objects.create(
        resource_id=resource.pk, kind="report", opened_at=at("2025-02-01 10:00")
    )
    resource_reports = old.get_model("moderation", "Report").objects
    resource_reports.create(
        resource_id=resource.pk, reporter_id=reporter.pk, reason="spam", text="Ads",
        review_id=review.pk, created_at=at("2025-02-01 10:00"),
    )  # fmt: skip
    resource_reports.create(
        resource_id=removed.pk, reporter_id=None, reporter_email="ann@mail.example",
        reason="illegal", status="actioned", handled_by_id=mod.pk,
        handled_at=at("2025-02-03 10:00"), created_at=at("2025-02-02 10:00"),
    )  # fmt: skip
    resource_reports.create(
        resource_id=removed.pk, reporter_id=author.pk, reason="off_topic", status="dismissed",
        created_at=at("2025-02-02 11:00"),
    )  # fmt: skip
    content_reports = old.get_model("moderation", "ContentReport").objects
    for model, pk, reason, status, action in [
        (Reaction, reaction.pk, "harmful", "actioned", "hide"),
        (Member, author.pk, "impersonation", "open", ""),
        (Collection, collection.pk, "privacy", "dismissed", ""),
    ]:
        content_reports.create(
            content_type_id=ContentType.objects.get_for_model(model).pk, object_id=pk,
            reporter_id=reporter.pk, reason=reason, status=status, action_taken=action,
            decision_reason="Insults" if action else "", created_at=at("2025-03-01 10:00"),
        )  # fmt: skip
    message_reports = old.get_model("messaging", "MessageReport").objects
    message_reports.create(message_id=message.pk, reporter_id=reporter.pk, reason="harmful")
    message_reports.create(
        message_id=message.pk, reporter_id=None, reason="spam", text="Casino",
        status="actioned", handled_by_id=mod.pk, handled_at=at("2025-03-02 10:00"),
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert kind_counts() == {
        "resource": 3, "reaction": 1, "profile": 1, "collection": 1, "message": 2,
    }  # fmt: skip
    assert Report.objects.count() == 8
    on_resource = Report.objects.on(resource).get()
    assert (on_resource.reporter, on_resource.text, on_resource.review_id, on_resource.status) == (
        reporter, "Ads", review.pk, "open",
    )  # fmt: skip
    assert on_resource.created_at == at("2025-02-01 10:00")
    visitors = Report.objects.get(reason="illegal")
    assert (visitors.target, visitors.reporter, visitors.reporter_email) == (
        removed, None, "ann@mail.example",
    )  # fmt: skip
    assert (visitors.status, visitors.action_taken, visitors.handled_by) == (
        "actioned", "remove", mod,
    )  # fmt: skip
    assert visitors.handled_at == at("2025-02-03 10:00")
    on_reaction = Report.objects.on(reaction).get()
    assert (on_reaction.target, on_reaction.action_taken, on_reaction.decision_reason) == (
        reaction, "hide", "Insults",
    )  # fmt: skip
    assert Report.objects.get(reason="impersonation").target == author
    on_message = Report.objects.on(message).get(reason="spam")
    assert (on_message.target, on_message.text, on_message.status, on_message.action_taken) == (
        message, "Casino", "actioned", "hide",
    )  # fmt: skip
    assert on_message.handled_by == mod
    assert sorted(Report.objects.values_list("reason", flat=True)) == sorted(
        ["spam", "illegal", "off_topic", "harmful", "impersonation", "privacy", "harmful", "spam"]
    )
