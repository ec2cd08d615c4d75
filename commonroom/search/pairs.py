"""Adjacent pairs of frequent words, indexed as tokens of their own (as
Lucene's CommonGrams filter does).

A "phrase" of two words found in most resources ("van de", or the head
words of the benchmark's corpus) is the costliest query there is: FTS5
walks both words' position lists over most of the index, PostgreSQL
rechecks the positions of every resource holding both (about 120 ms at
100,000 resources, a second or more at a million). With each adjacent
pair of frequent words stored as the token ``a_b``, such a phrase is one
short lookup, in every field or in title and keywords alone.

Which words count as frequent is fixed by ``search_pairs_rebuild``
(``SearchPairWord``), in the transaction that re-indexes every document's
pairs with them; documents written later use the same list. A phrase with a
rarer word, of three or more words, a prefix or a negation is matched by the
engine as before (its words' lists are short, or it is rare).
"""

from __future__ import annotations

import itertools

from commonroom.search import memory
from commonroom.search.models import SearchPairWord
from commonroom.search.query import ParsedQuery, Term

JOIN = "_"
# Words in at least this share of the documents (and this many) are paired.
MIN_SHARE = 0.01
MIN_DOCUMENTS = 200
# Title, keywords, description, body: the engines' field order.
FIELDS = 4


def current_words(*, fresh: bool = False) -> frozenset[str]:
    """The pair words: read once per index version for searches (the list
    changes only with a new version), from the table when writing."""
    if fresh:
        return frozenset(SearchPairWord.objects.values_list("word", flat=True))
    snapshot = memory.latest()
    words = snapshot.cache.get("pair_words")
    if words is None:
        words = snapshot.cache["pair_words"] = current_words(fresh=True)
    return frozenset(words)


def field_pairs(fields: list[list[str]], words: frozenset[str]) -> list[list[str]]:
    """Per field, the pair tokens of adjacent frequent words, in order."""
    return [
        [f"{a}{JOIN}{b}" for a, b in itertools.pairwise(tokens) if a in words and b in words]
        for tokens in fields
    ]


def pairable(term: Term, words: frozenset[str]) -> bool:
    return (
        len(term.stems) == 2
        and not term.prefix
        and not term.negated
        and all(s in words for s in term.stems)
    )


def split(query: ParsedQuery) -> tuple[ParsedQuery, tuple[str, ...]]:
    """The query's positive terms without its pairable phrases, and those
    phrases as pair tokens (none when no pair words are chosen)."""
    positive = query.positive
    if not any(len(t.stems) == 2 for t in positive):
        return ParsedQuery(terms=positive), ()
    words = current_words()
    tokens = tuple(JOIN.join(t.stems) for t in positive if pairable(t, words))
    rest = tuple(t for t in positive if not pairable(t, words))
    return ParsedQuery(terms=rest), tokens
