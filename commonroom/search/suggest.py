"""Help with the words of a search: "Did you mean" for typing errors, and
suggestions while typing (autocomplete).

**Did you mean.** When a search finds fewer than ``DID_YOU_MEAN_BELOW``
resources, each typed word that is not in the vocabulary (``SearchWord``:
the folded words of the indexed titles, keywords and descriptions, with how
many documents hold each) is replaced by the most similar word that is,
by trigram similarity as pg_trgm computes it: the distinct trigrams of the
word padded with two spaces before and one after, shared over all. Ties go
to the word in more documents. A word is only proposed when it would search
for something else (another stem). Quotes, minus signs and the prefix
``*`` of the typed text stay as they were; a prefix (``fract*``) is not
corrected, being incomplete on purpose.

- PostgreSQL: ``word % typed`` on a GIN trigram index, ``similarity()``,
  all typed words in one query.
- SQLite: ``search_word_trigram`` holds each word's distinct trigrams and
  their number ``n``; an indexed ``GROUP BY`` per typed word (all in one
  query) counts the trigrams shared with the words whose ``n`` is within
  ``LENGTH_BAND`` of the typed word's (a typing error changes a word's
  length by a letter or two; the band halves the postings read), and the
  similarity follows exactly: shared / (n_typed + n - shared).

The words known as typed are looked up first (one query), so a search of
correct words that finds little pays no trigram lookup.

The vocabulary is recomputed by ``search_words_refresh`` (hourly, and after
a rebuild of the index).

**Autocomplete.** Titles and keywords with a word starting with the typed
text, found by the engine's full-text index on the stemmed title and
keyword columns (a prefix query: FTS5 ``{title_terms keywords_terms} :
"fiet"*`` on SQLite, ``'fiet':*`` on ``search_pg_match.strong_vector`` on
PostgreSQL), the most saved first (ranked over the in-memory columns of
``memory.py``), then the titles and keywords of the best 40 read from the
documents (of public objects only).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast
from urllib.parse import urlencode

import numpy as np
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_stubs_ext import StrOrPromise

from commonroom.search import memory, registry
from commonroom.search.backends import get_backend
from commonroom.search.models import SearchDocument, SearchWord
from commonroom.search.query import MAX_QUERY_CHARS, PIECE, ParsedQuery, Term
from commonroom.search.stemming import MAX_WORD, WORD, fold, stem, words

# --- did you mean ----------------------------------------------------------------------

# A search finding fewer resources than this gets a "Did you mean".
DID_YOU_MEAN_BELOW = 3
# Shorter words are neither in the vocabulary nor corrected: their trigrams
# say too little.
MIN_WORD = 3
# pg_trgm's default threshold for ``%``.
MIN_SIMILARITY = 0.3
# SQLite: candidates have within this many trigrams more or fewer.
LENGTH_BAND = 2
# At most this many distinct words of one search are looked up.
MAX_CORRECTED_WORDS = 8
# Candidates read per typed word (the best by similarity).
CANDIDATES = 5
SQLITE_CANDIDATES = 20
TRIGRAM_TABLE = "search_word_trigram"

# --- refresh ---------------------------------------------------------------------------

REFRESH_CHUNK = 2_000
WRITE_BATCH = 1_000
# PostgreSQL: fresh planner statistics after this many words came or went.
ANALYZE_AFTER = 1_000

# --- autocomplete ----------------------------------------------------------------------

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


def trigrams(word: str) -> set[str]:
    """The word's distinct trigrams, padded as pg_trgm pads a word."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity(a, b)`` for two single folded words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


@dataclass(frozen=True)
class Candidate:
    word: str
    documents: int
    similarity: float


def _postgres_candidates(typed: Sequence[str]) -> list[tuple[str, Candidate]]:
    # One subquery per word with the word as a constant: the planner then
    # estimates ``%`` on the GIN index (a parameter from unnest() in a
    # lateral join got a sequential scan, 55 ms a word).
    table = SearchWord._meta.db_table
    part = (
        f"(SELECT %s::text, word, documents, similarity(word, %s) AS sim FROM {table} "  # noqa: S608
        f"WHERE word %% %s ORDER BY sim DESC, documents DESC, word LIMIT {CANDIDATES})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([part] * len(typed)), [w for word in typed for w in [word] * 3]
        )
        rows = cursor.fetchall()
    return [
        (t, Candidate(word, documents, float(sim)))
        for t, word, documents, sim in rows
        if sim >= MIN_SIMILARITY
    ]


