"""Phrases of two frequent words are answered from the pair index, with the
very results the engine's own phrase matching gives, on both engines."""

import numpy as np
import pytest

from commonroom.resources.models import State
from commonroom.search import index_snapshot, memory, pairs
from commonroom.search.backends import get_backend
from commonroom.search.facets import Filters
from commonroom.search.models import SearchDocument, SearchPairWord
from commonroom.search.query import ParsedQuery, parse
from commonroom.search.selectors import search_documents
from commonroom.search.services import search_index_sync, search_pairs_rebuild, search_rebuild
from commonroom.search.tests.conftest import make

pytestmark = pytest.mark.django_db

PHRASES = [
    '"naar school"',
    '"hele klas"',
    '"de hele"',
    '"fietsen in"',
    '"fiets veilig"',  # "fiets" ends the keywords, "veilig" starts the description
    '"learning fractions"',
    '"fractions pizza"',  # two keywords in a row, as the engines see them
    '"pizza fairly"',
]


@pytest.fixture
def paired(corpus, monkeypatch):
    """Every indexed word is a pair word."""
    monkeypatch.setattr(pairs, "MIN_DOCUMENTS", 1)
    monkeypatch.setattr(pairs, "MIN_SHARE", 0.0)
    every_word = get_backend().term_frequencies(1)
    assert search_pairs_rebuild() == len(every_word)
    assert set(SearchPairWord.objects.values_list("word", flat=True)) == set(every_word)
    return corpus


def engine_phrase_ids(text: str) -> list[int]:
    """The engine's own phrase matching (``match`` never uses pairs)."""
    matching = get_backend().match(SearchDocument.objects.all(), parse(text))
    return sorted(matching.values_list("pk", flat=True))


def pair_ids(text: str) -> list[int]:
    query = parse(text)
    assert pairs.split(query)[1], "not answered from the pairs"
    return sorted(get_backend().matching(query)[0].tolist())


@pytest.mark.parametrize("text", PHRASES)
def test_r2_a_phrase_of_frequent_words_matches_as_the_engine_does(paired, text):
    assert pair_ids(text) == engine_phrase_ids(text)


def test_r2_pairs_follow_publications_and_removals(paired):
    before = pair_ids('"naar school"')
    added = make(title="Naar school", description="Fietsen naar school")
    assert pair_ids('"naar school"') == engine_phrase_ids('"naar school"')
    assert len(pair_ids('"naar school"')) == len(before) + 1
    added.state = State.REMOVED
    added.save(update_fields=["state"])
    search_index_sync(kind="resource", object_id=added.pk)
    assert pair_ids('"naar school"') == before == engine_phrase_ids('"naar school"')


def test_r2_title_and_keyword_pairs_are_the_strong_matches(paired):
    backend = get_backend()
    query = parse('"hele klas"')
    assert backend.strong_ids(query).tolist() == []
    title = make(title="De hele klas leest", description="Lezen.")
    make(title="Lezen", description="De hele klas leest.")
    strong_ids = backend.strong_ids(query).tolist()
    assert strong_ids == list(
        SearchDocument.objects.filter(object_id=title.pk).values_list("pk", flat=True)
    )


def test_r2_a_title_phrase_ranks_above_a_description_phrase(paired):
    make(title="Rekenen", description="Met de hele klas samen.")
    title = make(title="De hele klas", description="Rekenen samen.")
    result = search_documents(text='"hele klas"', filters=Filters())
    assert result.hits[0].object.pk == title.pk
    assert result.total == 3


def test_r2_a_phrase_with_words_gives_the_engines_results(paired):
    backend = get_backend()
    for text in ['"naar school" fiets', '"hele klas" -pizza', '"learning fractions" pizza*']:
        query = parse(text)
        expected = sorted(
            backend.match(SearchDocument.objects.all(), query).values_list("pk", flat=True)
        )
        result = search_documents(text=text, filters=Filters(), snapshot=memory.snapshot())
        assert result.total == len(expected) > 0, text
        # Words and pairs both count towards the relevance of every match.
        relevance = backend.relevance(ParsedQuery(terms=query.positive), np.array(expected))
        assert (relevance > 0).all(), text


def test_r2_rare_words_and_longer_phrases_are_not_paired(corpus):
    assert not SearchPairWord.objects.exists()
    assert pairs.split(parse('"naar school"'))[1] == ()
    search_pairs_rebuild()  # no word is in 200 documents
    assert not SearchPairWord.objects.exists()
    words = frozenset({"naar", "school", "de"})
    assert not pairs.pairable(parse('"de hele klas"').terms[0], words)
    assert not pairs.pairable(parse("naar-school*").terms[0], words)
    assert pairs.pairable(parse('"naar school"').terms[0], words)


