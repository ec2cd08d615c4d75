"""Resources as a moderated kind (moderation/protocol.py), and what
moderators do to a resource only: correct its metadata in part and remove
one of its files (R27). Found by the moderation kernel through
``core.discovery.app_modules("moderation")``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.core.text import render_markdown
from commonroom.moderation.kinds import StateFieldKind
from commonroom.moderation.lifecycle import Event, State
from commonroom.moderation.models import Criterion, Decision, Review
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.moderation.permissions import authors_of, moderation_action
from commonroom.moderation.report_registry import Reportable
from commonroom.moderation.services import (
    decision_audit,
    decision_create,
    item_remove,
    lock,
    objection_hint,
    reasons_text,
    tell_author,
)
from commonroom.resources import revisions
from commonroom.resources.models import FileState, Resource, ResourceFile, Revision
from commonroom.resources.permissions import can_view
from commonroom.search.services import search_index_sync

Action = Decision.Action
# Events after which the search index must see the resource again.
UNINDEXED_EVENTS = (Event.CLAIM, Event.RELEASE, Event.SUBMIT, Event.OBJECT, Event.DUE)


class ModeratedResources(StateFieldKind):
    model = Resource
    label = gettext_lazy("Resource")
    accepts_notices = True
    state_save_fields = ("updated_at",)

    def title(self, item: Resource) -> str:
        return item.title

    def authors(self, item: Resource) -> frozenset[int]:
        return frozenset({item.author_id})

    def author(self, item: Resource) -> Member:
        return item.author

    def authored_by(self, member: Member) -> QuerySet[Resource]:
        return Resource.objects.filter(author=member)

    def public_url(self, item: Resource) -> str:
        return item.get_absolute_url()

    def review_text(self, item: Resource) -> str:
        return "\n\n".join(part for part in (item.title, item.description, item.body) if part)

    def lock(self, item: Resource) -> Resource:
        return Resource.objects.select_for_update().select_related("author").get(pk=item.pk)

    def on_state(
        self, item: Resource, *, event: str, before: str, after: str, by: Any
    ) -> tuple[str, ...]:
        if event not in UNINDEXED_EVENTS:
            transaction.on_commit(partial(search_index_sync, kind="resource", object_id=item.pk))
        now = timezone.now()
        if event == Event.SUBMIT:
            item.submitted_at = now
            return ("submitted_at",)
        if event in (Event.PUBLISH, Event.OVERTURN):
            item.published_at = item.published_at or now
            item.reviewed_at = now
            return ("published_at", "reviewed_at")
        return ()

    def decided(self, item: Resource, decision: Decision, reasons: str) -> None:
        if decision.action == Action.REMOVE:
            for pending in item.revisions.filter(status=Revision.Status.PENDING):
                revisions.revision_decline(revision=pending)
            _tell_author_about_removal(item, decision, reasons)
        elif decision.action in (Action.PUBLISH, Action.REQUEST_CHANGES, Action.REJECT):
            _tell_author_about(item, decision, reasons)

    # A proposed edit of a published resource is a ``Revision`` (Review.change).

    def decide_change(self, item: Resource, change: Revision, *, accepted: bool, by: Any) -> None:
        transaction.on_commit(partial(search_index_sync, kind="resource", object_id=item.pk))
        if not accepted:
            revisions.revision_decline(revision=change)
            return
        revisions.revision_apply(revision=change, by=by)
        item.refresh_from_db()
        item.reviewed_at = timezone.now()
        item.save(update_fields=["reviewed_at", "updated_at"])

    def changes_by(self, member: Member) -> QuerySet[Revision]:
        """The edits ``member`` proposed: another moderator reviews them."""
        return Revision.objects.filter(created_by=member)

    def reinstate_change(self, item: Resource, change: Revision, *, by: Any) -> None:
        if change.status == Revision.Status.DECLINED:
            revisions.revision_reinstate(revision=change)
            revisions.revision_apply(revision=change, by=by)
            item.refresh_from_db()

    # A removed file is the part a decision names (Decision.part).

    def restore_part(self, item: Resource, part: ResourceFile) -> None:
        transaction.on_commit(partial(search_index_sync, kind="resource", object_id=item.pk))
        item.files.filter(pk=part.pk).update(state=FileState.ACTIVE)

    # What the queue and the review page show of a resource.

    def queue_summary(self, item: Resource) -> tuple[str, str]:
        # Reads what queue_queryset prefetches: no query per row.
        subjects = ", ".join(str(subject) for subject in item.subjects.all())
        levels = ", ".join(str(level) for level in item.levels.all())
        return (str(item.kind), f"{subjects} · {levels}")

    def queue_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.select_related("author", "kind").prefetch_related(
            "subjects", "levels"
        )

    def queue_items(
        self, *, resource_kind: Any, subject: list[int] | None, level: list[int] | None
    ) -> QuerySet[Resource]:
        """Resources of the kind, and in the subjects and levels (subtrees), given."""
        resources = Resource.objects.all()
        if resource_kind is not None:
            resources = resources.filter(kind=resource_kind)
        if subject is not None:
            resources = resources.filter(pk__in=Resource.objects.filter(subjects__in=subject))
        if level is not None:
            resources = resources.filter(pk__in=Resource.objects.filter(levels__in=level))
        return resources

    def review_page(self, review: Review) -> dict[str, Any]:
        from commonroom.resources import moderation_selectors as selectors

        resource = selectors.review_resource(review)
        return {
            "resource": resource,
            "item": resource,
            "body_html": render_markdown(resource.body) if resource.body else "",
            "changes": selectors.revision_changes(review.change) if review.change else [],
            "item_template": "resources/_moderation_review.html",
            "actions_template": "resources/_moderation_actions.html",
        }

    def due_for_rereview(self, cutoff: datetime) -> QuerySet[Resource]:
        """Published resources last approved before ``cutoff`` are checked again."""
        return Resource.objects.filter(state=State.PUBLISHED, reviewed_at__lt=cutoff)


MODERATED = [ModeratedResources()]


def moderation_urls() -> list[URLPattern]:
    """The moderators' pages for resources only, in the moderation namespace."""
    from commonroom.resources import moderation_views as views

    return [
        path("resources/<id:resource_id>/edit/", views.edit, name="edit"),
        path("resources/<id:resource_id>/remove/", views.remove, name="remove"),
        path("files/<id:file_id>/remove/", views.file_remove, name="file_remove"),
        path("notices/new/<id:resource_id>/", views.notice_new, name="notice_new"),
        path("reports/new/<id:resource_id>/", views.report_new, name="report_new"),
    ]


