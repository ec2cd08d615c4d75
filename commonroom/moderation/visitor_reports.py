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

from commonroom.core.forms import service_error_onto_form
from commonroom.moderation.forms import ReportForm
from commonroom.moderation.report_forms import ContentReportForm
from commonroom.moderation.report_services import report_file

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
        service_error_onto_form(form, exc)
        return False
    return True


def _thanks(request: HttpRequest, url: str) -> HttpResponse:
    messages.success(request, _("Thank you. Moderators will look at your report."))
    return redirect(url)


def visitor_report(
    request: HttpRequest,
    *,
    target: Any,
    url: str,
    template: str,
    context: dict[str, Any],
    form_class: type[forms.BaseForm] = VisitorContentReportForm,
) -> HttpResponse:
    """A visitor reports ``target``, of any reportable kind; back to ``url`` after."""
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if _limited(request, form):
            status = 429
        elif form.is_valid() and _file(
            form, lambda **kw: report_file(target=target, reporter=None, **kw)
        ):
            return _thanks(request, url)
        status = 400 if status == 200 and form.errors else status
    return render(request, template, {"form": form, **context}, status=status)
