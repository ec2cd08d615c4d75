"""Reads of the vocabularies; the walks over the level and subject trees."""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Prefetch, QuerySet

from commonroom.taxonomy.models import EducationLevel, Subject, TreeTerm

T = TypeVar("T", bound=TreeTerm)
M = TypeVar("M", bound=Model)


def subject_tree() -> QuerySet[Subject]:
    return Subject.objects.roots().prefetch_related(
        Prefetch("children", queryset=Subject.objects.order_by("position"))
    )


def subtree_ids(model: type[Model], term: Any) -> list[int]:
    """The term and every term below it, at any depth (children, grandchildren,
    ...): filtering on a parent must find what is tagged with its descendants.
    One query over the whole vocabulary, which is small."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in model._default_manager.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = [], [term.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


# A label or parent edited in the admin reaches the pages of other processes
# within this many seconds (the admin's own process forgets at once).
TERMS_COPY_SECONDS = 60.0
_terms: dict[type[Model], tuple[float, dict[int, Any]]] = {}


def _copy(model: type[M], wanted: set[int]) -> dict[int, M]:
    """This process's copy of a whole (small) vocabulary, by id; read again
    after TERMS_COPY_SECONDS or when an id is not in it (added since)."""
    loaded = _terms.get(model)
    if (
        loaded is None
        or time.monotonic() - loaded[0] > TERMS_COPY_SECONDS
        or not wanted <= loaded[1].keys()
    ):
        terms: dict[int, Any] = {term.pk: term for term in model._default_manager.all()}
        for term in terms.values():
            parent_id = getattr(term, "parent_id", None)
            if parent_id is not None and parent_id in terms:
                term.parent = terms[parent_id]
        loaded = (time.monotonic(), terms)
        _terms[model] = loaded
    return loaded[1]


def terms_by_id(model: type[M], ids: Iterable[int]) -> list[M]:
    """The terms of a vocabulary (subjects, levels) with these ids, in the
    vocabulary's order, each with its parent: from this process's copy, so
    a page asks the database nothing (issue 15). A label edited in the
    admin shows within TERMS_COPY_SECONDS; ``taxonomy_changed`` sent in this
    process drops the copy at once."""
    wanted = set(ids)
    if not wanted:
        return []
    return [term for pk, term in _copy(model, wanted).items() if pk in wanted]


def term_by_id(model: type[M], pk: int | None) -> M | None:
    """One term (a kind, a language, a licence) from the same copy."""
    if pk is None:
        return None
    return _copy(model, {pk}).get(pk)


def terms_forget() -> None:
    """Drop the copies (a vocabulary changed; tests)."""
    _terms.clear()


def level_tree() -> QuerySet[EducationLevel]:
    return EducationLevel.objects.roots().prefetch_related(
        Prefetch("children", queryset=EducationLevel.objects.order_by("position"))
    )


@dataclass(frozen=True)
class TreeEntry(Generic[T]):
    """One term in tree order, with the terms above it (root first)."""

    term: T
    ancestors: tuple[T, ...]

    @property
    def depth(self) -> int:
        return len(self.ancestors)

    @property
    def path_label(self) -> str:
        """The term named with its ancestors ("Secondary education › Second
        stage › Dual finality"), so equal labels under different parents can
        be told apart where the tree itself is not shown."""
        return " › ".join(str(t.label) for t in (*self.ancestors, self.term))


def _parent_id(term: TreeTerm) -> int | None:
    parent_id: int | None = getattr(term, "parent_id", None)
    return parent_id


def tree_order(terms: Iterable[T]) -> list[TreeEntry[T]]:
    """``terms`` of one tree vocabulary in tree order: each parent before its
    children, siblings by position. The one walk over the level and subject
    trees that forms and widgets share. A term whose parent is not among
    ``terms`` (a filtered list) is placed as a root but still named with its
    ancestors (read in one query, only then)."""
    terms = list(terms)
    by_id: dict[int, T] = {t.pk: t for t in terms}
    missing = {p for t in terms if (p := _parent_id(t)) and p not in by_id}
    known = dict(by_id)
    while missing and terms:
        found = {t.pk: t for t in type(terms[0])._default_manager.filter(pk__in=missing)}
        known.update(found)
        missing = {p for t in found.values() if (p := _parent_id(t)) and p not in known}
    children: dict[int | None, list[T]] = {}
    for term in terms:
        parent_id = _parent_id(term)
        children.setdefault(parent_id if parent_id in by_id else None, []).append(term)

    def ancestors_of(term: T) -> tuple[T, ...]:
        chain: list[T] = []
        parent_id = _parent_id(term)
        while parent_id is not None and parent_id in known and len(chain) < 20:
            chain.insert(0, known[parent_id])
            parent_id = _parent_id(known[parent_id])
        return tuple(chain)

    ordered: list[TreeEntry[T]] = []

    def walk(parent_id: int | None) -> None:
        for term in sorted(children.get(parent_id, []), key=lambda t: (t.position, t.slug)):
            ordered.append(TreeEntry(term, ancestors_of(term)))
            walk(term.pk)

    walk(None)
    return ordered
