from django import forms
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import SingleLineCharField
from commonroom.legal.models import ContactMessage


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 8})}
        # The subject heads the mail to the operator: a line break there loses it.
        field_classes = {"name": SingleLineCharField, "subject": SingleLineCharField}


class MaintenanceForm(forms.Form):
    enabled = forms.BooleanField(label=_("Maintenance mode on"), required=False)
    message_nl = forms.CharField(
        label=_("Message (Dutch)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    message_en = forms.CharField(
        label=_("Message (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("enabled") and not (data.get("message_nl") or data.get("message_en")):
            raise forms.ValidationError(
                _("Write a message for visitors: what is happening and until when.")
            )
        return data
