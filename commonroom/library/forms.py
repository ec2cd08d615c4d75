from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonroom.core.fields import SingleLineCharField
from commonroom.library.models import NOTE_MAX_LENGTH, Collection


class CollectionForm(forms.ModelForm[Collection]):
    class Meta:
        model = Collection
        fields = ["title", "description", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        labels = {"is_public": _("Public collection")}
        field_classes = {"title": SingleLineCharField}


def _lazy_text(build: Any) -> str:
    return lazy(build, str)()


def note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        # Lazy as a whole: "%" on a lazy text reads it at once, at import, in
        # whatever language was active then (English on a Dutch page, item 9).
        help_text=_lazy_text(
            lambda: (
                gettext("Optional, up to %(max)d characters: why it is here, or how you use it.")
                % {"max": NOTE_MAX_LENGTH}
            )
        ),
    )


class AddToCollectionForm(forms.Form):
    """Add a resource to one of my collections, or to a new one named here."""

    collection = forms.ModelChoiceField(
        label=_("Collection"),
        queryset=Collection.objects.none(),
        required=False,
        empty_label=_("A new collection…"),
    )
    new_title = SingleLineCharField(
        label=_("Name of the new collection"),
        required=False,
        max_length=120,
        help_text=_("Only when you choose “A new collection”. It starts as private."),
    )
    note = note_field()

    def __init__(self, *args: Any, owner: object, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["collection"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- narrows the type
        field.queryset = Collection.objects.owned_by(owner).order_by("title")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("collection") and not (data.get("new_title") or "").strip():
            self.add_error("new_title", _("Choose a collection or give the new one a name."))
        return data


class ItemNoteForm(forms.Form):
    note = note_field()


class DeleteCollectionForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete this collection for good. The resources in it stay online.")
    )
