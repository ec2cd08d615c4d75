"""Reports on content that is not a resource (R21): profiles, collections,
reactions, messages.

Each app says what of its own can be reported in a ``reportable`` module
exposing ``REPORTABLE: dict[str, Reportable]``, found the way
``core.privacy`` finds ``personal_data`` modules, so moderation needs no
change when an app adds a kind. This module holds that registry, the
services, the reads, the forms and the moderators' pages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.accounts.models import Member
from commonroom.accounts.permissions import acting_member, can_suspend
from commonroom.core import antispam
from commonroom.moderation import audit, permissions
from commonroom.moderation.models import ContentReport, ReportReason
from commonroom.moderation.services import visitor_email_check
from commonroom.moderation.suspensions import member_suspend
from commonroom.social.models import NotificationKind
from commonroom.social.services import notify

Action = ContentReport.Action
Status = ContentReport.Status

# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reportable:
    """How moderation handles one kind of reportable content.

    ``hide`` takes the content out of sight and ``remove`` deletes or blanks
    it, each through the owning app's services; the moderation action that
    calls them writes the audit row and tells the author. ``visible_to``
    says whether a user may see the object, and so report it: nobody learns
    through the report form that a private object exists.
    """

    model: type[models.Model]
    label: str | Promise
    author: Callable[[Any], Member | None]
    excerpt: Callable[[Any], str]
    url: Callable[[Any], str]
    hide: Callable[[Any, Member, str], None]
    remove: Callable[[Any, Member, str], None]
    visible_to: Callable[[Any, Any], bool]
    # The objects with what ``author`` and ``excerpt`` read, fetched in one query.
    queryset: Callable[[], QuerySet[Any]] | None = None

    def objects(self) -> QuerySet[Any]:
        return self.queryset() if self.queryset else self.model._default_manager.all()


@functools.cache
def reportables() -> dict[str, Reportable]:
    found: dict[str, Reportable] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("commonroom."):
            continue
        try:
            module = import_module(f"{config.name}.reportable")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reportable":
                raise
            continue
        for kind, reportable in module.REPORTABLE.items():
            clash = kind in found or any(r.model is reportable.model for r in found.values())
            if clash:
                raise ImproperlyConfigured(f"Reportable kind or model registered twice: {kind}")
            found[kind] = reportable
    return found


def kind_for_model(model: type[models.Model]) -> str:
    for kind, reportable in reportables().items():
        if issubclass(model, reportable.model):
            return kind
    raise ValidationError(_("This cannot be reported."), code="not_reportable")


def _kind_of(report: ContentReport) -> str:
    """The report's kind; empty when no app registers its model any more."""
    model = report.content_type.model_class()
    try:
        return kind_for_model(model) if model else ""
    except ValidationError:
        return ""


def _content_type(kind: str) -> ContentType:
    return ContentType.objects.get_for_model(reportables()[kind].model)


# --- services --------------------------------------------------------------------------------


@transaction.atomic
def content_report_file(
    *, target: models.Model, reporter: Member | None, reason: str, text: str = "", email: str = ""
) -> ContentReport:
    """Anyone reports content (§2.4); a member reporting the same thing again
    while the first report is open changes nothing. ``reporter`` is None for
    a visitor, who then gives ``email`` (the view limits visitors per address)."""
    email = visitor_email_check(reporter=reporter, email=email)
    kind = kind_for_model(type(target))
    content_type = _content_type(kind)
    existing = (
        ContentReport.objects.filter(
            content_type=content_type, object_id=target.pk, reporter=reporter, status=Status.OPEN
        ).first()
        if reporter is not None
        else None
    )
    if existing is not None:
        return existing
    if reporter is not None and antispam.rate_limit_hit(member=reporter, kind="report"):
        raise ValidationError(
            _("You have sent many reports in a short time. Please wait before sending another."),
            code="rate_limited",
        )
    report = ContentReport(
        content_type=content_type,
        object_id=target.pk,
        reporter=reporter,
        reporter_email=email,
        reason=reason,
        text=text.strip(),
    )
    report.full_clean()
    report.save()
    audit.record(
        actor=reporter,
        action="content_report_file",
        target=f"{kind}:{target.pk}",
        reason=f"{reason}: {report.text}".rstrip(": "),
    )
    return report


def _lock_open(report: ContentReport) -> ContentReport:
    report = (
        ContentReport.objects.select_for_update().select_related("content_type").get(pk=report.pk)
    )
    if report.status != Status.OPEN:
        raise ValidationError(_("This report has already been handled."), code="closed")
    return report


def _close_all(report: ContentReport, *, by: Member, status: str, action: str, reason: str) -> int:
    """A decision is about the content, so every open report on it closes."""
    return ContentReport.objects.filter(
        content_type=report.content_type_id, object_id=report.object_id, status=Status.OPEN
    ).update(
        status=status,
        action_taken=action,
        handled_by=by,
        handled_at=timezone.now(),
        decision_reason=reason,
    )


