"""Highlighted snippets for the results shown. The engines index stemmed
text, so their own snippet functions would show stems ("fiet"); instead the
original text is cut and marked here with the same normalisation, which
gives identical snippets on both engines. It runs on the 20 shown results
only."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from commonroom.search.query import ParsedQuery
from commonroom.search.stemming import WORD, fold, stem, words

SNIPPET_WORDS = 30
LEAD_WORDS = 8


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
        return _marked(text, list(WORD.finditer(text)), 0, len(text), hits)
    # Only the words up to the end of the window are read: a body's
    # snippet is cut from its first 3,000 characters, a window is 30 words.
    tokens: list[re.Match[str]] = []
    first_hit = None
    for token in WORD.finditer(text):
        tokens.append(token)
        if first_hit is None and token.group() in hits:
            first_hit = len(tokens) - 1
        first = max(0, first_hit - LEAD_WORDS) if first_hit is not None else 0
        if len(tokens) > first + SNIPPET_WORDS and (first_hit is not None or not hits):
            break
    if not tokens:
        return _marked(text, tokens, 0, len(text), hits)
    first = max(0, first_hit - LEAD_WORDS) if first_hit is not None else 0
    last = min(len(tokens), first + SNIPPET_WORDS) - 1
    start_char = tokens[first].start() if first else 0
    end_char = tokens[last].end() if last < len(tokens) - 1 else len(text)
    return _marked(text, tokens, start_char, end_char, hits)


def _marked(
    text: str, tokens: list[re.Match[str]], start_char: int, end_char: int, hits: set[str]
) -> SafeString:
    """``text[start_char:end_char]`` escaped, its words in ``hits`` marked."""
    parts = ["… " if start_char else ""]
    position = start_char
    for token in tokens:
        if token.start() < start_char or token.end() > end_char or token.group() not in hits:
            continue
        parts.append(escape(text[position : token.start()]))
        parts.append(f"<mark>{escape(token.group())}</mark>")
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
