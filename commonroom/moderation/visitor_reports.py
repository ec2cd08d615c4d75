"""Reports by visitors (§2.4: anyone may report content).

A visitor has no account, so the report form asks for an email address
(personal data: only moderators see it, and erasing a member with that
address blanks it) and is limited per client address, with
VISITOR_REPORT_RATE_LIMIT shared by every kind of report. The report lands
in the same queue as a member's: the member views hand visitors over here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited

from commonroom.moderation import reports
from commonroom.moderation.content_reports import ContentReportForm, Reportable, content_report_file
from commonroom.moderation.forms import ReportForm
from commonroom.resources.models import Resource

# Every visitor report counts against one budget per client address.
RATE_GROUP = "moderation.visitor_report"


def _visitor_rate(group: str, request: HttpRequest) -> str:
    return str(settings.VISITOR_REPORT_RATE_LIMIT)


def _email_field() -> forms.EmailField:
    return forms.EmailField(
        label=gettext_lazy("Your email address"),
        max_length=254,
        help_text=gettext_lazy(
            "Required because you are not signed in. Only the moderators see it, "
            "to ask you more about your report."
        ),
        error_messages={
            "required": gettext_lazy(
                "Give your email address: moderators may need to ask you more."
            ),
        },
    )


def _reason_required(form: forms.BaseForm) -> None:
    form.fields["reason"].error_messages["required"] = _("Choose a reason for your report.")


class VisitorReportForm(ReportForm):
    reporter_email = _email_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _reason_required(self)


class VisitorContentReportForm(ContentReportForm):
    reporter_email = _email_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _reason_required(self)


def _limited(request: HttpRequest, form: forms.BaseForm) -> bool:
    """Count this POST against the client address; over the budget, say so."""
    # Called rather than used as a decorator: the member views hand visitors over here.
    limited = is_ratelimited(
        request, group=RATE_GROUP, key="ip", rate=_visitor_rate, method="POST", increment=True
    )
    if not limited:
        return False
    form.add_error(
        None,
        _(
            "You have sent many reports in a short time. "
            "Please wait an hour before sending another one."
        ),
    )
    return True


def _file(form: forms.BaseForm, filing: Any) -> bool:
    """Run the service; a refusal becomes a form error and nothing is stored."""
    data = form.cleaned_data
    try:
        filing(reason=data["reason"], text=data.get("text", ""), email=data["reporter_email"])
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return False
    return True


def _thanks(request: HttpRequest, url: str) -> HttpResponse:
    messages.success(request, _("Thank you. Moderators will look at your report."))
    return redirect(url)


def resource_report(request: HttpRequest, resource: Resource) -> HttpResponse:
    form = VisitorReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _limited(request, form):
            status = 429
        elif form.is_valid() and _file(
            form, lambda **kw: reports.report_file(resource=resource, by=None, **kw)
        ):
            return _thanks(request, resource.get_absolute_url())
        status = 400 if status == 200 and form.errors else status
    return render(
        request, "moderation/report_new.html", {"form": form, "resource": resource}, status=status
    )


def content_report(request: HttpRequest, reportable: Reportable, target: Any) -> HttpResponse:
    form = VisitorContentReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _limited(request, form):
            status = 429
        elif form.is_valid() and _file(
            form, lambda **kw: content_report_file(target=target, reporter=None, **kw)
        ):
            return _thanks(request, reportable.url(target))
        status = 400 if status == 200 and form.errors else status
    context = {
        "form": form,
        "label": reportable.label,
        "excerpt": reportable.excerpt(target),
        "url": reportable.url(target),
    }
    return render(request, "moderation/content_reports_new.html", context, status=status)
