"""The search box's little language: words, "phrases", -exclusions and a
trailing * for prefixes. User text never reaches an engine: it is reduced to
stems (letters and digits only) and the engines' syntax is written here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from commonroom.search.stemming import stem, word_tokens, words

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
# Shorter prefixes would expand to most of the vocabulary.
MIN_PREFIX = 3
# A word, a "quoted phrase" or an unclosed quote running to the end.
PIECE = re.compile(r'(-?)"([^"]*)("?)|(\S+)')


@dataclass(frozen=True)
class Term:
    """One word (``stems`` of length 1) or a phrase of adjacent words."""

    stems: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...] = ()
    messages: tuple[str, ...] = field(default=(), compare=False)

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negated)

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def highlight_stems(self) -> tuple[set[str], tuple[str, ...]]:
        """Stems to mark in snippets, and prefixes to mark."""
        exact = {s for t in self.positive for s in (t.stems[:-1] if t.prefix else t.stems)}
        prefixes = tuple(t.stems[-1] for t in self.positive if t.prefix)
        return exact, prefixes


def _term(text: str, *, negated: bool, allow_prefix: bool) -> Term | None:
    prefix = allow_prefix and text.endswith("*")
    found = list(words(text))
    if not found:
        return None
    # A phrase holds what the index holds for its words, a compound's parts
    # included; a single word is looked for whole (its parts would match
    # any of the compound's neighbours).
    if len(found) == 1:
        stems = [stem(found[0])]
    else:
        stems = [t for w in found[:-1] for t in word_tokens(w)]
        stems += [stem(found[-1])] if prefix else list(word_tokens(found[-1]))
    if prefix:
        last = found[-1]
        if len(last) < MIN_PREFIX:
            prefix = False
        else:
            stems[-1] = prefix_stem(last)
    return Term(stems=tuple(stems), prefix=prefix, negated=negated)


# Endings a word typed before "*" may still get, each of which can change
# the end of its stem (schol* → scholen → school); and the typed letters
# themselves as a word (katte* → kat), for five letters or more (geze* is
# not the word "geze").
CONTINUATIONS = ("e", "en")
WHOLE_FROM = 5


def prefix_stem(word: str) -> str:
    """What a folded ``word*`` looks for: the index holds stems, so
    "learni*" must still reach "learn" (the part the word and its stem
    share). The Dutch stemmer only takes letters off the end of a word
    (``dutch.py``), so a prefix as typed (gedi*, geom*, burg*) is the start
    of its words' stems."""
    endings = CONTINUATIONS + (("",) if len(word) >= WHOLE_FROM else ())
    shared = min(_common_prefix(word, stem(word + ending)) for ending in endings)
    if shared >= min(len(word), MIN_PREFIX):
        return word[:shared]
    # An open syllable written double in the stem (game → gaam, bome* →
    # boom): the word's own stem is where its words' stems start.
    whole = stem(word)
    return whole if len(whole) >= MIN_PREFIX else word


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def parse(raw: str) -> ParsedQuery:
    messages: list[str] = []
    text = (raw or "").replace("\x00", " ")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        messages.append(
            _("Only the first %(n)d characters of your search were used.") % {"n": MAX_QUERY_CHARS}
        )
    terms: list[Term] = []
    for match in PIECE.finditer(text):
        minus, phrase, closing, word = match.groups()
        if word is not None:
            negated = word.startswith("-") and len(word) > 1
            term = _term(word[1:] if negated else word, negated=negated, allow_prefix=True)
        else:
            if not closing:
                messages.append(_("A quote was not closed; the words after it were searched."))
            term = _term(phrase, negated=bool(minus), allow_prefix=False)
        if term is not None and term not in terms:
            terms.append(term)
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        messages.append(_("Only the first %(n)d words were used.") % {"n": MAX_TERMS})
    return ParsedQuery(terms=tuple(terms), messages=tuple(messages))


def _fts5_term(term: Term) -> str:
    # Stems hold letters and digits only, so quoting cannot be escaped.
    return '"' + " ".join(term.stems) + '"' + ("*" if term.prefix else "")


def to_fts5(query: ParsedQuery, *, negated: bool = False, columns: str = "") -> str:
    """The MATCH expression for the positive terms, or for the negative ones
    joined by OR when ``negated`` (FTS5 has no unary NOT); with ``columns``,
    the positive terms within those columns only."""
    if negated:
        return " OR ".join(_fts5_term(t) for t in query.negative)
    expr = " AND ".join(_fts5_term(t) for t in query.positive)
    if columns:
        return f"{{{columns}}} : ({expr})"
    if expr and query.negative:
        expr = f"({expr}) NOT ({to_fts5(query, negated=True)})"
    return expr


def _tsquery_term(term: Term) -> str:
    lexemes = [f"'{s}'" for s in term.stems]
    if term.prefix:
        lexemes[-1] += ":*"
    body = " <-> ".join(lexemes)
    return f"!({body})" if term.negated else f"({body})"


def to_tsquery(query: ParsedQuery, *, positive_only: bool = False) -> str:
    """A to_tsquery('simple', …) text; empty when there is no positive term."""
    if not query.positive:
        return ""
    terms = query.positive if positive_only else query.terms
    return " & ".join(_tsquery_term(t) for t in terms)


def to_negative_tsquery(query: ParsedQuery) -> str:
    return " | ".join(_tsquery_term(Term(t.stems, t.prefix)) for t in query.negative)
