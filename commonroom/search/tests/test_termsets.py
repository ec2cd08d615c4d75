"""Match sets shared between processes stay exactly what the engine
matches: at the version they were stored, after publications and
removals, and they are not used when the history does not reach back."""

import numpy as np
import pytest
from django.db import DatabaseError

from commonroom.resources.models import Resource, State
from commonroom.search import index_snapshot, memory, termsets, tokens
from commonroom.search.backends import get_backend
from commonroom.search.facets import Filters
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.models import SearchDocument, SearchTermSet
from commonroom.search.query import parse
from commonroom.search.selectors import search_documents
from commonroom.search.services import search_index_sync, search_index_touch
from commonroom.search.tests.conftest import make, make_phrase_matches

pytestmark = pytest.mark.django_db

TEXTS = ["fiets", "fiets*", "fract*", '"naar school"', '"hele klas"', "pizza", "geld"]


def engine_ids(snapshot: Snapshot, text: str, *, strong: bool = False) -> list[int]:
    mask = termsets.engine_mask(snapshot, parse(text).terms[0], strong=strong) & snapshot.alive
    return snapshot.ids[mask].tolist()


def loaded_ids(snapshot: Snapshot, text: str, *, strong: bool = False) -> list[int] | None:
    mask = termsets.load(snapshot, parse(text).terms[0], strong=strong)
    return None if mask is None else snapshot.ids[mask & snapshot.alive].tolist()


def publish_more() -> Resource:
    make_phrase_matches()
    return make(title="Pizza geld", description="Fractions of a fiets.")


@pytest.mark.parametrize(
    ("text", "strong"),
    # Strong sets: in title or keywords (none of the corpus has these phrases there).
    [(text, False) for text in TEXTS] + [(text, True) for text in TEXTS if '"' not in text],
)
def test_r2_a_stored_set_is_the_engines_set_after_publications_and_removals(
    corpus, every_set_is_frequent, text, strong
):
    snapshot = memory.snapshot()
    term = parse(text).terms[0]
    termsets.store(
        snapshot, term, termsets.engine_mask(snapshot, term, strong=strong), strong=strong
    )
    assert loaded_ids(snapshot, text, strong=strong) == engine_ids(snapshot, text, strong=strong)
    last = publish_more()
    corpus["Mijn fiets"].state = State.REMOVED
    corpus["Mijn fiets"].save(update_fields=["state"])
    search_index_sync(kind="resource", object_id=corpus["Mijn fiets"].pk)
    Resource.objects.filter(pk=last.pk).update(title="Iets anders")
    search_index_sync(kind="resource", object_id=last.pk)
    later = memory.snapshot()
    assert later.version == snapshot.version + 5
    assert loaded_ids(later, text, strong=strong) == engine_ids(later, text, strong=strong)


def test_r2_a_search_uses_the_stored_set_instead_of_the_engine(
    corpus, every_set_is_frequent, monkeypatch
):
    first = search_documents(text="fiets", filters=Filters())
    assert SearchTermSet.objects.filter(key="w:fiet").exists()
    publish_more()
    memory.forget()  # another process, or this one restarted

    def engine(*args, **kwargs):
        pytest.fail("the engine matched a stored word")

    monkeypatch.setattr(type(get_backend()), "matching", engine)
    later = search_documents(text="fiets", filters=Filters(), sort="newest")
    assert later.total == first.total + 2


def test_r2_a_set_is_not_used_when_the_history_does_not_reach_back(corpus, every_set_is_frequent):
    snapshot = memory.snapshot()
    term = parse("fiets").terms[0]
    termsets.store(snapshot, term, termsets.engine_mask(snapshot, term))
    search_index_touch()  # a bulk load: no itemised changes
    publish_more()
    assert loaded_ids(memory.snapshot(), "fiets") is None


def test_r2_rare_sets_are_not_stored(corpus):
    snapshot = memory.snapshot()
    term = parse("fiets").terms[0]
    termsets.store(snapshot, term, termsets.engine_mask(snapshot, term))
    assert not SearchTermSet.objects.exists()
    assert termsets.load(snapshot, term) is None


