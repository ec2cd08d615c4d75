"""The benchmark's corpus generator runs end to end (issue 5, item 8): the
resources, the index with its pairs and shared word sets, and the term
statistics the benchmark draws its queries from."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commonroom.resources.models import Resource
from commonroom.search import memory, pairs
from commonroom.search.backends import get_backend
from commonroom.search.models import SearchDocument, SearchPairWord, SearchTermSet

pytestmark = pytest.mark.django_db


def test_r2_bench_data_builds_a_searchable_corpus(settings, tmp_path: Path):
    settings.VAR_DIR = tmp_path
    call_command("bench_data", resources=400, members=30, verbosity=1)
    assert Resource.objects.count() == 400
    assert SearchDocument.objects.count() == 400
    backend = get_backend()
    # Pair words: every word in at least pairs.MIN_DOCUMENTS (200) of the 400.
    paired = backend.term_frequencies(pairs.MIN_DOCUMENTS)
    assert paired
    assert set(SearchPairWord.objects.values_list("word", flat=True)) == set(paired)
    # Word sets: every word in at least the frequent share of the index.
    frequent = backend.term_frequencies(memory.snapshot().frequent)
    stored_words = {
        key[2:]
        for key in SearchTermSet.objects.values_list("key", flat=True)
        if key.startswith("w:") and " " not in key
    }
    assert stored_words == set(frequent)
    (statistics,) = tmp_path.glob("bench-vocabulary-*.json")
    data = json.loads(statistics.read_text())
    assert data["documents"] == 400
    assert len(data["titles"]) == 43  # seed 1: about one title in ten is sampled
    with pytest.raises(CommandError, match="already holds resources"):
        call_command("bench_data", resources=10, members=1, verbosity=0)