@authors_of.register
def _file_authors(subject: ResourceFile) -> frozenset[int]:
    return authors_of(subject.resource)


@authors_of.register
def _revision_authors(subject: Revision) -> frozenset[int]:
    # A revision is proposed by whoever edited; that is the resource's author today.
    return authors_of(subject.resource) | frozenset(
        pk for pk in (subject.created_by_id,) if pk is not None
    )


def _tell_author_about(resource: Resource, decision: Decision, reasons: str) -> None:
    def text() -> tuple[str, str]:
        if decision.action == Action.PUBLISH:
            title = _("“%(title)s” is published") % {"title": resource.title}
            return title, _("A moderator approved your resource. Thank you for sharing it!")
        if decision.action == Action.REQUEST_CHANGES:
            title = _("Changes requested for “%(title)s”") % {"title": resource.title}
            intro = _("A moderator asks you to change your resource before it is published.")
        else:
            title = _("“%(title)s” was not published") % {"title": resource.title}
            intro = _("A moderator refused your resource for these reasons:")
        return title, f"{intro}\n\n{reasons}\n\n{objection_hint(decision)}"

    published = decision.action == Action.PUBLISH
    tell_author(
        resource,
        kind=MODERATION_DECISION,
        text=text,
        url=resource.get_absolute_url() if published else reverse("resources:mine"),
    )


def _tell_author_about_removal(resource: Resource, decision: Decision, reasons: str) -> None:
    tell_author(
        resource,
        kind=MODERATION_DECISION,
        text=lambda: (
            _("“%(title)s” was removed") % {"title": resource.title},
            _("A moderator removed your resource for these reasons:")
            + f"\n\n{reasons}\n\n{objection_hint(decision)}",
        ),
        url=reverse("resources:mine"),
    )


