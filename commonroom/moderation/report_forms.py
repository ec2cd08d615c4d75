"""Forms of the one report system (R21): filing a report on any kind, the
moderators' queue filter and their decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.moderation.models import Report, ReportReason
from commonroom.moderation.report_registry import reportables

Action = Report.Action


class ContentReportForm(forms.ModelForm[Report]):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Report
        fields = ["reason", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"text": gettext_lazy("Optional: anything moderators should know.")}


class ContentReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        required=False,
        choices=[("", gettext_lazy("All")), *ReportReason.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *Report.Status.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(kind, r.label) for kind, r in sorted(reportables().items())]
        self.fields["kind"].choices = [("", _("All")), *kinds]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("kind", "reason", "status")}


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
