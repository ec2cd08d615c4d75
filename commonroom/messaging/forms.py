from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.models import Member
from commonroom.core.fields import id_from
from commonroom.messaging.models import BODY_MAX_LENGTH
from commonroom.messaging.services import CANNOT_RECEIVE, MAX_RECIPIENTS
from commonroom.moderation.models import ReportReason


def body_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text; web addresses become links. At most 5,000 characters."),
    )


class RecipientsField(forms.MultipleChoiceField):
    """Member ids, from a link (?to=12) or ticked in the search results.
    Any id is accepted here; the form says "cannot receive" for unknown ones,
    with the same words as for a member who cannot be written to."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value: Any) -> bool:
        return id_from(value) is not None


class ComposeForm(forms.Form):
    """One form to find colleagues by name, tick them and write: the search
    button re-shows the form with the results, keeping what was typed."""

    q = forms.CharField(
        label=_("Find a member by name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    to = RecipientsField(
        label=_("To"),
        help_text=_("Tick the members you write to."),
        error_messages={"required": _("Choose at least one member to write to.")},
    )
    body = body_field(_("Message"))

    def __init__(self, *args: Any, candidates: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, RecipientsField)  # noqa: S101 - narrows the type
        field.choices = [(str(m.pk), m.display_name) for m in candidates]
        # The view found the candidates through the visibility rule; an id
        # outside them is a member this sender may not see.
        self._candidates = {m.pk: m for m in candidates}

    def clean_to(self) -> list[Member]:
        ids = sorted({int(value) for value in self.cleaned_data["to"]})
        if len(ids) > MAX_RECIPIENTS:
            raise ValidationError(
                _("You can write to at most %(count)d members at once."),
                code="too_many",
                params={"count": MAX_RECIPIENTS},
            )
        if not set(ids) <= self._candidates.keys():
            raise ValidationError(CANNOT_RECEIVE, code="cannot_receive")
        return [self._candidates[i] for i in ids]


class ReplyForm(forms.Form):
    body = body_field(_("Your reply"))


class MessageReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this message?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. The sender does not see who reported the message."),
    )


class ModerationNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the audit log. When you remove the message, the sender receives it too."
        ),
    )
