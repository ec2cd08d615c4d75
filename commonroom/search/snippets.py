"""Highlighted snippets for the results shown. The engines index stemmed
text, so their own snippet functions would show stems ("fiet"); instead the
original text is cut and marked here with the same normalisation, which
gives identical snippets on both engines. It runs on the 20 shown results
only."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from itertools import islice

from django.utils.safestring import SafeString, mark_safe

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


def _is_hit(token: str, exact: set[str], prefixes: tuple[str, ...], initials: set[str]) -> bool:
    # Stemmers change endings only: a word can be a hit only if it starts as
    # a query stem does, which spares stemming most words of a snippet.
    if _folded_initial(token[0]) not in initials:
        return False
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
    a Python call per word (a body's 3,000 characters hold about 450)."""
    starts = {chr(c) for c in range(_CHECKED_BELOW) if _folded_initial(chr(c)) in initials}
    escaped = "".join(re.escape(c) for c in sorted(starts))
    first = f"[{escaped}\u0250-\U0010ffff]"
    return re.compile(f"(?<![^\\W_])(?={first}){WORD.pattern}")


def _hits_in(text: str, query: ParsedQuery) -> set[str]:
    """The distinct words of ``text`` that the query matches (each distinct
    word is folded and stemmed once, and cached across searches)."""
    exact, prefixes = query.highlight_stems()
    if not exact and not prefixes:
        return set()
    initials = {s[:1] for s in exact} | {p[:1] for p in prefixes}
    found = _candidates(frozenset(initials)).findall(text)
    return {t for t in set(found) if _is_hit(t, exact, prefixes, initials)}


def _highlight(text: str, hits: set[str], *, window: bool) -> SafeString:
    if not window:
        if not hits:
            return mark_safe(escape(text))  # noqa: S308 - escaped
        return _marked(text, list(WORD.finditer(text)), 0, len(text), hits)
    # Only the words of the window are read as Python objects: the first
    # hit is found by a regular expression (a body's snippet is cut from
    # its first 3,000 characters, a window is 30 words).
    hit_at = None
    if hits:
        pattern = _candidates(frozenset(_folded_initial(h[0]) for h in hits))
        hit_at = next((m.start() for m in pattern.finditer(text) if m.group() in hits), None)
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
        return _marked(text, tokens, 0, len(text), hits)
    shown = tokens[:SNIPPET_WORDS]
    start_char = tokens[0].start() if cut else 0
    end_char = shown[-1].end() if len(tokens) > SNIPPET_WORDS else len(text)
    return _marked(text, shown, start_char, end_char, hits)


def _marked(
    text: str, tokens: list[re.Match[str]], start_char: int, end_char: int, hits: set[str]
) -> SafeString:
    """``text[start_char:end_char]`` escaped, its words in ``hits`` marked."""
    parts = ["… " if start_char else ""]
    position = start_char
    if hits:
        for token in tokens:
            word = token.group()
            if word not in hits or token.start() < start_char or token.end() > end_char:
                continue
            parts.append(escape(text[position : token.start()]))
            parts.append(f"<mark>{escape(word)}</mark>")
            position = token.end()
    parts.append(escape(text[position:end_char]))
    if end_char < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def highlight(text: str, query: ParsedQuery, *, window: bool) -> SafeString:
    """``text`` escaped, query words in <mark>; cut to a window around the
    first hit when ``window`` is set."""
    return _highlight(text, _hits_in(text, query), window=window)


def snippet(description: str, body: str, query: ParsedQuery) -> SafeString:
    """The passage with the first hit: the description if it has one, the
    body (and file text) otherwise."""
    for text in (description, body):
        if hits := _hits_in(text, query):
            return _highlight(text, hits, window=True)
    return _highlight(description, set(), window=True)
