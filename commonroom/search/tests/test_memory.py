"""The in-memory copy of the index stays exactly the index: itemised
catch-up, full reloads, and counts equal to the SQL reference."""

import itertools

import numpy as np
import pytest

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.library.services import saved_item_create, saved_item_delete
from commonroom.resources.models import Resource
from commonroom.search import facets, index_snapshot, memory, snapshot_loading
from commonroom.search.facets import Filters, facet_counts, filter_masks, memory_counts
from commonroom.search.index_snapshot import Snapshot
from commonroom.search.models import SearchDocument, SearchIndexChange, SearchTermSet
from commonroom.search.services import search_index_sync
from commonroom.search.tests.conftest import make, make_phrase_matches
from commonroom.taxonomy.models import EducationLevel, Language, Licence, ResourceKind, Subject

pytestmark = pytest.mark.django_db


def same_as_fresh_load(snapshot: Snapshot) -> None:
    fresh = snapshot_loading.load(snapshot.version, snapshot.stamp)
    assert snapshot.ids[snapshot.alive].tolist() == fresh.ids.tolist()
    live = snapshot.alive
    for name, column in fresh.values.items():
        np.testing.assert_array_equal(snapshot.values[name][live], column)
    assert set(snapshot.entry_rows) >= set(fresh.entry_rows)
    for facet in fresh.entry_rows:
        ours = sorted(
            (int(snapshot.ids[r]), int(v))
            for r, v in zip(snapshot.entry_rows[facet], snapshot.entry_values[facet], strict=True)
            if live[r]
        )
        theirs = sorted(
            (int(fresh.ids[r]), int(v))
            for r, v in zip(fresh.entry_rows[facet], fresh.entry_values[facet], strict=True)
        )
        assert ours == theirs


