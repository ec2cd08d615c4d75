"""The benchmark's corpus generator runs end to end (issue 5, item 8): the
resources, the index with its pairs and shared word sets, and the term
statistics the benchmark draws its queries from."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from commonroom.resources.models import Resource
from commonroom.search.models import SearchDocument, SearchPairWord, SearchTermSet

pytestmark = pytest.mark.django_db


def test_r2_bench_data_builds_a_searchable_corpus(settings, tmp_path: Path):
    settings.VAR_DIR = tmp_path
    call_command("bench_data", resources=400, members=30, verbosity=1)
    assert Resource.objects.count() == 400
    assert SearchDocument.objects.count() == 400
    assert SearchPairWord.objects.exists()
    assert SearchTermSet.objects.filter(key__startswith="w:").exists()
    (statistics,) = tmp_path.glob("bench-vocabulary-*.json")
    data = json.loads(statistics.read_text())
    assert data["documents"] == 400
    assert len(data["titles"]) == 43  # seed 1: about one title in ten is sampled
    with pytest.raises(Exception, match="already holds resources"):
        call_command("bench_data", resources=10, members=1, verbosity=0)
