"""The tree widgets for levels and subjects (issue 13 item 13): used by every
form that chooses one (``taxonomy.forms``). They need choices from
``TreeChoiceIterator``, whose values carry their place in the tree.

- ``TreeCheckboxSelectMultiple``: nested checkboxes, each parent once with
  its children after it, indented and folded in a ``<details>`` (one Tab
  stop instead of one per child; open when a child is chosen). A child's
  label names its ancestors for screen readers, as a group label would.
- ``TreeSelect``: a select whose roots with children head an ``<optgroup>``
  holding the root itself and its descendants, each named with its
  ancestors, so "First stage" under primary and under secondary differ.
Both work without JavaScript."""

from dataclasses import dataclass, field
from typing import Any

from django import forms


@dataclass
class TreeNode:
    option: dict[str, Any]
    label: str
    ancestors_label: str
    children: list["TreeNode"] = field(default_factory=list)

    @property
    def path_label(self) -> str:
        return f"{self.ancestors_label} › {self.label}" if self.ancestors_label else self.label

    @property
    def open(self) -> bool:
        """Shown unfolded when a descendant is chosen, so a choice is never hidden."""
        return any(child.option["selected"] or child.open for child in self.children)


def _entry(option: dict[str, Any]) -> Any:
    return getattr(option["value"], "tree_entry", None)


class TreeCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    template_name = "taxonomy/widgets/tree_checkboxes.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        roots: list[TreeNode] = []
        stack: list[TreeNode] = []
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                entry = _entry(option)
                depth = entry.depth if entry else 0
                ancestors = [str(t.label) for t in entry.ancestors] if entry else []
                node = TreeNode(
                    option=option,
                    label=str(entry.term.label) if entry else str(option["label"]),
                    ancestors_label=" › ".join(ancestors),
                )
                del stack[depth:]
                (stack[-1].children if stack else roots).append(node)
                stack.append(node)
        context["widget"]["tree"] = roots
        return context


class TreeSelect(forms.Select):
    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> Any:
        flat = super().optgroups(name, value, attrs)
        grouped: list[tuple[str | None, list[dict[str, Any]], int | None]] = []
        has_children = {
            entry.ancestors[0].pk
            for _group, options, _index in flat
            for option in options
            if (entry := _entry(option)) and entry.ancestors
        }
        for _group, options, index in flat:
            for option in options:
                entry = _entry(option)
                root = (entry.ancestors[0] if entry.ancestors else entry.term) if entry else None
                if root is None or root.pk not in has_children:
                    grouped.append((None, [option], index))
                elif entry.term is root or not grouped or grouped[-1][0] != str(root.label):
                    grouped.append((str(root.label), [option], index))
                else:
                    grouped[-1][1].append(option)
        return grouped
