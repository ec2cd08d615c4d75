"""Documents' stemmed fields as tokens, matched against words, prefixes
and phrases as the engines match them: how a cached or stored set of
matches is brought up to date with the documents added since it
(``snapshot_loading._extended_terms``, ``termsets``), and what the engines' pair
indexes are built from."""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from commonroom.core.db_router import read_connection
from commonroom.search.models import SearchDocument


def document_tokens(document_ids: list[int]) -> list[list[list[str]]]:
    """Per document, the stemmed tokens of each field, in the given order
    (no tokens for a document that is gone)."""
    if not document_ids:
        return []
    table = SearchDocument._meta.db_table
    marks = ", ".join(["%s"] * len(document_ids))
    with read_connection().cursor() as cursor:
        cursor.execute(
            "SELECT id, title_terms, keywords_terms, description_terms, body_terms "  # noqa: S608
            f"FROM {table} WHERE id IN ({marks})",
            list(document_ids),
        )
        fields = {row[0]: [str(text or "").split() for text in row[1:]] for row in cursor}
    return [fields.get(int(pk), [[], [], [], []]) for pk in document_ids]


def has_term(fields: list[list[str]], stems: tuple[str, ...], prefix: bool) -> bool:
    """Whether a document's fields match a word, prefix or phrase as the
    engines match it (a word is a token; a prefix starts one; a phrase is
    consecutive tokens within one field)."""
    n = len(stems)

    def at(tokens: list[str], i: int) -> bool:
        for k, stem in enumerate(stems):
            token = tokens[i + k]
            last = k == n - 1
            if not (token.startswith(stem) if prefix and last else token == stem):
                return False
        return True

    return any(at(tokens, i) for tokens in fields for i in range(len(tokens) - n + 1))


class TokenMatcher:
    """A few documents' stemmed fields, asked for many terms: which of them
    match each (as ``has_term``, strong terms in title and keywords only).

    Catching up a cached or stored set means matching the documents added
    since it; the hourly refresh does so for thousands of sets over the same
    documents. Each document's tokens are read once and indexed by token, so
    a word is a dictionary lookup, a prefix a bisection of the sorted
    tokens, and only a phrase's candidates (documents holding its first
    word) are checked position by position."""

    def __init__(self, documents: list[list[list[str]]]) -> None:
        self.documents = documents
        self._holding: dict[bool, dict[str, list[int]]] = {}
        self._sorted: dict[bool, list[str]] = {}

    def _index(self, strong: bool) -> dict[str, list[int]]:
        if strong not in self._holding:
            holding: dict[str, list[int]] = {}
            for number, fields in enumerate(self.documents):
                for token in {t for tokens in (fields[:2] if strong else fields) for t in tokens}:
                    holding.setdefault(token, []).append(number)
            self._holding[strong] = holding
            self._sorted[strong] = sorted(holding)
        return self._holding[strong]

    def matches(self, stems: tuple[str, ...], prefix: bool, *, strong: bool) -> np.ndarray:
        found = np.zeros(len(self.documents), dtype=np.bool_)
        if not self.documents or not stems:
            return found
        holding = self._index(strong)
        first = stems[0]
        if prefix and len(stems) == 1:
            tokens = self._sorted[strong]
            start = bisect_left(tokens, first)
            candidates = {
                number
                for token in tokens[start : bisect_left(tokens, first + "\U0010ffff")]
                for number in holding[token]
            }
        else:
            candidates = set(holding.get(first, ()))
        if len(stems) == 1:
            found[list(candidates)] = True
            return found
        for number in candidates:
            fields = self.documents[number]
            found[number] = has_term(fields[:2] if strong else fields, stems, prefix)
        return found