def test_r2_refresh_fills_frequent_words_and_prefixes_and_rolls_sets_forward(
    corpus, every_set_is_frequent, monkeypatch
):
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 2)
    # Sets with weights follow the same rule here (test_term_weights.py).
    monkeypatch.setattr(termsets, "WEIGHTS_REWRITE_SHARE", 1.0)
    stored = termsets.term_sets_refresh()
    keys = set(SearchTermSet.objects.values_list("key", flat=True))
    assert stored == len(keys)
    # The stem "fiet" is in two published resources, "pizza" in one.
    assert {"w:fiet", "w:de", "p:fina", "p:budg"} <= keys
    assert "w:pizza" not in keys
    # Titles and keywords: "fiets" is in two titles, "de" in one.
    assert "sw:fiet" in keys
    assert "sw:de" not in keys
    snapshot = memory.snapshot()
    for key in keys:
        term, strong = termsets._term_of(key)
        mask = termsets.load(snapshot, term, strong=strong)
        assert mask is not None
        assert (
            snapshot.ids[mask].tolist()
            == snapshot.ids[termsets.engine_mask(snapshot, term, strong=strong)].tolist()
        )
    first_version = snapshot.version
    publish_more()
    # Three documents added: readers match them themselves, nothing is rewritten.
    termsets.term_sets_refresh()
    later = memory.snapshot()
    versions = dict(SearchTermSet.objects.values_list("key", "version"))
    assert versions["w:fiet"] == first_version
    assert versions["w:pizza"] == later.version  # frequent now, computed
    assert loaded_ids(later, "fiets") == engine_ids(later, "fiets")
    monkeypatch.setattr(termsets, "REWRITE_AFTER_ADDED", 3)
    termsets.term_sets_refresh()
    assert set(SearchTermSet.objects.values_list("version", flat=True)) == {later.version}
    assert loaded_ids(later, "fiets") == engine_ids(later, "fiets")


def test_r2_a_refused_write_does_not_fail_the_search(corpus, every_set_is_frequent, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("read-only")

    monkeypatch.setattr(SearchTermSet.objects, "bulk_create", refuse)
    result = search_documents(text="fiets", filters=Filters())
    assert result.total == 2
    assert not SearchTermSet.objects.exists()


def test_r2_encoding_round_trips_over_gaps_in_ids(corpus):
    snapshot = memory.snapshot()
    mask = np.zeros(snapshot.size, dtype=np.bool_)
    mask[::2] = True
    assert (termsets.decode(snapshot, termsets.encode(snapshot, mask)) == mask).all()


def test_r2_prefixes_are_filled_as_the_search_box_asks_for_them():
    """ "loes*" looks for "loe" (the part of "loes" its stem keeps): that
    set is filled, under the key a search uses; a prefix counts when its
    words together are frequent, though none of them is."""
    frequencies = {"loesje": 3, "loempia": 2, "fracta": 1, "fractb": 1, "de": 9}
    keys = termsets.wanted_keys(frequencies, 4)
    assert keys == ["w:de", "p:loe"]
    assert termsets.term_key(parse("loes*").terms[0]) == "p:loe"
    assert termsets.wanted_keys(frequencies, 2, strong=True) == [
        "sw:de",
        "sw:loempia",
        "sw:loesje",
        "sp:fra",
        "sp:loe",
        "sp:loem",
    ]


def test_r2_the_refresh_moves_on_sets_no_addition_touched_and_rewrites_the_others(
    corpus, every_set_is_frequent, monkeypatch
):
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 2)
    termsets.term_sets_refresh()
    before = {key: bytes(bits) for key, bits in SearchTermSet.objects.values_list("key", "bits")}
    assert {"w:fiet", "w:budget", "sw:fiet"} <= set(before)
    added = make(title="Pizza geld", description="Fractions of a fiets.")
    monkeypatch.setattr(termsets, "REWRITE_AFTER_ADDED", 1)
    rewritten = []
    store = termsets.store

    def spy(snapshot, term, mask, *, strong=False, weights=None):
        rewritten.append(termsets.term_key(term, strong=strong))
        store(snapshot, term, mask, strong=strong, weights=weights)

    monkeypatch.setattr(termsets, "store", spy)
    termsets.term_sets_refresh()
    later = memory.snapshot()
    after = {
        key: (version, bytes(bits))
        for key, version, bits in SearchTermSet.objects.values_list("key", "version", "bits")
    }
    # Rewritten: exactly the sets holding the new resource (new sets among
    # them); the rest only moved on.
    (row,) = later.rows_of(
        np.array(
            SearchDocument.objects.filter(object_id=added.pk).values_list("pk", flat=True),
            dtype=np.int64,
        )
    )
    holding = set()
    for key in after:
        term, strong = termsets._term_of(key)
        if termsets.engine_mask(later, term, strong=strong)[row]:
            holding.add(key)
    assert sorted(rewritten) == sorted(holding)
    assert {"w:fiet", "w:pizza", "w:geld", "w:fraction"} <= holding
    assert not {"w:budget", "sw:fiet", "w:de"} & holding
    assert {version for version, _ in after.values()} == {later.version}
    # "budget" is not in the new resource: the same bits, at the new version.
    assert after["w:budget"][1] == before["w:budget"]
    # "fiets" is in its description, not in its title or keywords.
    assert after["w:fiet"][1] != before["w:fiet"]
    assert after["sw:fiet"][1] == before["sw:fiet"]
    for key in after:
        term, strong = termsets._term_of(key)
        mask = termsets.load(later, term, strong=strong)
        assert mask is not None
        assert (
            later.ids[mask & later.alive].tolist()
            == later.ids[termsets.engine_mask(later, term, strong=strong) & later.alive].tolist()
        )


