"""Highlighted snippets for the results shown. The engines index stemmed
text, so their own snippet functions would show stems ("fiet"); instead the
original text is cut and marked here with the same normalisation, which
gives identical snippets on both engines. It runs on the 20 shown results
only."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from commonroom.search.query import ParsedQuery
from commonroom.search.stemming import WORD, stem, words

SNIPPET_WORDS = 30
LEAD_WORDS = 8


def _is_hit(token: str, exact: set[str], prefixes: tuple[str, ...]) -> bool:
    for word in words(token):
        stemmed = stem(word)
        if stemmed in exact or any(stemmed.startswith(p) or word.startswith(p) for p in prefixes):
            return True
    return False


def highlight(text: str, query: ParsedQuery, *, window: bool) -> SafeString:
    """``text`` escaped, query words in <mark>; cut to a window around the
    first hit when ``window`` is set."""
    exact, prefixes = query.highlight_stems()
    tokens = list(WORD.finditer(text))
    hits = [
        i
        for i, t in enumerate(tokens)
        if (exact or prefixes) and _is_hit(t.group(), exact, prefixes)
    ]
    start_char, end_char = 0, len(text)
    if window and tokens:
        first = max(0, hits[0] - LEAD_WORDS) if hits else 0
        last = min(len(tokens), first + SNIPPET_WORDS) - 1
        start_char = tokens[first].start() if first else 0
        end_char = tokens[last].end() if last < len(tokens) - 1 else len(text)
    hit_set = set(hits)
    parts = ["… " if start_char else ""]
    position = start_char
    for i, token in enumerate(tokens):
        if token.start() < start_char or token.end() > end_char or i not in hit_set:
            continue
        parts.append(escape(text[position : token.start()]))
        parts.append(f"<mark>{escape(token.group())}</mark>")
        position = token.end()
    parts.append(escape(text[position:end_char]))
    if end_char < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def snippet(description: str, body: str, query: ParsedQuery) -> SafeString:
    """The passage with the first hit: the description if it has one, the
    body (and file text) otherwise."""
    exact, prefixes = query.highlight_stems()
    for text in (description, body):
        if any(_is_hit(t.group(), exact, prefixes) for t in WORD.finditer(text)):
            return highlight(text, query, window=True)
    return highlight(description, query, window=True)
