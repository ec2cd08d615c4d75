"""The one normalisation of text for search, used when indexing and when
querying, on both engines: lower case, accents removed, split into words,
each word stemmed for Dutch and then English.

Chaining the two stemmers (rather than picking one by the document's
language) keeps index and query identical without knowing the language of
the query: Dutch "fietsen" and "fiets" both become "fiet", English
"learning" and "learn" both become "learn". The price is some
over-stemming, which costs precision on rare words, not recall.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+")
# Longer "words" are noise (hashes, URLs without separators); keep them short.
MAX_WORD = 40

# With PyStemmer installed (a dependency) these are its C stemmers: the
# same Snowball algorithms, about 12 times faster (tests/test_query.py
# checks that both give the same stems, so an index outlives a switch).
_dutch = snowballstemmer.stemmer("dutch")
_english = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower case without accents: "Financiële" → "financiele"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one folded word; numbers and one-letter words stay as they are."""
    if len(word) < 3 or word.isdigit():
        return word
    return str(_english.stemWord(_dutch.stemWord(word)))


def words(text: str) -> Iterator[str]:
    """Folded words of ``text``, unstemmed."""
    for match in WORD.finditer(fold(text)):
        yield match.group()[:MAX_WORD]


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def stemmed_text(text: str) -> str:
    """What the engines index: stems separated by single spaces."""
    return " ".join(stems(text))