@moderation_action(subject="resource")
@transaction.atomic
def resource_edit_by_moderator(
    *, resource: Resource, by: Member, fields: dict[str, Any], reason: str
) -> Decision:
    """Moderators correct metadata in part (R27); kept in the revision history."""
    if not reason.strip():
        raise ValidationError(_("Say why you change the metadata."), code="reason_required")
    resource = lock(resource)
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    before = revisions.snapshot(resource)
    data = {**before, **revisions.as_plain(fields)}
    revisions.apply_data(resource, data)
    revision = revisions.revision_record(resource, by=by, before=before, note=reason)
    # A pending edit by the author must not bring the corrected values back.
    for pending in resource.revisions.filter(status=Revision.Status.PENDING):
        pending.data = {**pending.data, **{k: data[k] for k in revision.changed_fields}}
        pending.save(update_fields=["data"])
    decision = decision_create(item=resource, by=by, action=Action.EDIT, reason=reason)
    decision_audit(decision, target=f"revision:{revision.pk}")

    def text() -> tuple[str, str]:
        fields_changed = ", ".join(revisions.field_labels(revision.changed_fields)) or "-"
        return (
            _("A moderator edited “%(title)s”") % {"title": resource.title},
            _("Changed: %(fields)s.\nReason: %(reason)s")
            % {"fields": fields_changed, "reason": reason},
        )

    tell_author(resource, kind=MODERATION_DECISION, text=text)
    return decision


@moderation_action(subject="file")
@transaction.atomic
def file_remove_by_moderator(
    *, file: ResourceFile, by: Member, reason: str, criteria: Sequence[Criterion] = ()
) -> Decision:
    """Remove one file of a resource (R27 "in part")."""
    if not reason.strip() and not criteria:
        raise ValidationError(_("Say why the file is removed."), code="reason_required")
    resource = lock(file.resource)
    transaction.on_commit(partial(search_index_sync, kind="resource", object_id=resource.pk))
    ResourceFile.objects.filter(pk=file.pk).update(state=FileState.REMOVED)
    versions.changed(resource)
    before = revisions.snapshot(resource)
    revision = revisions.revision_record(
        resource, by=by, before=before, note=_("File removed: %(name)s") % {"name": file.name}
    )
    revision.changed_fields = ["files"]
    revision.save(update_fields=["changed_fields"])
    decision = decision_create(
        item=resource,
        by=by,
        action=Action.REMOVE_FILE,
        reason=reason,
        criteria=criteria,
        part=file,
    )
    decision_audit(decision, criteria=criteria, target=f"file:{file.pk}")
    tell_author(
        resource,
        kind=MODERATION_DECISION,
        text=lambda: (
            _("A file was removed from “%(title)s”") % {"title": resource.title},
            _("Removed: %(name)s\n\n%(reasons)s")
            % {"name": file.name, "reasons": reasons_text(criteria, reason)}
            + f"\n\n{objection_hint(decision)}",
        ),
    )
    return decision


# --- reports (R21): a report joins the resource's open report review, so
# moderators also meet it in the review queue; acting on it removes the resource.


def _remove(resource: Resource, by: Member, reason: str) -> None:
    item_remove(item=resource, by=by, reason=reason)


def _report_review(resource: Resource) -> Review:
    """The open report review on the resource, opened by its first report."""
    Resource.objects.select_for_update().filter(pk=resource.pk).first()  # one review at a time
    review = (
        Review.objects.about(resource)
        .filter(kind=Review.Kind.REPORT, closed_at__isnull=True)
        .first()
    )
    return review or Review.objects.create(target=resource, kind=Review.Kind.REPORT)


def _resources() -> QuerySet[Resource]:
    return Resource.objects.select_related("author")


REPORTABLE = {
    "resource": Reportable(
        model=Resource,
        label=gettext_lazy("Resource"),
        author=lambda resource: resource.author,
        excerpt=lambda r: Truncator(f"{r.title} · {r.description}").chars(300),
        url=lambda resource: resource.get_absolute_url(),
        hide=_remove,
        remove=_remove,
        visible_to=lambda resource, user: can_view(user, resource),
        queryset=_resources,
        review_for=_report_review,
        hooks_tell_author=True,
    )
}
