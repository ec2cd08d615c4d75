"""Form fields for the vocabulary trees: choices in tree order, each child
labelled with its parent so "Second stage" under secondary and under
primary can be told apart."""

from collections.abc import Iterator
from typing import Any

from django.forms.models import ModelChoiceIterator

from commonroom.core.fields import IdModelMultipleChoiceField


class TreeChoiceIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        terms = list(self.queryset)
        children: dict[int | None, list[Any]] = {}
        for term in terms:
            children.setdefault(term.parent_id, []).append(term)
        by_id = {term.pk: term for term in terms}

        def walk(parent_id: int | None) -> Iterator[Any]:
            for term in sorted(children.get(parent_id, []), key=lambda t: (t.position, t.slug)):
                yield self.choice(term)
                yield from walk(term.pk)

        self.field.tree_index = by_id  # type: ignore[attr-defined]
        yield from walk(None)


class TreeMultipleChoiceField(IdModelMultipleChoiceField):
    iterator = TreeChoiceIterator

    def label_from_instance(self, obj: Any) -> str:
        index = getattr(self, "tree_index", {})
        parent = index.get(obj.parent_id)
        return f"{parent.label} › {obj.label}" if parent else obj.label
