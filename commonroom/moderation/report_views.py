"""Pages of the one report system (R21): the report form for any registered
kind, and the moderators' one queue and report page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from commonroom.accounts.permissions import acting_member
from commonroom.core.forms import service_error_onto_form
from commonroom.moderation import permissions, visitor_reports
from commonroom.moderation.models import Report
from commonroom.moderation.report_forms import (
    ContentReportActionForm,
    ContentReportFilterForm,
    ContentReportForm,
    DismissForm,
)
from commonroom.moderation.report_registry import Reportable, reportables
from commonroom.moderation.report_selectors import reports_for_moderators, reports_on, rows_for
from commonroom.moderation.report_services import report_act, report_dismiss, report_file


def _reported_target(request: HttpRequest, kind: str, object_id: int) -> tuple[Reportable, Any]:
    """What someone reports, if they may see it; otherwise it does not exist."""
    reportable = reportables().get(kind)
    target = reportable.objects().filter(pk=object_id).first() if reportable else None
    if reportable is None or target is None or not reportable.visible_to(target, request.user):
        raise Http404
    return reportable, target


def report_new(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    reportable, target = _reported_target(request, kind, object_id)
    context = {
        "label": reportable.label,
        "excerpt": reportable.excerpt(target),
        "url": reportable.url(target),
    }
    template = "moderation/content_reports_new.html"
    if not request.user.is_authenticated:
        return visitor_reports.visitor_report(
            request, target=target, url=reportable.url(target), template=template, context=context
        )
    form = ContentReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report_file(target=target, reporter=acting_member(request), **form.cleaned_data)
        except ValidationError as exc:
            status = 429 if exc.code == "rate_limited" else 400
            service_error_onto_form(form, exc)
        else:
            messages.success(request, _("Thank you. Moderators will look at your report."))
            return redirect(reportable.url(target))
    status = 400 if status == 200 and form.errors else status
    return render(request, template, {"form": form, **context}, status=status)


@login_required
def content_reports(request: HttpRequest) -> HttpResponse:
    """The one queue: reports on every kind, filtered by kind, reason and status."""
    by = permissions.moderator(request.user)
    form = ContentReportFilterForm(request.GET or {"status": Report.Status.OPEN})
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(reports_for_moderators(**form.filters()), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "rows": rows_for(list(page.object_list), viewer=by),
               "query": query.urlencode()}  # fmt: skip
    return render(request, "moderation/content_reports.html", context)


@login_required
def content_report(request: HttpRequest, report_id: int) -> HttpResponse:
    by = permissions.moderator(request.user)
    report = get_object_or_404(Report.objects.select_related("content_type"), pk=report_id)
    row = rows_for([report])[0]
    if row.private:
        # Private content is read only on its owning app's page.
        return redirect(row.detail_url)
    post = request.POST if request.method == "POST" else None
    act_form = ContentReportActionForm(
        post if post and "act" in post else None, prefix="act", may_suspend=bool(by.is_staff)
    )
    dismiss_form = DismissForm(post if post and "dismiss" in post else None, prefix="dismiss")
    bound: forms.Form = dismiss_form if dismiss_form.is_bound else act_form
    if bound.is_bound and bound.is_valid():
        data = bound.cleaned_data
        try:
            if bound is dismiss_form:
                report_dismiss(report=report, by=by, reason=data["reason"])
            else:
                report_act(report=report, by=by, action=data["action"], reason=data["reason"],
                           until=data.get("ends_at"))  # fmt: skip
        except ValidationError as exc:
            service_error_onto_form(bound, exc)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("moderation:content_reports")
    context = {"row": row, "report": report, "others": reports_on(report), "act_form": act_form,
               "dismiss_form": dismiss_form,
               "own_work": not permissions.may_decide_on(by, report)}  # fmt: skip
    status = 400 if bound.is_bound and bound.errors else 200
    return render(request, "moderation/content_reports_detail.html", context, status=status)