def _sqlite_candidates(typed: Sequence[str]) -> list[tuple[str, Candidate]]:
    table = SearchWord._meta.db_table
    parts: list[str] = []
    params: list[Any] = []
    for word in typed:
        grams = sorted(trigrams(word))
        n = len(grams)
        marks = ", ".join(["%s"] * n)
        parts.append(
            f"SELECT %s, w.word, w.documents, x.sim FROM ("  # noqa: S608
            f"SELECT word_id, COUNT(*) * 1.0 / (%s + MAX(n) - COUNT(*)) AS sim "
            f"FROM {TRIGRAM_TABLE} WHERE trigram IN ({marks}) AND n BETWEEN %s AND %s "
            f"GROUP BY word_id ORDER BY sim DESC LIMIT {SQLITE_CANDIDATES}"
            f") x JOIN {table} w ON w.id = x.word_id WHERE x.sim >= %s"
        )
        params += [word, n, *grams, n - LENGTH_BAND, n + LENGTH_BAND, MIN_SIMILARITY]
    # Only table names and placeholders are formatted into the text.
    sql = " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(t, Candidate(word, documents, float(sim))) for t, word, documents, sim in rows]


def similar_words(typed: Sequence[str]) -> dict[str, list[Candidate]]:
    """For each typed (folded) word, the vocabulary's words at least
    ``MIN_SIMILARITY`` similar, the most similar first, then those in more
    documents (the word itself first when it is in the vocabulary). One
    query."""
    if not typed:
        return {}
    if connection.vendor == "postgresql":
        rows = _postgres_candidates(typed)
    else:
        rows = _sqlite_candidates(typed)
    found: dict[str, list[Candidate]] = defaultdict(list)
    for word, candidate in rows:
        found[word].append(candidate)
    for candidates in found.values():
        candidates.sort(key=lambda c: (-c.similarity, -c.documents, c.word))
    return dict(found)