def test_r2_changes_are_applied_item_by_item(django_capture_on_commit_callbacks, monkeypatch):
    first = make(title="Eerste", subjects=["biology"], levels=["primary-1"])
    before = memory.snapshot()

    def reload(*args):
        pytest.fail("reloaded")

    monkeypatch.setattr(snapshot_loading, "load", reload)
    second = make(title="Tweede", subjects=["physics"], levels=["primary-2"])
    Resource.objects.filter(pk=first.pk).update(title="Eerste, herzien")
    search_index_sync(kind="resource", object_id=first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        saved_item_create(member=MemberFactory(), resource=second)
    after = memory.snapshot()
    assert after.version == before.version + 3
    monkeypatch.undo()
    same_as_fresh_load(after)
    documents = dict(SearchDocument.objects.values_list("object_id", "pk"))
    assert sorted(after.ids[after.alive].tolist()) == sorted(documents.values())
    assert int(after.values["saves"][after.rows_of(np.array([documents[second.pk]]))][0]) == 1


@pytest.mark.parametrize("entry_cost", [0, 10**12])
def test_r2_a_removal_is_gone_from_counts_at_the_next_search(
    django_capture_on_commit_callbacks, monkeypatch, entry_cost
):
    monkeypatch.setattr(facets, "ENTRY_COST", entry_cost)
    kept = make(title="Blijft", subjects=["biology"])
    gone = make(title="Gaat", subjects=["biology"])
    snapshot = memory.snapshot()
    biology = Subject.objects.get(slug="biology").pk
    assert memory_counts(snapshot, snapshot.alive, {})["subject"][biology] == 2
    Resource.objects.filter(pk=gone.pk).update(state="removed")
    search_index_sync(kind="resource", object_id=gone.pk)
    snapshot = memory.snapshot()
    assert memory_counts(snapshot, snapshot.alive, {})["subject"][biology] == 1
    assert snapshot.ids[snapshot.alive].tolist() == list(
        SearchDocument.objects.filter(object_id=kept.pk).values_list("pk", flat=True)
    )
    with django_capture_on_commit_callbacks(execute=True):
        saved_item_delete(member=MemberFactory(), resource=kept)  # nothing to delete: no version
    assert memory.snapshot().version == snapshot.version


def test_r2_a_process_too_far_behind_reloads(monkeypatch):
    make(title="Eerste")
    stale = memory.snapshot()
    make(title="Tweede")
    # The history before the newest version was pruned.
    SearchIndexChange.objects.filter(version__lt=stale.version + 1).delete()
    reloads = []
    real_load = snapshot_loading.load

    def load(*args):
        reloads.append(args)
        return real_load(*args)

    monkeypatch.setattr(snapshot_loading, "load", load)
    fresh = memory.snapshot()
    assert len(reloads) == 1
    assert fresh.ids.size == 2


def test_r2_another_history_with_the_same_number_is_not_trusted():
    make(title="Eerste")
    snapshot = memory.snapshot()
    SearchDocument.objects.all().delete()
    from commonroom.search.models import SearchIndexState

    SearchIndexState.objects.update(stamp="another-history")
    assert memory.snapshot().ids.size == 0
    assert snapshot.ids.size == 1


@pytest.mark.parametrize(
    "entry_cost", [0, 10**12], ids=["over the rows' entries", "over the facets' bitmaps"]
)
def test_r2_memory_counts_equal_the_sql_reference(corpus, monkeypatch, entry_cost):
    # Both ways of counting (issue 15, item 3: a few matches are counted
    # over their own entries) give the reference's counts.
    monkeypatch.setattr(facets, "ENTRY_COST", entry_cost)
    snapshot = memory.snapshot()
    subjects = list(Subject.objects.values_list("pk", flat=True)[:6])
    levels = list(EducationLevel.objects.values_list("pk", flat=True)[:6])
    choices = {
        "subject": [(), *((s,) for s in subjects), tuple(subjects[:2])],
        "level": [(), *((v,) for v in levels)],
        "language": [(), tuple(Language.objects.values_list("pk", flat=True)[:1])],
        "kind": [(), tuple(ResourceKind.objects.values_list("pk", flat=True)[:2])],
        "licence": [(), tuple(Licence.objects.values_list("pk", flat=True)[:3])],
    }
    allows = [(), ("adaptation",), ("adaptation", "commercial")]
    combos = list(itertools.product(*choices.values(), allows))
    for combo in combos[:: max(1, len(combos) // 150)]:
        values = {name: v for name, v in zip(choices, combo[:-1], strict=True) if v}
        if combo[-1]:
            values["allows"] = combo[-1]
        filters = Filters(values=values)
        expected = facet_counts(SearchDocument.objects.all(), filters)
        got = memory_counts(snapshot, snapshot.alive, filter_masks(snapshot, filters))
        assert got == expected, filters


@pytest.mark.parametrize("share", [0.5, 0.75, 0.9, 1.0])
def test_r2_matches_in_most_of_the_index_are_counted_as_all_less_the_rest(
    corpus, monkeypatch, share
):
    snapshot = memory.snapshot()
    live = np.flatnonzero(snapshot.alive)
    chosen = np.random.default_rng(7).choice(live, int(live.size * share), replace=False)
    base = np.zeros(snapshot.size, dtype=np.bool_)
    base[chosen] = True
    counted = []
    real = facets._counted

    def spy(snapshot, rows, masks, **kwargs):
        counted.append(int(np.count_nonzero(rows)))
        return real(snapshot, rows, masks, **kwargs)

    monkeypatch.setattr(facets, "_counted", spy)
    got = memory_counts(snapshot, base, {})
    expected = facet_counts(
        SearchDocument.objects.filter(pk__in=snapshot.ids[chosen].tolist()), Filters()
    )
    assert got == expected
    if chosen.size * 2 > live.size:
        # Every live row (once per version), then only the rows left out.
        assert counted == [live.size, live.size - chosen.size]
    else:
        assert counted == [chosen.size]


@pytest.mark.parametrize("how_many", [1, 3, 6])
def test_r2_a_few_listed_matches_are_counted_over_their_own_entries_once(
    corpus, monkeypatch, how_many
):
    """A rare word's matches (its rows in hand, no facet chosen) are counted
    facet by facet over the rows' own entries, their bounds worked out
    once: the reference's counts, without weighing any bitmap."""
    snapshot = memory.snapshot()
    live = np.flatnonzero(snapshot.alive)
    listed = np.random.default_rng(how_many).choice(live, how_many, replace=False)
    monkeypatch.setattr(
        snapshot, "tree_bits", lambda name: pytest.fail(f"{name} counted over its bitmaps")
    )

    got = memory_counts(snapshot, snapshot.mask_of(listed), {}, listed=listed)

    expected = facet_counts(
        SearchDocument.objects.filter(pk__in=snapshot.ids[listed].tolist()), Filters()
    )
    assert got == expected
    assert got["type"] == {"resource": how_many}


def test_r2_frequent_words_are_matched_once_per_version(corpus, monkeypatch, engine_calls):
    from commonroom.search.selectors import search_documents

    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_SHARE", 0.0)
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 0)
    calls = engine_calls
    first = search_documents(text="fiets", filters=Filters())
    assert len(calls) == 1
    again = search_documents(text="fiets -verkeer", filters=Filters())
    assert len(calls) == 2  # only "verkeer" reaches the engine
    assert [h.object.title for h in again.hits] == ["Mijn fiets"]
    assert search_documents(text="-verkeer fiets", filters=Filters()).total == 1
    assert len(calls) == 2
    assert first.total == 2
    # A new resource is matched against the cached words in memory: no
    # engine call, and it is found.
    make(title="Fiets en helm")
    assert search_documents(text="fiets", filters=Filters()).total == 3
    assert len(calls) == 2


def test_r2_a_save_keeps_the_cached_words(corpus, django_capture_on_commit_callbacks, monkeypatch):
    from commonroom.search.selectors import search_documents

    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_SHARE", 0.0)
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 0)
    search_documents(text="fiets", filters=Filters())
    before = memory.snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        saved_item_create(member=MemberFactory(), resource=corpus["Mijn fiets"])
    after = memory.snapshot()
    assert after.version == before.version + 1
    assert after.cache["terms"] is before.cache["terms"]


@pytest.mark.parametrize(
    "text", ["fiets", "fiets*", "fract*", '"naar school"', '"hele klas"', "pizza", "geld"]
)
def test_r2_cached_words_survive_a_publication_and_stay_exact(corpus, monkeypatch, text):
    """After a publication the cached sets are extended by matching the new
    document here; they must equal what the engine matches."""
    from commonroom.search.query import parse
    from commonroom.search.selectors import _matched

    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_SHARE", 0.0)
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 0)
    query = parse(text)
    _matched(memory.snapshot(), query)
    make_phrase_matches()
    after = memory.snapshot()
    assert after.cache.get("terms"), "the cache was not carried over"
    cached = _matched(after, query).mask
    memory.forget()
    SearchTermSet.objects.all().delete()  # the engine's own answer
    fresh_snapshot = memory.snapshot()
    fresh = _matched(fresh_snapshot, query).mask
    assert after.ids[cached].tolist() == fresh_snapshot.ids[fresh].tolist()


def test_issue15_a_few_rows_are_counted_over_their_own_entries_in_any_order():
    snapshot = Snapshot(
        version=1,
        stamp="s",
        ids=np.array([10, 20, 30], dtype=np.int64),
        alive=np.ones(3, dtype=np.bool_),
        values={},
        entry_rows={"subject": np.array([2, 0, 1, 0], dtype=np.int32)},
        entry_values={"subject": np.array([5, 6, 7, 8], dtype=np.int32)},
    )
    starts, values = snapshot.entries_by_row("subject")
    assert starts.tolist() == [0, 2, 3, 4]
    assert values.tolist() == [6, 8, 7, 5]
    found, counts = facets._counted_by_entries(snapshot, "subject", np.array([0, 2]))
    assert dict(zip(found.tolist(), counts.tolist(), strict=True)) == {5: 1, 6: 1, 8: 1}
    nothing, none = facets._counted_by_entries(snapshot, "level", np.array([0, 1]))
    assert nothing.size == none.size == 0