@permissions.moderation_action(subject="report")
@transaction.atomic
def content_report_dismiss(*, report: ContentReport, by: Member, reason: str = "") -> ContentReport:
    report = _lock_open(report)
    _close_all(report, by=by, status=Status.DISMISSED, action="", reason=reason.strip())
    audit.record(
        actor=by,
        action="content_report_dismiss",
        target=f"{_kind_of(report)}:{report.object_id}",
        from_state=Status.OPEN,
        to_state=Status.DISMISSED,
        reason=reason.strip(),
    )
    report.refresh_from_db()
    return report


AUTHOR_TITLES = {
    Action.HIDE: gettext_lazy("Moderators have hidden something you posted"),
    Action.REMOVE: gettext_lazy("Moderators have removed something you posted"),
    Action.WARN: gettext_lazy("A warning from the moderators"),
}


def _tell_author(
    author: Member, action: str, reportable: Reportable, target: Any, why: str
) -> None:
    notify(
        recipient=author,
        kind=NotificationKind.MODERATION_DECISION,
        text=lambda: (
            str(AUTHOR_TITLES[Action(action)]),
            _("%(what)s: %(reason)s") % {"what": reportable.label, "reason": why},
        ),
        url=reportable.url(target),
    )


@permissions.moderation_action(subject="report")
@transaction.atomic
def content_report_act(
    *,
    report: ContentReport,
    by: Member,
    action: str,
    reason: str,
    until: datetime | None = None,
) -> ContentReport:
    """A moderator acts on reported content: hide or remove it, warn its
    author, or (staff only) suspend the author until ``until`` or for good."""
    report = _lock_open(report)
    reason = reason.strip()
    if action not in Action.values:
        raise ValidationError(_("Choose what to do."), code="invalid_action")
    if not reason:
        raise ValidationError(_("Give the reason; the author receives it."), code="reason_required")
    kind = _kind_of(report)
    reportable = reportables().get(kind)
    target = reportable.objects().filter(pk=report.object_id).first() if reportable else None
    if reportable is None or target is None:
        raise ValidationError(_("The reported content no longer exists."), code="gone")
    author = reportable.author(target)
    if action in (Action.WARN, Action.SUSPEND) and author is None:
        raise ValidationError(_("This content has no author to act on."), code="no_author")
    if action == Action.HIDE:
        reportable.hide(target, by, reason)
    elif action == Action.REMOVE:
        reportable.remove(target, by, reason)
    elif action == Action.SUSPEND:
        if author is None or not can_suspend(by, author):
            raise ValidationError(_("Only staff can suspend this member."), code="not_allowed")
        member_suspend(member=author, reason=reason, until=until, by=by)
    if author is not None and action != Action.SUSPEND:
        _tell_author(author, action, reportable, target, reason)
    _close_all(report, by=by, status=Status.ACTIONED, action=action, reason=reason)
    audit.record(
        actor=by,
        action=f"content_report_{action}",
        target=f"{kind}:{report.object_id}",
        from_state=Status.OPEN,
        to_state=Status.ACTIONED,
        reason=reason,
    )
    report.refresh_from_db()
    return report


def export_for(member: Member) -> dict[str, Any]:
    """For moderation/personal_data.py: the content reports a member filed."""
    return {
        "content_reports_filed": [
            {
                "reason": r.reason,
                "text": r.text,
                "filed_at": r.created_at.isoformat(),
                "status": r.status,
            }
            for r in ContentReport.objects.filter(reporter=member)
        ]
    }


def erase_for(member: Member) -> None:
    """The reports stay for the moderation record, without the link to the member."""
    ContentReport.objects.filter(reporter=member).update(reporter=None)


# --- reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    report: ContentReport
    kind: str
    reportable: Reportable | None
    target: Any
    # The viewer authored the content: it stays listed, another moderator decides.
    own_work: bool = False

    @property
    def excerpt(self) -> str:
        return self.reportable.excerpt(self.target) if self.reportable and self.target else ""

    @property
    def url(self) -> str:
        return self.reportable.url(self.target) if self.reportable and self.target else ""

    @property
    def author(self) -> Member | None:
        return self.reportable.author(self.target) if self.reportable and self.target else None


def _own(viewer: Member | None, target: Any) -> bool:
    return (
        viewer is not None and target is not None and not permissions.may_decide_on(viewer, target)
    )


def content_reports_for_moderators(*, kind: str = "", status: str = "") -> QuerySet[ContentReport]:
    reports = ContentReport.objects.select_related("reporter", "content_type")
    if kind:
        reports = reports.filter(content_type=_content_type(kind))
    if status:
        reports = reports.filter(status=status)
    # Open reports wait in a queue: oldest first.
    return reports.order_by("created_at", "pk") if status == Status.OPEN else reports


def rows_for(reports: list[ContentReport], viewer: Member | None = None) -> list[Row]:
    """Each report with its target, one query per kind on the page."""
    kinds = {r.content_type_id: _kind_of(r) for r in reports}
    targets: dict[tuple[int, int], Any] = {}
    for type_id, kind in kinds.items():
        if not kind:
            continue
        ids = [r.object_id for r in reports if r.content_type_id == type_id]
        for pk, obj in reportables()[kind].objects().in_bulk(ids).items():
            targets[(type_id, pk)] = obj
    return [
        Row(
            report=r,
            kind=kinds[r.content_type_id],
            reportable=reportables().get(kinds[r.content_type_id]),
            target=targets.get((r.content_type_id, r.object_id)),
            own_work=_own(viewer, targets.get((r.content_type_id, r.object_id))),
        )
        for r in reports
    ]