def test_r2_a_rebuild_forgets_the_pairs_and_chooses_again(paired, monkeypatch):
    search_rebuild()
    assert SearchPairWord.objects.exists()
    assert pair_ids('"hele klas"') == engine_phrase_ids('"hele klas"')


def test_r2_pair_tokens_stay_within_a_field():
    fields = [["fiet", "in"], ["verkeer", "fiet"], ["veil", "fiet"], []]
    words = frozenset({"fiet", "in", "verkeer", "veil"})
    assert pairs.field_pairs(fields, words) == [["fiet_in"], ["verkeer_fiet"], ["veil_fiet"], []]


def test_r2_writers_wait_while_the_pair_words_are_replaced(db):
    """PostgreSQL: a document written during a pairs rebuild waits for it,
    so it is never paired with the list being replaced."""
    from django.db import OperationalError, connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer")
    from commonroom.search.backends.postgres import PAIR_WORDS_LOCK

    def write_with_a_short_lock_timeout() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
            get_backend()._pair_words_for_writing()  # type: ignore[attr-defined]

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PAIR_WORDS_LOCK])
        with pytest.raises(OperationalError, match="lock timeout"):
            write_with_a_short_lock_timeout()
    finally:
        other.close()


def test_r2_frequent_phrases_are_filled_ahead_from_the_pair_index(paired, monkeypatch):
    """The hourly refresh stores the two-word phrases found in enough
    resources (anywhere, and in title or keywords), counted by the pair
    index, so no search pays their first match."""
    from commonroom.search import termsets
    from commonroom.search.models import SearchTermSet
    from commonroom.search.tests.conftest import make_phrase_matches

    make_phrase_matches()
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_SHARE", 0.0)
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 2)
    termsets.term_sets_refresh()
    keys = set(SearchTermSet.objects.values_list("key", flat=True))
    # "naar school" is in three descriptions and one title; "hele klas" in
    # three descriptions.
    assert {"w:naar school", "w:heel klas"} <= keys
    assert "sw:naar school" not in keys
    snapshot = memory.snapshot()
    for text in ('"naar school"', '"hele klas"'):
        term = parse(text).terms[0]
        stored = termsets.load(snapshot, term)
        assert stored is not None
        assert snapshot.ids[stored].tolist() == engine_phrase_ids(text)


def _scored_as_ranked(text: str) -> None:
    backend = get_backend()
    query = parse(text)
    ids, scores = backend.matching(query, scored=True)
    assert scores is not None
    assert ids.tolist() == sorted(backend.matching(query)[0].tolist())
    assert ids.size
    assert scores.tolist() == backend.relevance(query, ids).tolist()


@pytest.mark.parametrize("text", ["fiets", "fiets*", "pizza", '"naar school"', "fiets klas"])
def test_issue15_a_match_ranked_while_matching_gives_the_relevance_of_ranking(corpus, text):
    """One engine query matches and ranks a rare word (issue 15, item 3):
    the same documents as matching alone, the same relevance as ranking."""
    _scored_as_ranked(text)


@pytest.mark.parametrize("text", ['"naar school"', '"learning fractions"'])
def test_issue15_a_pair_ranked_while_matching_gives_the_relevance_of_ranking(paired, text):
    assert pairs.split(parse(text))[1], "not answered from the pairs"
    _scored_as_ranked(text)


@pytest.mark.parametrize("text", ["fiets", "fiets*", "klas", '"naar school"'])
def test_issue15_a_rare_word_is_matched_and_ranked_in_one_query(corpus, monkeypatch, text):
    """The page equals the one of matching and then ranking apart."""
    from commonroom.search import termsets

    backend_class = type(get_backend())
    asked = []
    real = backend_class.relevance

    def relevance(self, query, document_ids):
        asked.append(query)
        return real(self, query, document_ids)

    monkeypatch.setattr(backend_class, "relevance", relevance)
    at_once = search_documents(text=text, filters=Filters())
    assert asked == []
    monkeypatch.setattr(termsets, "is_stored", lambda snapshot, term, strong=False: True)
    apart = search_documents(text=text, filters=Filters())
    assert len(asked) == 1
    assert at_once.total == apart.total > 0
    assert [h.title for h in at_once.hits] == [h.title for h in apart.hits]
    assert at_once.counts == apart.counts
