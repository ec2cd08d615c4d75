"""Highlighted snippets for the results shown. The engines index stemmed
text, so their own snippet functions would show stems ("fiet"); instead the
original text is cut and marked here with the same normalisation, which
gives identical snippets on both engines. It runs on the 20 shown results
only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from itertools import islice

from django.utils.safestring import SafeString

from commonroom.search.query import ParsedQuery
from commonroom.search.stemming import WORD, fold, stem, words

SNIPPET_WORDS = 30
LEAD_WORDS = 8
# The lead words are looked for in this many characters before the first
# hit (eight words of Dutch or English are far shorter); where they hold
# fewer, every word before the hit is read.
LEAD_CHARS = 400


@lru_cache(maxsize=200_000)
def _token_terms(token: str) -> tuple[tuple[str, str], ...]:
    """The folded words of a token with their stems (cached across searches:
    folding and stemming every word of 20 snippets is most of their cost)."""
    return tuple((word, stem(word)) for word in words(token))


@lru_cache(maxsize=4096)
def _folded_initial(character: str) -> str:
    return fold(character)[:1]


def _is_hit(token: str, exact: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    for word, stemmed in _token_terms(token):
        if stemmed in exact or any(stemmed.startswith(p) or word.startswith(p) for p in prefixes):
            return True
    return False


# Characters up to here are tried against the query's initials when the
# candidate pattern is made; any word starting beyond is a candidate.
_CHECKED_BELOW = 0x250


@lru_cache(maxsize=1024)
def _candidates(initials: frozenset[str]) -> re.Pattern[str]:
    """The words of a text that can be hits: those whose first character
    folds to the start of a query stem (or is beyond Latin, where it is
    simply tried). The regular expression engine skips the others without
    a Python call per word (a body's 3,000 characters hold about 450).

    The pattern starts with the character class itself, the lookbehinds
    after it (the character is a letter or digit, the one before is not):
    a pattern that starts with a class lets the engine skip to the next
    character in it, where one that starts with a lookbehind tries every
    position (half the time on the bench corpus's texts). The class is
    written as the Latin characters it leaves out, in ranges: a class
    naming every character beyond Latin took 8 ms to compile, a cost
    paid by each new set of initials (a search of three words)."""
    left_out = [c for c in range(_CHECKED_BELOW) if _folded_initial(chr(c)) not in initials]
    return re.compile(f"[^{_ranges(left_out)}](?<=[^\\W_])(?<![^\\W_].)[^\\W_]*")


# A query's words start with one of these, most often one word alone.
COMMON_INITIALS = "abcdefghijklmnopqrstuvwxyz0123456789"


def patterns_compiled() -> None:
    """The candidate patterns of the queries whose words all start with
    one letter or digit (every search of one word): compiled at boot,
    before the fork, rather than by each worker's first search for that
    initial (about 0.2 ms each)."""
    for initial in COMMON_INITIALS:
        _candidates(frozenset(initial))


def _ranges(codes: list[int]) -> str:
    """Ascending code points as the inside of a character class, each run
    of consecutive ones written as a range."""
    parts = []
    start = 0
    while start < len(codes):
        end = start
        while end + 1 < len(codes) and codes[end + 1] == codes[end] + 1:
            end += 1
        first, last = re.escape(chr(codes[start])), re.escape(chr(codes[end]))
        parts.append(first if start == end else f"{first}-{last}")
        start = end + 1
    return "".join(parts)


@dataclass(frozen=True)
class _Marking:
    """What a query marks, worked out once per query: its stems and
    prefixes, and the pattern of the words that can be hits. Stemmers
    change endings only: a word can be a hit only if it starts as a query
    stem does, which spares stemming most words of a text."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    candidates: re.Pattern[str] | None

    def hits_in(self, text: str) -> set[str]:
        """The distinct words of ``text`` that the query matches (each
        distinct word is folded and stemmed once, and cached across
        searches)."""
        if self.candidates is None:
            return set()
        exact, prefixes = self.exact, self.prefixes
        return {t for t in set(self.candidates.findall(text)) if _is_hit(t, exact, prefixes)}


@lru_cache(maxsize=256)
def _marking(query: ParsedQuery) -> _Marking:
    exact, prefixes = query.highlight_stems()
    if not exact and not prefixes:
        return _Marking(frozenset(), (), None)
    initials = frozenset({s[:1] for s in exact} | {p[:1] for p in prefixes})
    return _Marking(frozenset(exact), prefixes, _candidates(initials))


# The end of a text's first SNIPPET_WORDS words. Words and the runs
# between them are taken whole (possessive), so the match is found in one
# pass and never by splitting a word.
_FIRST_WORDS = re.compile(f"(?:[\\W_]*+[^\\W_]++){{{SNIPPET_WORDS}}}")


def _highlight(text: str, hits: set[str], marking: _Marking, *, window: bool) -> SafeString:
    """``text`` with ``hits`` (words ``marking`` found in it) marked, or
    its window of words around the first hit."""
    if not window:
        if not hits:
            return SafeString(escape(text))
        return _marked(text, marking, 0, len(text), hits)
    if not hits:
        # No hit: the first words, found without a Python object per word
        # (most of a rare word's cards show one, the word being in their
        # keywords only).
        first = _FIRST_WORDS.match(text)
        if first is None or WORD.search(text, first.end()) is None:
            return SafeString(escape(text))
        return SafeString(f"{escape(text[: first.end()])} …")
    # Only the words of the window are read as Python objects: the first
    # hit is found by a regular expression (a body's snippet is cut from
    # its first 3,000 characters, a window is 30 words).
    hit_at = None
    if marking.candidates is not None:
        found = marking.candidates.finditer(text)
        hit_at = next((m.start() for m in found if m.group() in hits), None)
    lead: list[re.Match[str]] = []
    cut = False  # whether words before the lead are left out
    if hit_at is not None:
        lead = list(WORD.finditer(text, max(0, hit_at - LEAD_CHARS), hit_at))
        if hit_at > LEAD_CHARS and len(lead) > LEAD_WORDS:
            # The first word found may be cut by the window's start: dropped.
            lead, cut = lead[-LEAD_WORDS:], True
        elif hit_at > LEAD_CHARS:
            lead = list(WORD.finditer(text, 0, hit_at))
        if len(lead) > LEAD_WORDS:
            lead, cut = lead[-LEAD_WORDS:], True
    # The window's words, and one more to tell whether the text goes on.
    after = list(islice(WORD.finditer(text, hit_at or 0), SNIPPET_WORDS + 1 - len(lead)))
    tokens = lead + after
    if not tokens:
        return _marked(text, marking, 0, len(text), hits)
    start_char = tokens[0].start() if cut else 0
    end_char = tokens[SNIPPET_WORDS - 1].end() if len(tokens) > SNIPPET_WORDS else len(text)
    return _marked(text, marking, start_char, end_char, hits)


def _marked(
    text: str, marking: _Marking, start_char: int, end_char: int, hits: set[str]
) -> SafeString:
    """``text[start_char:end_char]`` escaped, its words in ``hits`` marked
    (``start_char`` and ``end_char`` are word boundaries)."""
    parts = ["… " if start_char else ""]
    position = start_char
    if hits and marking.candidates is not None:
        for found in marking.candidates.finditer(text, start_char, end_char):
            word = found.group()
            if word not in hits:
                continue
            parts.append(escape(text[position : found.start()]))
            parts.append(f"<mark>{escape(word)}</mark>")
            position = found.end()
    parts.append(escape(text[position:end_char]))
    if end_char < len(text):
        parts.append(" …")
    return SafeString("".join(parts))


def highlight(text: str, query: ParsedQuery, *, window: bool) -> SafeString:
    """``text`` escaped, query words in <mark>; cut to a window around the
    first hit when ``window`` is set."""
    marking = _marking(query)
    return _highlight(text, marking.hits_in(text), marking, window=window)


def snippet(description: str, body: str, query: ParsedQuery) -> SafeString:
    """The passage with the first hit: the description if it has one, the
    body (and file text) otherwise."""
    marking = _marking(query)
    for text in (description, body):
        if hits := marking.hits_in(text):
            return _highlight(text, hits, marking, window=True)
    return _highlight(description, set(), marking, window=True)
