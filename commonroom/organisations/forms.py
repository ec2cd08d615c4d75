"""Forms of organisation pages, offers, the directory and the selection guide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import IdModelMultipleChoiceField, SingleLineCharField
from commonroom.organisations.guide import Answers, Sessions
from commonroom.organisations.models import (
    Organisation,
    TrainingFormat,
    TrainingOffer,
    TrainingRole,
)
from commonroom.taxonomy.forms import TreeMultipleChoiceField
from commonroom.taxonomy.models import EducationLevel, Province, TrainingTheme
from commonroom.taxonomy.selectors import subtree_ids

LOGO_HELP = _("A JPEG, PNG, WebP or GIF image; it is re-encoded and its metadata removed.")


class OrganisationForm(forms.ModelForm[Organisation]):
    logo = forms.FileField(label=_("Logo"), required=False, help_text=LOGO_HELP)

    class Meta:
        model = Organisation
        fields = ["name", "kind", "address", "province", "website", "email", "description"]
        field_classes = {"name": SingleLineCharField, "address": SingleLineCharField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, told to the organisation's administrators"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AdministratorForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the member's account"),
        help_text=_(
            "They must have an account with a verified address. They are told, and become "
            "an administrator when they accept."
        ),
    )


def _choices(choices: Any) -> Any:
    return forms.MultipleChoiceField(
        choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class OfferForm(forms.ModelForm[TrainingOffer]):
    themes = IdModelMultipleChoiceField(
        label=_("Themes"),
        queryset=TrainingTheme.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
    )
    levels = TreeMultipleChoiceField(
        label=_("Education levels"), queryset=EducationLevel.objects.all(), required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("For whom"),
        choices=TrainingRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    provinces = IdModelMultipleChoiceField(
        label=_("Provinces served"),
        queryset=Province.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=TrainingFormat.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TrainingOffer
        fields = [
            "title",
            "description",
            "themes",
            "levels",
            "roles",
            "provinces",
            "formats",
            "sessions",
            "duration",
            "price_range",
            "contact_person",
            "contact_channel",
            "is_active",
        ]
        field_classes = {
            "title": SingleLineCharField,
            "duration": SingleLineCharField,
            "contact_person": SingleLineCharField,
            "contact_channel": SingleLineCharField,
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 8, "maxlength": 5000})}


class DirectoryForm(forms.Form):
    """The directory's filters; a choice that does not exist is ignored, as in any search."""

    SORTS = (("name", _("Name")), ("offers", _("Most offers")), ("newest", _("Newest")))

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=TrainingTheme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All themes"),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All provinces"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "name": (data.get("q") or "").strip(),
            "theme": data.get("theme"),
            "province": data.get("province"),
            "sort": data.get("sort") or "name",
        }


class GuideForm(forms.Form):
    """The selection guide's questions (R25): a GET form, shareable as a link."""

    SESSIONS = (
        ("", _("No preference")),
        (Sessions.ONE, _("One session")),
        (Sessions.FEW, _("Two to four sessions")),
        (Sessions.MANY, _("Five or more sessions")),
    )

    themes = forms.ModelMultipleChoiceField(
        label=_("What do you want to work on?"),
        queryset=TrainingTheme.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("For whom?"),
        choices=TrainingRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The levels' tree, as everywhere a level is chosen; a level counts
    # with its subtree (``subtree_ids`` below).
    levels = TreeMultipleChoiceField(
        label=_("At which education levels?"),
        queryset=EducationLevel.objects.all(),
        to_field_name="slug",
        required=False,
    )
    province = forms.ModelChoiceField(
        label=_("Where is your school?"),
        queryset=Province.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Anywhere"),
    )
    formats = forms.MultipleChoiceField(
        label=_("In which format?"),
        choices=TrainingFormat.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sessions = forms.ChoiceField(
        label=_("How many sessions?"),
        choices=SESSIONS,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(self._known(data) if data is not None else None, **kwargs)

    def _known(self, data: QueryDict) -> QueryDict:
        """The answers that are among the choices: one unknown value (an old
        or edited link) must not void the whole question."""
        known = QueryDict(mutable=True)
        for name, field in self.base_fields.items():
            values = data.getlist(name)
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                allowed = {
                    str(v) for v in queryset.filter(slug__in=values).values_list("slug", flat=True)
                }
            else:
                allowed = {str(value) for value, _label in getattr(field, "choices", [])}
            known.setlist(name, [v for v in values if v in allowed])
        return known

    def answers(self) -> Answers:
        """The answers given; an answer that is not one of the choices is
        left out, so an old or edited link still shows a result."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        province = data.get("province")
        return Answers(
            themes=frozenset(t.pk for t in data.get("themes") or ()),
            levels=frozenset(
                pk
                for level in data.get("levels") or ()
                for pk in subtree_ids(EducationLevel, level)
            ),
            roles=frozenset(data.get("roles") or ()),
            province=province.pk if province else None,
            formats=frozenset(data.get("formats") or ()),
            sessions=data.get("sessions") or "",
        )


def answers_from_query(query: str) -> Answers:
    return GuideForm(QueryDict(query)).answers()