def _spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of each word of the search text that may be
    corrected: every word of words and phrases, negated or not, except the
    last word of a prefix (``fract*``)."""
    for piece in PIECE.finditer(text):
        _minus, phrase, _closing, word = piece.groups()
        if word is not None:
            offset, body = piece.start(4), word
            tokens = list(WORD.finditer(body))
            if body.endswith("*") and tokens:
                tokens.pop()
        else:
            offset, body = piece.start(2), phrase
            tokens = list(WORD.finditer(body))
        for token in tokens:
            folded = list(words(token.group()))
            if len(folded) == 1 and len(token.group()) <= MAX_WORD:
                yield offset + token.start(), offset + token.end(), folded[0]


def _correctable(word: str) -> bool:
    return MIN_WORD <= len(word) <= MAX_WORD and not word.isdigit()


def correction_for(text: str, *, found: int, query: ParsedQuery) -> str | None:
    """The search text to propose after a search that found ``found``
    resources: only when it found fewer than ``DID_YOU_MEAN_BELOW`` and had
    words to look for."""
    if found >= DID_YOU_MEAN_BELOW or not query.positive:
        return None
    return did_you_mean(text)


def did_you_mean(text: str) -> str | None:
    """The search text with its misspelt words corrected, or None when no
    word needs (or finds) a correction. At most two queries: the words
    known as typed, then the candidates for the others."""
    text = (text or "").replace("\x00", " ")[:MAX_QUERY_CHARS]
    spans = list(_spans(text))
    typed = list(dict.fromkeys(w for _, _, w in spans if _correctable(w)))[:MAX_CORRECTED_WORDS]
    if not typed:
        return None
    known = set(SearchWord.objects.filter(word__in=typed).values_list("word", flat=True))
    unknown = [w for w in typed if w not in known]
    if not unknown:
        return None
    found = similar_words(unknown)
    corrections: dict[str, str] = {}
    for word in unknown:
        for candidate in found.get(word, []):
            if stem(candidate.word) != stem(word):
                corrections[word] = candidate.word
                break
    if not corrections:
        return None
    corrected = text
    for start, end, word in reversed(spans):
        if word in corrections:
            corrected = corrected[:start] + corrections[word] + corrected[end:]
    return corrected


# --- the vocabulary --------------------------------------------------------------------


def _document_words(text: str) -> set[str]:
    """The distinct words ``stemming.words`` finds in ``text`` that may be
    suggested (folding is skipped for plain ASCII, where it is lower())."""
    folded = text.lower() if text.isascii() else fold(text)
    return {w for w in WORD.findall(folded) if _correctable(w)}


def vocabulary_counts() -> Counter[str]:
    """Each word of the indexed titles, keywords and descriptions with the
    number of documents holding it (the documents streamed in chunks)."""
    counts: Counter[str] = Counter()
    documents = SearchDocument.objects.order_by().values_list("title", "keywords", "description")
    for title, keywords, description in documents.iterator(chunk_size=REFRESH_CHUNK):
        counts.update(_document_words(f"{title}\n{keywords}\n{description}"))
    return counts


def _chunks(items: Sequence[Any], size: int = WRITE_BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _trigram_rows(words_by_id: Iterable[tuple[int, str]]) -> Iterator[tuple[str, int, int]]:
    for pk, word in words_by_id:
        grams = trigrams(word)
        n = len(grams)
        for gram in grams:
            yield gram, n, pk


def _trigrams_delete(ids: Sequence[int]) -> None:
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {TRIGRAM_TABLE} WHERE word_id IN ({marks})",  # noqa: S608
                list(chunk),
            )


def _trigrams_insert(words_by_id: Sequence[tuple[int, str]]) -> None:
    with connection.cursor() as cursor:
        for chunk in _chunks(words_by_id):
            cursor.executemany(
                f"INSERT INTO {TRIGRAM_TABLE} (trigram, n, word_id) VALUES (%s, %s, %s)",  # noqa: S608
                list(_trigram_rows(chunk)),
            )


def search_words_refresh() -> int:
    """Recompute the vocabulary of "Did you mean" from the search documents;
    returns the number of words. Only the differences are written (words
    gone, counts changed, words new), so the hourly run writes little and
    readers never see a half-written table."""
    counts = vocabulary_counts()
    sqlite = connection.vendor == "sqlite"
    table = SearchWord._meta.db_table
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two refreshes at once would insert the same new words; readers
            # are not blocked.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        existing = {
            w: (pk, n) for pk, w, n in SearchWord.objects.values_list("pk", "word", "documents")
        }
        if sqlite and not existing:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TRIGRAM_TABLE}")  # noqa: S608
        gone = sorted(pk for w, (pk, _) in existing.items() if w not in counts)
        changed: dict[int, list[int]] = defaultdict(list)
        new: list[str] = []
        for word, n in counts.items():
            old = existing.get(word)
            if old is None:
                new.append(word)
            elif old[1] != n:
                changed[n].append(old[0])
        for chunk in _chunks(gone):
            SearchWord.objects.filter(pk__in=chunk).delete()
        if sqlite:
            _trigrams_delete(gone)
        # One UPDATE per count (most words are in one or two documents).
        for n, pks in changed.items():
            for chunk in _chunks(sorted(pks)):
                SearchWord.objects.filter(pk__in=chunk).update(documents=n)
        new.sort()
        for chunk in _chunks(new):
            created = SearchWord.objects.bulk_create(
                [SearchWord(word=w, documents=counts[w]) for w in chunk]
            )
            if sqlite:
                ids = [(w.pk, w.word) for w in created if w.pk is not None]
                if len(ids) < len(created):  # an old SQLite returns no ids
                    ids = list(SearchWord.objects.filter(word__in=chunk).values_list("pk", "word"))
                _trigrams_insert(ids)
        if connection.vendor == "postgresql" and len(new) + len(gone) > ANALYZE_AFTER:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
    return len(counts)


# --- autocomplete ----------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "keyword", or the kind of the document ("resource")
    label: SafeString  # escaped, the typed words in <mark>
    url: str
    # The kind's word ("learning resource"), lazy: suggestions are cached
    # across languages.
    noun: StrOrPromise = ""


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[: max(n, 1)]


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
    # The index holds stems: "fietse" must still reach "fiet".
    terms.append(Term(stems=(_common_prefix(last, stem(last)),), prefix=True))
    return ParsedQuery(terms=tuple(dict.fromkeys(terms)))


def _matching_ids(query: ParsedQuery, within: np.ndarray | None = None) -> np.ndarray:
    """Documents with every typed word in their title or keywords (only
    among the ids ``within`` when given, where the engine can restrict)."""
    return get_backend().strong_ids(query, within=within)


def _most_saved_all(snapshot: memory.Snapshot) -> np.ndarray:
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


def _matches_to_rank(snapshot: memory.Snapshot, query: ParsedQuery) -> tuple[np.ndarray, bool]:
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


def _most_saved(snapshot: memory.Snapshot, document_ids: np.ndarray, limit: int) -> list[int]:
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


def _saved_key(snapshot: memory.Snapshot, rows: np.ndarray) -> np.ndarray:
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
