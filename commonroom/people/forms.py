from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import IdModelMultipleChoiceField, SingleLineCharField
from commonroom.people.models import TutorListing
from commonroom.taxonomy.forms import TreeChoiceField, TreeMultipleChoiceField, tree_label
from commonroom.taxonomy.models import EducationLevel, Province, Subject


class CountedChoiceField(forms.ModelChoiceField):
    """A vocabulary term; with ``counts`` set, each label says how many
    results it gives."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counts: dict[int, int] | None = None

    def term_label(self, obj: Any) -> str:
        return str(obj.label)

    def model_queryset(self) -> QuerySet[Any]:
        if self.queryset is None:
            raise ValueError("the field has no queryset")
        return self.queryset

    def label_from_instance(self, obj: Any) -> str:
        label = self.term_label(obj)
        return label if self.counts is None else f"{label} ({self.counts.get(obj.pk, 0)})"


class CountedTreeChoiceField(CountedChoiceField, TreeChoiceField):
    """One level or subject, in the tree widget, named with its ancestors."""

    def term_label(self, obj: Any) -> str:
        return tree_label(self, obj)


def _choice(label: str | Promise, queryset: Any, tree: bool = True) -> CountedChoiceField:
    field_class = CountedTreeChoiceField if tree else CountedChoiceField
    return field_class(
        label=label,
        queryset=queryset,
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
    )


class SearchForm(forms.Form):
    """Filters shared by the directory and the tutor database; invalid
    choices are ignored rather than refused, as in any search."""

    subject = _choice(_("Subject"), Subject.objects.all())
    level = _choice(_("Level"), EducationLevel.objects.all())
    province = _choice(_("Province"), Province.objects.all(), tree=False)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in ("subject", "level", "province")}


class DirectoryForm(SearchForm):
    q = forms.CharField(
        label=_("Name, school or expertise"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    field_order = ["q", "subject", "level", "province"]

    def filters(self) -> dict[str, Any]:
        found = super().filters()
        found["query"] = (getattr(self, "cleaned_data", {}).get("q") or "").strip()
        return found


class TutorSearchForm(SearchForm):
    province = _choice(_("Region"), Province.objects.all(), tree=False)

    def show_counts(
        self, *, subjects: dict[int, int], levels: dict[int, int], provinces: dict[int, int]
    ) -> None:
        """Label each choice with its count; choices without results are left
        out, except the one chosen, so the lists stay short."""
        for name, counts in (("subject", subjects), ("level", levels), ("province", provinces)):
            field = cast(CountedChoiceField, self.fields[name])
            chosen = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            keep = {pk for pk, n in counts.items() if n} | ({chosen.pk} if chosen else set())
            field.counts = counts
            field.queryset = field.model_queryset().filter(pk__in=keep)


class TutorListingForm(forms.ModelForm):
    subjects = TreeMultipleChoiceField(
        label=_("Subjects"),
        queryset=Subject.objects.all(),
    )
    levels = TreeMultipleChoiceField(
        label=_("Levels"),
        queryset=EducationLevel.objects.all(),
    )
    provinces = IdModelMultipleChoiceField(
        label=_("Regions where you can tutor"),
        queryset=Province.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
    )

    class Meta:
        model = TutorListing
        fields = ["offer", "subjects", "levels", "provinces", "availability", "is_active"]
        field_classes = {"availability": SingleLineCharField}
        widgets = {"offer": forms.Textarea(attrs={"rows": 5, "maxlength": 1000})}


class VerifyForm(forms.Form):
    organisation_name = SingleLineCharField(label=_("Organisation"), max_length=200)
