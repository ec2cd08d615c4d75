"""Moderation pages (R21, R26 to R30): each view parses input, fetches through
a permission check, calls one service and renders."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.accounts.permissions import acting_member
from commonroom.core.charts import Series, bar_chart, chart_table
from commonroom.core.fields import id_from
from commonroom.core.forms import form_status, service_error_onto_form
from commonroom.core.outbox import outbox_counts
from commonroom.moderation import (
    appeals,
    audit_labels,
    permissions,
    queue_selectors,
    reports,
    selectors,
    services,
)
from commonroom.moderation.forms import (
    NOTICE_OUTCOMES,
    OBJECTION_OUTCOMES,
    AuditFilterForm,
    DecisionForm,
    ObjectionForm,
    OutcomeForm,
    PeriodForm,
    QueueFilterForm,
    ReportActionForm,
    StatusFilterForm,
)
from commonroom.moderation.models import Notice, Objection, Review

PAGE_SIZE = 50
# Which form field a service's error belongs to, by its code.
ERROR_FIELDS = {"reason_required": "reason", "text_required": "text", "good_faith": "good_faith"}


def show_error(form: BaseForm, exc: ValidationError) -> None:
    service_error_onto_form(form, exc, ERROR_FIELDS)


def _page(request: HttpRequest, items: Any) -> dict[str, Any]:
    """One page of a list, and the query string that keeps its filters."""
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "query": query.urlencode()}


def back_to_review(request: HttpRequest, default: str) -> str:
    review_id = id_from(request.GET.get("review", ""))
    return default if review_id is None else reverse("moderation:review", args=[review_id])


# Permission-checked getters this module needs beyond moderation/permissions.py.


# --- the queue and the review page ---------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    by = permissions.moderator(request.user)
    if request.method == "POST":
        return _claim_or_release(request, by)
    form = QueueFilterForm(request.GET or None)
    reviews = queue_selectors.review_queue(**form.filters(), for_member=by)
    return render(
        request,
        "moderation/queue.html",
        {
            "form": form,
            "counts": queue_selectors.queue_counts(for_member=by),
            **_page(request, reviews),
        },
    )


def _claim_or_release(request: HttpRequest, by: Member) -> HttpResponse:
    claim, release = request.POST.get("claim", ""), request.POST.get("release", "")
    review_id = id_from(claim or release)
    if review_id is None:
        return redirect("moderation:queue")
    review = permissions.review_for_moderator(request.user, review_id)
    try:
        if claim:
            services.review_claim(review=review, by=by)
        else:
            services.review_release(review=review, by=by)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("moderation:queue")
    if claim:
        return redirect("moderation:review", review.pk)
    messages.success(request, _("The item is back in the queue for anyone to take."))
    return redirect("moderation:queue")


REVIEW_COMMANDS = ("decide", "dismiss", "uphold")


@login_required
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    item = permissions.review_for_moderator(request.user, review_id)
    by = permissions.moderator(request.user)
    post = request.POST if request.method == "POST" else None
    command = next((name for name in REVIEW_COMMANDS if post and name in post), "")
    if post is not None and not command:
        return redirect("moderation:review", item.pk)
    decision_form = DecisionForm(post if command == "decide" else None, prefix="decision")
    report_form = ReportActionForm(
        post if command in ("dismiss", "uphold") else None, prefix="report"
    )
    bound: BaseForm = report_form if report_form.is_bound else decision_form
    if command and bound.is_valid():
        try:
            _decide(item, by, command, bound.cleaned_data)
        except ValidationError as exc:
            show_error(bound, exc)
        else:
            messages.success(request, _("Decision saved; the author has been told."))
            return redirect("moderation:queue")
    return render(
        request,
        "moderation/review.html",
        {
            "review": item,
            **queue_selectors.review_page(item, item.target),
            "reports": queue_selectors.review_reports(item)
            if item.kind == Review.Kind.REPORT
            else [],
            "decisions": queue_selectors.decisions_about(item.target),
            "decision_form": decision_form,
            "report_form": report_form,
            "own_work": not permissions.may_decide_on(by, item),
        },
        status=form_status(bound),
    )


def _decide(item: Review, by: Member, command: str, data: dict[str, Any]) -> None:
    """Reports are dismissed or upheld; everything else is published or refused."""
    criteria, reason = list(data["criteria"]), data["reason"]
    if (command == "decide") == (item.kind == Review.Kind.REPORT):
        raise ValidationError(_("This action does not fit this item."), code="wrong_form")
    if command == "decide":
        services.review_decide(
            review=item, by=by, action=data["action"], criteria=criteria, reason=reason
        )
    elif command == "dismiss":
        reports.report_dismiss(review=item, by=by, reason=reason)
    else:
        reports.report_uphold(review=item, by=by, reason=reason, criteria=criteria)


# --- objections (R28) ------------------------------------------------------------------------


@login_required
def objection_file(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = permissions.decision_for_author(request.user, decision_id)
    existing = queue_selectors.objection_for(decision)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.objection_file(
                decision=decision, by=acting_member(request), text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Your objection is filed. Staff will decide and tell you."))
            return redirect("moderation:object", decision.pk)
    return render(
        request,
        "moderation/objection_file.html",
        {
            "decision": decision,
            "objection": existing,
            "form": form,
            "objectable": decision.action in appeals.OBJECTABLE,
        },
        status=form_status(form),
    )


@login_required
def objections(request: HttpRequest) -> HttpResponse:
    by = permissions.staff(request.user)
    form = StatusFilterForm(
        request.GET or {"status": Objection.Status.FILED}, choices=Objection.Status.choices
    )
    items = selectors.objections_for_staff(form.chosen(), for_member=by)
    return render(request, "moderation/objections.html", {"form": form, **_page(request, items)})


@login_required
def objection_decide(request: HttpRequest, objection_id: int) -> HttpResponse:
    objection = permissions.objection_for_staff(request.user, objection_id)
    by = permissions.staff(request.user)
    form = OutcomeForm(request.POST or None, choices=OBJECTION_OUTCOMES)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.objection_decide(
                objection=objection,
                by=by,
                reason=form.cleaned_data["reason"],
                overturn=form.cleaned_data["outcome"] == "overturn",
            )
        except ValidationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The objection is decided; the author has been told."))
            return redirect("moderation:objections")
    return render(
        request,
        "moderation/objection_decide.html",
        {
            "objection": objection,
            "decision": objection.decision,
            "form": form,
            "own_work": not permissions.may_decide_on(by, objection),
        },
        status=form_status(form),
    )


# --- notices (R29) and reports (R21) ----------------------------------------------------------


def notice_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/notice_sent.html")


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    by = permissions.staff(request.user)
    form = StatusFilterForm(
        request.GET or {"status": Notice.Status.OPEN}, choices=Notice.Status.choices
    )
    items = selectors.notices_for_staff(form.chosen(), for_member=by)
    return render(request, "moderation/notices.html", {"form": form, **_page(request, items)})


@login_required
def notice_decide(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = permissions.notice_for_staff(request.user, notice_id)
    by = permissions.staff(request.user)
    form = OutcomeForm(request.POST or None, choices=NOTICE_OUTCOMES)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.notice_decide(
                notice=notice,
                by=by,
                reason=form.cleaned_data["reason"],
                restore=form.cleaned_data["outcome"] == "restore",
            )
        except ValidationError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request, _("The notice is decided; the author and the notifier have been told.")
            )
            return redirect("moderation:notices")
    return render(
        request,
        "moderation/notice_decide.html",
        {"notice": notice, "form": form, "own_work": not permissions.may_decide_on(by, notice)},
        status=form_status(form),
    )


# --- numbers (R30) -------------------------------------------------------------------------------


CHART_SERIES = 5  # the chart palette has six colours: five criteria and "other"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    permissions.moderator(request.user)
    data = selectors.dashboard()
    labels = [date_format(week, "j M") for week in data.weeks]
    series = [Series(label, [float(n) for n in row]) for label, row in data.per_criterion.items()]
    # The chart shows the most used criteria and sums the rest; the table lists them all.
    ranked = sorted(series, key=lambda s: -sum(s.values))
    drawn = ranked[:CHART_SERIES]
    if rest := ranked[CHART_SERIES:]:
        drawn.append(
            Series(
                _("Other criteria"), [sum(v) for v in zip(*(s.values for s in rest), strict=True)]
            )
        )
    chart = bar_chart(
        title=_("Decisions per criterion, per week"),
        x_labels=labels,
        series=drawn,
        stacked=True,
        width=960,
        height=360,
    )
    table = chart_table(
        caption=_("Decisions per criterion, per week starting on"), x_labels=labels, series=series
    )
    # Staff also see background work that failed (mail included), so none is lost unseen.
    background = outbox_counts() if request.user.is_staff else None
    return render(
        request,
        "moderation/dashboard.html",
        {"data": data, "chart": chart, "table": table, "background": background},
    )


@login_required
def transparency(request: HttpRequest) -> HttpResponse:
    permissions.staff(request.user)
    start, end = selectors.last_full_quarter(timezone.localdate())
    form = PeriodForm(
        request.GET if "start" in request.GET else None, initial={"start": start, "end": end}
    )
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = selectors.transparency_report(start, end)
    if request.GET.get("format") == "csv" and not form.errors:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="transparency-{start.isoformat()}-{end.isoformat()}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(["metric", "value"])
        writer.writerow(["period_start", start.isoformat()])
        writer.writerow(["period_end", end.isoformat()])
        for metric in report.metrics():
            writer.writerow([metric.key, "" if metric.value is None else metric.value])
        return response
    query = f"start={start.isoformat()}&end={end.isoformat()}&format=csv"
    return render(
        request,
        "moderation/transparency.html",
        {"form": form, "report": report, "csv_query": query},
        status=form_status(form),
    )


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    permissions.staff(request.user)
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions())
    entries = selectors.audit_log(**form.filters())
    context = _page(request, entries)
    context["rows"] = audit_labels.audit_rows(context["page"])
    return render(request, "moderation/audit.html", {"form": form, **context})
