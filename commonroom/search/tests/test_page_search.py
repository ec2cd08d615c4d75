"""The search page and the API read the index version once, in the search
itself (``page_search.searched``): a rare word's page is three queries of
the search's own, its match read with the version."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonroom.search import memory
from commonroom.search.models import SearchIndexState
from commonroom.search.page_search import searched
from commonroom.search.tests.conftest import make
from commonroom.taxonomy.models import Subject

pytestmark = pytest.mark.django_db

STATE = SearchIndexState._meta.db_table


@pytest.mark.parametrize("path", ["/search/?q=photosynthesis", "/api/v1/search?q=photosynthesis"])
def test_r11_a_rare_words_page_reads_the_version_with_its_matches(
    corpus, client: Client, path: str
) -> None:
    assert client.get(path).status_code == 200  # this process holds a copy

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)

    assert response.status_code == 200
    assert "Photosynthesis" in response.content.decode()
    reads = [q["sql"] for q in captured.captured_queries if STATE in q["sql"]]
    assert len(reads) == 1
    assert "UNION ALL" in reads[0]


def test_r2_filters_are_read_again_when_the_vocabulary_moved_with_the_index(corpus) -> None:
    """A value added since this process's copy: the first reading of the
    filters does not know it; the search finds the index moved, reads them
    again with its vocabulary and searches again."""
    memory.snapshot()
    astronomy = Subject.objects.create(
        slug="astronomy", label_nl="Sterrenkunde", label_en="Astronomy"
    )
    make(title="De sterren", subjects=["astronomy"])

    made = searched(QueryDict("subject=astronomy"), text="")

    assert made.filters.chosen("subject") == (astronomy.pk,)
    assert [hit.object.title for hit in made.result.hits] == ["De sterren"]
    assert made.snapshot is memory.kept()
    assert made.result.snapshot is made.snapshot


def test_r2_filters_the_copy_knows_are_read_once(corpus, monkeypatch) -> None:
    from commonroom.search import page_search

    memory.snapshot()
    searches = []
    real = page_search.search_documents

    def counted(**options):
        searches.append(options)
        return real(**options)

    monkeypatch.setattr(page_search, "search_documents", counted)
    make(title="Nog een fiets", subjects=["physics"])  # the index moves, its vocabulary not

    made = searched(QueryDict("subject=physics"), text="fiets")

    assert len(searches) == 1
    assert made.result.total == 2
