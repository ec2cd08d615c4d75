from django import forms
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import SingleLineCharField
from commonroom.staffroom.models import Category, ThreadKind

BODY_HELP = _(
    "The staffroom is public: everyone can read it, with your name. You can use Markdown; "
    "mention a colleague with @First Last or @[Full Name]."
)


class ThreadForm(forms.Form):
    title = SingleLineCharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Kind of thread"),
        choices=ThreadKind.choices,
        initial=ThreadKind.QUESTION,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=BODY_HELP,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )


class ModeratorEditForm(EditForm):
    reason = SingleLineCharField(label=_("Reason, sent to the author"), max_length=300)


class HideForm(forms.Form):
    reason = SingleLineCharField(label=_("Reason, sent to the author"), max_length=300)


class ThreadModerationForm(forms.Form):
    ACTIONS = (
        ("lock", _("Lock")),
        ("unlock", _("Unlock")),
        ("pin", _("Pin")),
        ("unpin", _("Unpin")),
        ("move", _("Move")),
        ("merge", _("Merge into another thread")),
        ("split", _("Split off from a reply")),
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    category = forms.ModelChoiceField(
        label=_("Move to category"), queryset=Category.objects.all(), required=False
    )
    into = forms.IntegerField(
        label=_("Merge into thread number"),
        required=False,
        min_value=1,
        help_text=_("The number in the other thread's address: /staffroom/t/<number>/."),
    )
    split_from = forms.IntegerField(
        label=_("Split off from post number"),
        required=False,
        min_value=1,
        help_text=_("The number in the reply's permanent link: /staffroom/p/<number>/."),
    )
    title = SingleLineCharField(label=_("Title of the new thread"), max_length=150, required=False)
    reason = SingleLineCharField(
        label=_("Reason (for the audit log)"), max_length=300, required=False
    )