# --- forms -----------------------------------------------------------------------------------


class ContentReportForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = ContentReport
        fields = ["reason", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"text": gettext_lazy("Optional: anything moderators should know.")}


class ContentReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *Status.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(kind, r.label) for kind, r in sorted(reportables().items())]
        self.fields["kind"].choices = [("", _("All")), *kinds]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"kind": data.get("kind") or "", "status": data.get("status") or ""}


ACTION_CHOICES = [
    (Action.HIDE, gettext_lazy("Hide it")),
    (Action.REMOVE, gettext_lazy("Remove it")),
    (Action.WARN, gettext_lazy("Warn the author")),
    (Action.SUSPEND, gettext_lazy("Suspend the author")),
]


class ContentReportActionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("What to do"), choices=ACTION_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The author receives it; a suspended member sees it on signing in."),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Suspended until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    permanent = forms.BooleanField(label=gettext_lazy("Suspend permanently"), required=False)

    def __init__(self, *args: Any, may_suspend: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_suspend:
            self.fields["action"].choices = ACTION_CHOICES[:3]  # type: ignore[attr-defined]
            del self.fields["ends_at"], self.fields["permanent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") != Action.SUSPEND or data.get("permanent"):
            data["ends_at"] = None
        elif not data.get("ends_at"):
            self.add_error("ends_at", _("Choose an end date, or tick “Suspend permanently”."))
        elif data["ends_at"] <= timezone.now():
            self.add_error("ends_at", _("The end date must lie in the future."))
        return data


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the report is unfounded (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- pages -----------------------------------------------------------------------------------


def _reported_target(request: HttpRequest, kind: str, object_id: int) -> tuple[Reportable, Any]:
    """What a member reports, if they may see it; otherwise it does not exist."""
    reportable = reportables().get(kind)
    target = reportable.objects().filter(pk=object_id).first() if reportable else None
    if reportable is None or target is None or not reportable.visible_to(target, request.user):
        raise Http404
    return reportable, target


def report_new(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    reportable, target = _reported_target(request, kind, object_id)
    if not request.user.is_authenticated:
        # Imported here: visitor_reports builds on this module's form and service.
        from commonroom.moderation import visitor_reports

        return visitor_reports.content_report(request, reportable, target)
    form = ContentReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            content_report_file(target=target, reporter=acting_member(request), **form.cleaned_data)
        except ValidationError as exc:
            status = 429 if exc.code == "rate_limited" else 400
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. Moderators will look at your report."))
            return redirect(reportable.url(target))
    context = {
        "form": form,
        "label": reportable.label,
        "excerpt": reportable.excerpt(target),
        "url": reportable.url(target),
    }
    status = 400 if status == 200 and form.errors else status
    return render(request, "moderation/content_reports_new.html", context, status=status)


@login_required
def content_reports(request: HttpRequest) -> HttpResponse:
    by = permissions.moderator(request)
    form = ContentReportFilterForm(request.GET or {"status": Status.OPEN})
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(content_reports_for_moderators(**form.filters()), 50).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "rows": rows_for(list(page.object_list), viewer=by),
               "query": query.urlencode()}  # fmt: skip
    return render(request, "moderation/content_reports.html", context)


@login_required
def content_report(request: HttpRequest, report_id: int) -> HttpResponse:
    by = permissions.moderator(request)
    report = get_object_or_404(ContentReport.objects.select_related("content_type"), pk=report_id)
    may_suspend = bool(by.is_staff)
    post = request.POST if request.method == "POST" else None
    act_form = ContentReportActionForm(
        post if post and "act" in post else None, prefix="act", may_suspend=may_suspend
    )
    dismiss_form = DismissForm(post if post and "dismiss" in post else None, prefix="dismiss")
    bound: forms.Form = dismiss_form if dismiss_form.is_bound else act_form
    if bound.is_bound and bound.is_valid():
        data = bound.cleaned_data
        try:
            if bound is dismiss_form:
                content_report_dismiss(report=report, by=by, reason=data["reason"])
            else:
                content_report_act(report=report, by=by, action=data["action"],
                                   reason=data["reason"], until=data.get("ends_at"))  # fmt: skip
        except ValidationError as exc:
            bound.add_error(None, exc)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("moderation:content_reports")
    row = rows_for([report])[0]
    others = ContentReport.objects.filter(
        content_type=report.content_type_id, object_id=report.object_id
    ).select_related("reporter", "handled_by")
    context = {"row": row, "report": report, "others": others, "act_form": act_form,
               "dismiss_form": dismiss_form,
               "own_work": not permissions.may_decide_on(by, report)}  # fmt: skip
    status = 400 if bound.is_bound and bound.errors else 200
    return render(request, "moderation/content_reports_detail.html", context, status=status)
