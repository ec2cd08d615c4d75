"""Suggestions while typing (autocomplete): titles and keywords with a word starting with the typed
text, found by the engine's full-text index on the stemmed title and
keyword columns (a prefix query: FTS5 ``{title_terms keywords_terms} :
"fiet"*`` on SQLite, ``'fiet':*`` on ``search_pg_match.strong_vector`` on
PostgreSQL), the most saved first (ranked over the in-memory columns of
``memory.py``), then the titles and keywords of the best 40 read from the
documents (of public objects only).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import cast
from urllib.parse import urlencode

import numpy as np
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_stubs_ext import StrOrPromise

from commonroom.core.metrics import search_timed
from commonroom.search import memory, registry
from commonroom.search.backends import get_backend
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, Term, prefix_stem
from commonroom.search.stemming import MAX_WORD, WORD, fold, stem, words

MIN_TYPED = 2
MAX_TYPED_CHARS = 200
MAX_TYPED_WORDS = 6
SUGGESTIONS = 8
# Keywords shown before the titles when there are titles enough.
KEYWORDS = 3
# The most saved matching documents whose titles and keywords are looked at.
AUTOCOMPLETE_DOCUMENTS = 40
# Answers to prefixes matching this many documents (two or three common
# letters: 15-25 ms) are kept until the index changes, up to this many.
CACHE_FROM_MATCHES = 2_000
CACHE_ENTRIES = 2_000
# PostgreSQL: prefixes this short are first matched among this many of the
# most saved documents (``_matches_to_rank``).
SHORT_PREFIX = 3
PROBE = 2_000


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "keyword", or the kind of the document ("resource")
    label: SafeString  # escaped, the typed words in <mark>
    url: str
    # The kind's word ("learning resource"), lazy: suggestions are cached
    # across languages.
    noun: StrOrPromise = ""


def typed_query(text: str) -> ParsedQuery | None:
    """The typed text as words, the last one a prefix ("fietsen in h" →
    fiet, in, h*); None under ``MIN_TYPED`` letters."""
    found = list(words((text or "")[:MAX_TYPED_CHARS]))
    if found and len(found[-1]) < MIN_TYPED:
        found.pop()  # the first letter of a next word
    found = found[-MAX_TYPED_WORDS:]
    if not found:
        return None
    terms = [Term(stems=(stem(w),)) for w in found[:-1]]
    last = found[-1]
    # The index holds stems: "fietse" must still reach "fiet", as a search
    # for "fietse*" does.
    terms.append(Term(stems=(prefix_stem(last),), prefix=True))
    return ParsedQuery(terms=tuple(dict.fromkeys(terms)))


def _matching_ids(query: ParsedQuery, within: np.ndarray | None = None) -> np.ndarray:
    """Documents with every typed word in their title or keywords (only
    among the ids ``within`` when given, where the engine can restrict)."""
    return get_backend().strong_ids(query, within=within)


def _most_saved_all(snapshot: Snapshot) -> np.ndarray:
    """The ids of the ``PROBE`` most saved live documents (then the newest),
    kept with the in-memory index."""
    probe = snapshot.cache.get("suggest:probe")
    if probe is None:
        rows = np.flatnonzero(snapshot.alive)
        if rows.size > PROBE:
            rows = rows[np.argpartition(-_saved_key(snapshot, rows), PROBE)[:PROBE]]
        probe = snapshot.cache["suggest:probe"] = snapshot.ids[rows]
    return cast(np.ndarray, probe)


def _short(query: ParsedQuery) -> bool:
    return len(query.terms) == 1 and len(query.terms[0].stems[0]) <= SHORT_PREFIX


def _matches_to_rank(snapshot: Snapshot, query: ParsedQuery) -> tuple[np.ndarray, bool]:
    """The matching documents to rank, and whether they are many.

    On PostgreSQL two or three letters match up to half of the documents,
    and reading all their vectors costs 100-300 ms at 100,000 resources.
    The best matches by saves are then looked for among the ``PROBE`` most
    saved documents first (5-8 ms): when ``AUTOCOMPLETE_DOCUMENTS`` of them
    match, no other match could rank above them."""
    if get_backend().restricts_strong_ids and _short(query):
        probe = _most_saved_all(snapshot)
        found = _matching_ids(query, within=probe)
        if found.size >= AUTOCOMPLETE_DOCUMENTS or probe.size < PROBE:
            return found, True
    found = _matching_ids(query)
    return found, found.size >= CACHE_FROM_MATCHES


def _most_saved(snapshot: Snapshot, document_ids: np.ndarray, limit: int) -> list[int]:
    """The ids of the live documents among these, most saved first, then the
    newest."""
    rows = snapshot.rows_of(document_ids)
    if not rows.size:
        return []
    if rows.size > 4 * limit:
        # Only the rows that can reach the top are sorted (ties included).
        key = _saved_key(snapshot, rows)
        threshold = np.partition(key, rows.size - limit)[rows.size - limit]
        rows = rows[key >= threshold]
    values = snapshot.values
    order = np.lexsort((-snapshot.ids[rows], -values["published"][rows], -values["saves"][rows]))
    return [int(i) for i in snapshot.ids[rows[order[:limit]]]]


def _saved_key(snapshot: Snapshot, rows: np.ndarray) -> np.ndarray:
    """Saves, then the publication time (seconds since 1970, under 1e10)."""
    return snapshot.values["saves"][rows] * 1e10 + snapshot.values["published"][rows]


@lru_cache(maxsize=50_000)
def _folded_words(text: str) -> tuple[str, ...]:
    """The folded words of a title, keyword or word (cached: the same ones
    come back at every keystroke)."""
    folded = text.lower() if text.isascii() else fold(text)
    return tuple(w[:MAX_WORD] for w in WORD.findall(folded))


def _hits(word: str, term: Term) -> bool:
    """Whether a folded word matches a typed word as the index does: its
    stem is the typed stem, or starts with it for the last word. Stems are
    mostly prefixes of their words, so only words sharing the first two
    letters are stemmed (stemming costs 50 µs a word)."""
    wanted = term.stems[0]
    if term.prefix and word.startswith(wanted):
        return True
    if word[:2] != wanted[:2]:
        return False
    stemmed = stem(word)
    return stemmed.startswith(wanted) if term.prefix else stemmed == wanted


def _matches(text: str, query: ParsedQuery) -> bool:
    """Whether every typed word is in ``text`` (the last as a prefix)."""
    found = _folded_words(text)
    return all(any(_hits(w, term) for w in found) for term in query.terms)


def _mark(text: str, query: ParsedQuery) -> SafeString:
    """``text`` escaped, with the words matching a typed word in <mark>."""
    parts: list[str] = []
    position = 0
    for token in WORD.finditer(text):
        found = _folded_words(token.group())
        if any(_hits(w, term) for w in found for term in query.terms):
            parts += [
                escape(text[position : token.start()]),
                f"<mark>{escape(token.group())}</mark>",
            ]
            position = token.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped


def _public() -> Q:
    """Documents whose object is public now (one taken down since the index
    version was read is not suggested)."""
    public = Q(pk__in=[])
    for key, searchable in registry.kinds().items():
        objects = searchable.public().filter(pk=OuterRef("object_id"))
        public |= Q(Q(kind=key), Exists(objects))
    return public


def _suggestions(query: ParsedQuery, ids: list[int], limit: int) -> list[Suggestion]:
    rows = {
        pk: (kind, object_id, title, keywords)
        for pk, kind, object_id, title, keywords in SearchDocument.objects.filter(pk__in=ids)
        .filter(_public())
        .values_list("pk", "kind", "object_id", "title", "keywords")
    }
    titles: list[tuple[str, int, str]] = []
    keyword_counts: Counter[str] = Counter()
    for pk in ids:
        if pk not in rows:
            continue  # taken down since the index version was read
        kind, object_id, title, keywords = rows[pk]
        if len(titles) < limit and _matches(title, query):
            titles.append((kind, object_id, title))
        # Keywords are kept one a line.
        for keyword in keywords.split("\n") if keywords else []:
            if _matches(keyword, query):
                keyword_counts[" ".join(keyword.split())] += 1
    # One spelling per keyword: the most frequent, then the first seen.
    keywords_shown: dict[str, str] = {}
    for keyword, _ in keyword_counts.most_common():
        keywords_shown.setdefault(fold(keyword), keyword)
    shown = min(len(keywords_shown), max(KEYWORDS, limit - len(titles)))
    search_url = reverse("search:search")
    kinds = registry.kinds()
    return [
        Suggestion(
            kind="keyword",
            label=_mark(keyword, query),
            url=f"{search_url}?{urlencode({'q': keyword})}",
        )
        for keyword in list(keywords_shown.values())[:shown]
    ] + [
        Suggestion(
            kind=kind,
            label=_mark(title, query),
            url=kinds[kind].url(object_id, title),
            noun=kinds[kind].noun,
        )
        for kind, object_id, title in titles[: limit - shown]
    ]


@search_timed("autocomplete")
def autocomplete(text: str, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Keywords and titles of public resources with words starting with the
    typed text, best first. Three queries: the index version, the match,
    and the titles and keywords of the most saved matches (four when a
    short prefix on PostgreSQL is matched among all documents after the
    most saved). The answers to short, common prefixes (many matches) are
    kept with the in-memory index until it changes."""
    query = typed_query(text)
    if query is None:
        return []
    snapshot = memory.snapshot()
    # Stems are letters and digits only.
    key = f"suggest:{limit}:" + " ".join(t.stems[0] + "*" * t.prefix for t in query.terms)
    cached = snapshot.cache.get(key)
    if cached is not None:
        return cast(list[Suggestion], cached)
    matching, many = _matches_to_rank(snapshot, query)
    ids = _most_saved(snapshot, matching, AUTOCOMPLETE_DOCUMENTS)
    suggestions = _suggestions(query, ids, limit) if ids else []
    if many and len(snapshot.cache) < CACHE_ENTRIES:
        snapshot.cache[key] = suggestions
    return suggestions
