from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import SingleLineCharField
from commonroom.social.models import ClassroomUse, Reaction
from commonroom.taxonomy.forms import TreeChoiceField


class ReactionForm(forms.ModelForm):
    class Meta:
        model = Reaction
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "body": _(
                "Reactions are public: everyone can read them, with your name. "
                "You can use Markdown."
            ),
        }


def _stars(n: int) -> str:
    return lazy(lambda: gettext("%(n)d of 5 stars") % {"n": n}, str)()


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        # Lazy: "%" on a lazy text would read it at import, in one language.
        choices=[(n, _stars(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )


class ClassroomUseForm(forms.ModelForm):
    class Meta:
        model = ClassroomUse
        fields = ["level", "subject", "note"]
        field_classes = {"level": TreeChoiceField, "subject": TreeChoiceField}


class ModeratorReactionForm(forms.Form):
    body = forms.CharField(
        label=_("Reaction"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000
    )
    reason = SingleLineCharField(label=_("Reason, sent to the author"), max_length=300)