def test_r2_after_a_removal_the_refresh_rewrites_every_set_behind(
    corpus, every_set_is_frequent, monkeypatch
):
    termsets.term_sets_refresh()
    before = dict(SearchTermSet.objects.values_list("key", "documents"))
    corpus["Mijn fiets"].state = State.REMOVED
    corpus["Mijn fiets"].save(update_fields=["state"])
    search_index_sync(kind="resource", object_id=corpus["Mijn fiets"].pk)
    make(title="Pizza geld")
    monkeypatch.setattr(termsets, "REWRITE_AFTER_ADDED", 1)
    termsets.term_sets_refresh()
    snapshot = memory.snapshot()
    stored = {
        key: (version, documents)
        for key, version, documents in SearchTermSet.objects.values_list(
            "key", "version", "documents"
        )
    }
    # "de" and "fiets" were in the removed resource, not in the new one.
    assert (before["w:de"], before["w:fiet"]) == (2, 2)
    assert (stored["w:de"], stored["w:fiet"]) == ((snapshot.version, 1), (snapshot.version, 1))
    for key, (version, documents) in stored.items():
        term, strong = termsets._term_of(key)
        engine = termsets.engine_mask(snapshot, term, strong=strong) & snapshot.alive
        assert (version, documents) == (snapshot.version, int(np.count_nonzero(engine)))


DOCUMENTS: list[list[list[str]]] = [
    [["fiet", "naar", "school"], ["fractie"], ["met", "de", "hele", "klas"], []],
    [["niet", "hiervan"], [], ["naar", "de", "school", "hele", "klas"], ["fiet"]],
    [["school", "naar"], ["fiet", "naar"], [], ["financ", "fietsen"]],
    [[], [], [], []],
]


@pytest.mark.parametrize(
    ("stems", "prefix", "anywhere", "in_title_or_keywords"),
    [
        (("fiet",), False, [1, 1, 1, 0], [1, 0, 1, 0]),
        (("fiet",), True, [1, 1, 1, 0], [1, 0, 1, 0]),
        (("fi",), True, [1, 1, 1, 0], [1, 0, 1, 0]),
        (("naar", "school"), False, [1, 0, 0, 0], [1, 0, 0, 0]),  # not "naar de school"
        (("hele", "kl"), True, [1, 1, 0, 0], [0, 0, 0, 0]),
        (("school", "naar"), False, [0, 0, 1, 0], [0, 0, 1, 0]),
        (("fiet", "naar"), False, [1, 0, 1, 0], [1, 0, 1, 0]),  # in a title, in keywords
        (("naar", "fiet"), False, [0, 0, 0, 0], [0, 0, 0, 0]),  # never across two fields
        (("klas",), False, [1, 1, 0, 0], [0, 0, 0, 0]),
        (("zzz",), True, [0, 0, 0, 0], [0, 0, 0, 0]),
    ],
)
def test_r2_the_token_matcher_matches_as_the_engines_do(
    stems, prefix, anywhere, in_title_or_keywords
):
    matcher = tokens.TokenMatcher(DOCUMENTS)
    for strong, expected in ((False, anywhere), (True, in_title_or_keywords)):
        found = matcher.matches(stems, prefix, strong=strong).astype(int).tolist()
        assert found == expected
        # The rule a reader and the engines' equality tests use.
        assert found == [
            int(tokens.has_term(fields[:2] if strong else fields, stems, prefix))
            for fields in DOCUMENTS
        ]


def test_r2_an_untouched_set_is_dropped_when_the_index_grew_past_it(
    corpus, every_set_is_frequent, monkeypatch
):
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 2)
    termsets.term_sets_refresh()
    assert SearchTermSet.objects.get(key="w:budget").documents == 2
    make(title="Pizza geld")
    monkeypatch.setattr(termsets, "REWRITE_AFTER_ADDED", 1)
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 3)  # as a bigger index asks
    termsets.term_sets_refresh()
    assert not SearchTermSet.objects.filter(key="w:budget").exists()
    assert SearchTermSet.objects.get(key="w:a").documents == 4


def test_r2_moving_on_leaves_a_set_a_search_rewrote_meanwhile(corpus, every_set_is_frequent):
    snapshot = memory.snapshot()
    term = parse("fiets").terms[0]
    termsets.store(snapshot, term, termsets.engine_mask(snapshot, term))
    publish_more()
    later = memory.snapshot()
    # Read at the old version by the refresh, rewritten by a search since.
    termsets.store(later, term, termsets.engine_mask(later, term))
    SearchTermSet.objects.filter(key="w:fiet").update(version=later.version - 1)
    termsets._move_on(later, {snapshot.version: ["w:fiet"]})
    assert SearchTermSet.objects.get(key="w:fiet").version == later.version - 1
    termsets._move_on(later, {later.version - 1: ["w:fiet"]})
    assert SearchTermSet.objects.get(key="w:fiet").version == later.version
