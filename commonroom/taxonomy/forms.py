"""Form fields for the level and subject trees: choices in tree order, each
parent once and before its children, shown with the tree widgets of
``taxonomy.widgets``. Every form that chooses a level or a subject uses these
fields (``tests/test_item13_tree_fields.py`` checks that)."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator

from commonroom.core.fields import IdModelMultipleChoiceField
from commonroom.taxonomy.selectors import TreeEntry, tree_order
from commonroom.taxonomy.widgets import TreeCheckboxSelectMultiple, TreeSelect


class TreeChoiceIterator(ModelChoiceIterator[Any]):
    """The queryset's terms in tree order; each choice value carries its
    ``TreeEntry`` (as ``tree_entry``) for the widgets."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for entry in tree_order(self.queryset):
            entries: dict[int, TreeEntry[Any]] = getattr(self.field, "tree_entries", {})
            entries[entry.term.pk] = entry
            value, label = self.choice(entry.term)
            # The widgets read the term's place in the tree from its value.
            setattr(value, "tree_entry", entry)  # noqa: B010
            yield value, label


class TreeFieldMixin:
    """Each form's copy of the field keeps its own tree entries."""

    tree_entries: dict[int, TreeEntry[Any]]

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)  # type: ignore[misc]
        result.tree_entries = {}
        return result


def tree_label(field: Any, obj: Any) -> str:
    entry: TreeEntry[Any] | None = getattr(field, "tree_entries", {}).get(obj.pk)
    return entry.path_label if entry else str(obj.label)


class TreeMultipleChoiceField(TreeFieldMixin, IdModelMultipleChoiceField):
    """Several levels or subjects, as nested checkboxes."""

    iterator = TreeChoiceIterator
    widget = TreeCheckboxSelectMultiple

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.tree_entries: dict[int, TreeEntry[Any]] = {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return tree_label(self, obj)


class TreeChoiceField(TreeFieldMixin, forms.ModelChoiceField[Any]):
    """One level or subject, as a select grouped by the tree's roots."""

    iterator = TreeChoiceIterator
    widget = TreeSelect

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.tree_entries: dict[int, TreeEntry[Any]] = {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return tree_label(self, obj)
