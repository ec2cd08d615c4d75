"""The one normalisation of text for search, used when indexing and when
querying, on both engines: lower case, accents removed, split into words,
each word stemmed for Dutch (``dutch.py``) and then English, and a Dutch
compound followed by its known parts (``compounds.py``).

Chaining the two stemmers (rather than picking one by the document's
language) keeps index and query identical without knowing the language of
the query: Dutch "fietsen" and "fiets" both become "fiets", English
"learning" and "learn" both become "learn". The price is some
over-stemming, which costs precision on rare words, not recall.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

from commonroom.search import compounds, dutch

WORD = re.compile(r"[^\W_]+")
# Longer "words" are noise (hashes, URLs without separators); keep them short.
MAX_WORD = 40

# The version of the analysis below (stemmers, compound vocabulary,
# folding): an index built with another one is rebuilt (migrations/0012
# and ``search_rebuild``; bench/README.md, "Text analysis").
ANALYSIS_VERSION = 2

# With PyStemmer installed (a dependency) this is its C stemmer: the same
# Snowball algorithm, about 12 times faster (tests/test_query.py checks that
# both give the same stems, so an index outlives a switch).
_english = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower case without accents: "Financiële" → "financiele"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Stems kept per process (stemming a new word costs about 15 µs, most of a
# snippet's time for a word the process has not met).
STEMS_KEPT = 65536


@lru_cache(maxsize=STEMS_KEPT)
def stem(word: str) -> str:
    """Stem one folded word; numbers and one-letter words stay as they are."""
    if len(word) < 3 or word.isdigit():
        return word
    nl = dutch.stem(word)
    english = str(_english.stemWord(nl))
    # English takes the -s off Dutch words in -is (meisje → meis ≠ mei).
    if nl.endswith("is") and english == nl[:-1]:
        return nl
    # An -e English gives back (writing → write, noted → note) goes as the
    # Dutch step takes it off (write → writ, note → noot).
    if (
        len(english) > 3
        and english[-1] == "e"
        and nl[-1] != "e"
        and english[-2] not in dutch.VOWELS
    ):
        return dutch.open_syllable(english[:-1])
    return english


@lru_cache(maxsize=65536)
def word_tokens(word: str) -> tuple[str, ...]:
    """What one folded word puts in the index: its stem, then the stems of
    its parts when it is a known compound (rekenles → rekenl, reken, les)."""
    whole = stem(word)
    parts = tuple(p for p in (stem(part) for part in compounds.split(word)) if p != whole)
    return (whole, *parts)


def words(text: str) -> Iterator[str]:
    """Folded words of ``text``, unstemmed."""
    for match in WORD.finditer(fold(text)):
        yield match.group()[:MAX_WORD]


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def tokens(text: str) -> list[str]:
    """The index's tokens of ``text``: each word's stem, a compound's
    part stems after it (``word_tokens``)."""
    return [t for w in words(text) for t in word_tokens(w)]


def stemmed_text(text: str) -> str:
    """What the engines index: tokens separated by single spaces. The
    tokens are letters and digits only, so FTS5's unicode61 tokenizer and
    PostgreSQL's to_tsvector('simple', …) read the very same tokens
    (tests/test_analysis.py)."""
    return " ".join(tokens(text))
