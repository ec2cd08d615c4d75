"""A small fixed corpus, indexed through the real service."""

from typing import Any, cast

import pytest

from commonroom.resources.models import Resource, State
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory
from commonroom.search.services import search_index_sync
from commonroom.taxonomy.models import Language, Licence, ResourceKind

CORPUS: list[dict[str, Any]] = [
    {
        "title": "Fietsen in het verkeer",
        "description": "Veilig fietsen naar school met de hele klas.",
        "keywords": ["verkeer", "fiets"],
        "subjects": ["physics"],
        "levels": ["primary-1"],
        "language": "nl",
        "licence": "cc-by-4.0",
    },
    {
        "title": "Mijn fiets",
        "description": "Een werkblad over de onderdelen van een fiets.",
        "keywords": [],
        "subjects": ["biology"],
        "levels": ["primary-2"],
        "language": "nl",
        "licence": "cc-by-nc-4.0",
    },
    {
        "title": "Learning fractions",
        "description": "Pupils learn fractions by sharing a pizza fairly.",
        "keywords": ["fractions", "pizza"],
        "subjects": ["mathematics"],
        "levels": ["primary-3"],
        "language": "en",
        "licence": "cc-by-nd-4.0",
        "kind": "lesson-plan",
    },
    {
        "title": "Financiële geletterdheid",
        "description": "Omgaan met geld en een budget.",
        "keywords": ["geld"],
        "subjects": ["mathematics"],
        "levels": ["secondary-1-a"],
        "language": "nl",
        "licence": "cc-by-sa-4.0",
    },
    {
        "title": "Budget planning",
        "description": "A financiele worksheet about pocket money and learning to save.",
        "keywords": ["money"],
        "subjects": ["mathematics", "physics"],
        "levels": ["secondary-1-b"],
        "language": "en",
        "licence": "cc-by-4.0",
    },
    {
        "title": "Photosynthesis explained",
        "description": "How plants turn light into sugar.",
        "keywords": ["plants"],
        "body": "The leaf is a solar panel. Chlorophyll absorbs the light.",
        "subjects": ["biology"],
        "levels": ["secondary-1-a"],
        "language": "en",
        "licence": "cc-by-4.0",
    },
]


def make(state: str = State.PUBLISHED, **fields: Any) -> Resource:
    fields = {"body": "", **fields}
    for name, model in (("language", Language), ("licence", Licence), ("kind", ResourceKind)):
        if name in fields:
            fields[name] = model.objects.get(slug=fields[name])
    factory = PublishedResourceFactory if state == State.PUBLISHED else ResourceFactory
    resource = cast(Resource, factory(state=state, **fields))
    search_index_sync(kind="resource", object_id=resource.pk)
    return resource


def make_phrase_matches() -> list[Resource]:
    """Two more published resources holding the words and phrases the
    word-cache and shared-set tests look for, in every field."""
    return [
        make(
            title="Fietsen naar school",
            keywords=["fractions"],
            description="Met de hele klas naar school, geld voor pizza.",
            body="Fiets en fractie.",
        ),
        make(title="Niets hiervan", description="Naar de school? Hele, klas."),
    ]


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The queries the search engine is asked to match, in order."""
    from commonroom.search.backends import get_backend

    calls: list[Any] = []
    backend_class = type(get_backend())
    real = backend_class.matching

    def matching(self: Any, query: Any, *, scored: bool = False) -> Any:
        calls.append(query)
        return real(self, query, scored=scored)

    monkeypatch.setattr(backend_class, "matching", matching)
    return calls


@pytest.fixture
def corpus(db) -> dict[str, Resource]:
    resources = {spec["title"]: make(**spec) for spec in CORPUS}
    for state in (State.SUBMITTED, State.REJECTED, State.REMOVED, State.WITHDRAWN, State.DRAFT):
        make(
            state=state,
            title=f"Hidden fiets {state}",
            description="Fietsen with pizza fractions, financiële plants.",
        )
    return resources


@pytest.fixture
def every_set_is_frequent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every word's match set is kept and stored, however few its matches."""
    from commonroom.search import index_snapshot

    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_SHARE", 0.0)
    monkeypatch.setattr(index_snapshot, "TERM_CACHE_MIN_ROWS", 1)
