from datetime import date
from typing import Any, cast

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import (
    MAX_ID,
    BoundedDateField,
    IdModelMultipleChoiceField,
    SingleLineCharField,
)
from commonroom.moderation import audit_labels
from commonroom.moderation.models import (
    Criterion,
    Decision,
    Notice,
    Report,
    ReportReason,
    Review,
)
from commonroom.taxonomy.forms import TreeChoiceField
from commonroom.taxonomy.models import EducationLevel, ResourceKind, Subject


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


REASON_HELP = _("Sent to the author with the criteria you ticked.")


class CriteriaField(IdModelMultipleChoiceField):
    """The moderation checklist (R26): each criterion with its explanation."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Criteria the resource does not meet"))
        super().__init__(
            queryset=Criterion.objects.filter(active=True),
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "criteria-list"}),
            **kwargs,
        )

    def label_from_instance(self, obj: Criterion) -> SafeString:
        if not obj.explanation:
            return format_html("<strong>{}</strong>", obj.label)
        return format_html(
            '<strong>{}</strong> <span class="criterion-explanation">{}</span>',
            obj.label,
            obj.explanation,
        )


def reason_field(*, required: bool = False, label: Any = None, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label or _("Reason"),
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    CHOICES = [
        (Decision.Action.PUBLISH, _("Publish")),
        (Decision.Action.REQUEST_CHANGES, _("Request changes")),
        (Decision.Action.REJECT, _("Reject")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=CHOICES, widget=forms.RadioSelect)
    criteria = CriteriaField(
        help_text=_("For a refusal: tick the criteria the resource does not meet.")
    )
    reason = reason_field(help_text=REASON_HELP)


class RemovalForm(forms.Form):
    """Removing a resource, a file, or acting on reports: criteria and reason."""

    criteria = CriteriaField()
    reason = reason_field(help_text=REASON_HELP)


class ReportActionForm(RemovalForm):
    criteria = CriteriaField(help_text=_("Only when you remove the resource."))
    reason = reason_field(
        help_text=_("When you remove the resource, the author receives it with the criteria.")
    )


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Why the decision is wrong"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Staff who did not take the decision read your objection and decide."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = reason_field(
        required=True, help_text=_("Sent to the author (and for a notice, to the notifier).")
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "outcome").choices = choices


OBJECTION_OUTCOMES = [
    ("uphold", _("Uphold the refusal")),
    ("overturn", _("Overturn the refusal")),
]
NOTICE_OUTCOMES = [
    ("restore", _("Restore the resource: the notice is unfounded")),
    ("remove", _("Remove the resource: the notice is founded")),
]


class NoticeForm(forms.ModelForm):
    good_faith = forms.BooleanField(
        label=Notice._meta.get_field("good_faith").verbose_name,
        error_messages={"required": _("Confirm the good-faith statement.")},
    )

    class Meta:
        model = Notice
        fields = ["name", "email", "work", "reasons", "good_faith"]
        field_classes = {"name": SingleLineCharField}
        widgets = {
            "work": forms.Textarea(attrs={"rows": 3}),
            "reasons": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "work": _("Describe the work, or give a link to it."),
            "reasons": _(
                "Which part of the resource copies the work, and why that is not allowed."
            ),
        }


def report_reason_field(*, label: Any) -> forms.ChoiceField:
    """The grounds of a report as radio buttons with none chosen: the model
    field would offer (and pre-select) an empty "---------" choice."""
    return forms.ChoiceField(
        label=label,
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason for your report.")},
    )


class ReportForm(forms.ModelForm):
    reason = report_reason_field(label=_("What is wrong with this resource?"))

    class Meta:
        model = Report
        fields = ["reason", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "text": _("Optional: where in the resource, and anything moderators should know.")
        }


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Queue"), required=False, choices=[("", _("All")), *Review.Kind.choices]
    )
    resource_kind = forms.ModelChoiceField(
        label=_("Resource kind"),
        required=False,
        queryset=ResourceKind.objects.all(),
        empty_label=_("All"),
    )
    subject = TreeChoiceField(
        label=_("Subject"), required=False, queryset=Subject.objects.all(), empty_label=_("All")
    )
    level = TreeChoiceField(
        label=_("Education level"),
        required=False,
        queryset=EducationLevel.objects.all(),
        empty_label=_("All"),
    )
    older_than = forms.IntegerField(
        label=_("Waiting more than (days)"), required=False, min_value=0, max_value=3650
    )

    def filters(self) -> dict[str, Any]:
        """The valid filters; a wrong one is shown with its error and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("kind") or "",
            "resource_kind": data.get("resource_kind"),
            "subject": data.get("subject"),
            "level": data.get("level"),
            "older_than_days": data.get("older_than"),
        }


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "status").choices = [("", _("All")), *choices]

    def chosen(self) -> str:
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("status") or "")


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    resource = forms.IntegerField(
        label=_("Resource number"), required=False, min_value=1, max_value=MAX_ID
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "action").choices = [("", _("All")), *audit_labels.action_choices(actions)]

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"action": data.get("action") or "", "resource_id": data.get("resource")}


# A report covers days the platform can have existed on; past the calendar's
# ends (year 1, year 9999) the day after the period cannot even be computed.
REPORT_FIRST_DAY = date(2000, 1, 1)
REPORT_LAST_DAY = date(2999, 12, 31)


class PeriodForm(forms.Form):
    start = BoundedDateField(
        first=REPORT_FIRST_DAY,
        last=REPORT_LAST_DAY,
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = BoundedDateField(
        first=REPORT_FIRST_DAY,
        last=REPORT_LAST_DAY,
        label=_("To (included)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("end", _("The end date must not be before the start date."))
        return data
