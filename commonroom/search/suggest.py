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

Suggestions while typing are in ``autocomplete.py``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from commonroom.core.db_router import read_connection
from commonroom.search.models import SearchDocument, SearchWord
from commonroom.search.query import MAX_QUERY_CHARS, PIECE, ParsedQuery
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
    with read_connection().cursor() as cursor:
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
    with read_connection().cursor() as cursor:
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
