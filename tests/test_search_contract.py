"""The search contract (issue 14): every registered searchable kind is
indexed, found by a word and by a facet, hidden (no longer found nor
counted) and removed, through its own adapter (``<app>/search.py``) only.

The cases come from the registry, so a new kind is covered as soon as it is
registered; it brings ``<app>/tests/search_contract.py`` (``make_public``,
``hide``, ``delete``) to make, hide and delete one of its objects the way
its own services leave them. An app with several kinds maps each kind's
key to its example in the module's ``BY_KIND``."""

from importlib import import_module
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonroom.search import memory, registry
from commonroom.search.facets import Filters
from commonroom.search.models import SearchDocument, SearchFacetValue
from commonroom.search.selectors import search_documents
from commonroom.search.services import search_index_sync

pytestmark = pytest.mark.django_db
KINDS = sorted(registry.kinds())
WORD = "zwalkontrakt"


def example(key: str) -> Any:
    app = registry.kind(key).model._meta.app_config
    assert app is not None
    name = f"{app.name}.tests.search_contract"
    try:
        module = import_module(name)
    except ModuleNotFoundError:  # pragma: no cover - a new kind without one
        pytest.fail(f"The searchable kind {key!r} has no contract example ({name}).")
    return getattr(module, "BY_KIND", {}).get(key, module)


def found(text: str, filters: Filters | None = None) -> list[tuple[str, int]]:
    result = search_documents(text=text, filters=filters or Filters(), page_size=50)
    assert result.total == len(result.hits)
    return [(hit.kind, hit.object.pk) for hit in result.hits]


def a_facet_value(key: str, object_id: int) -> tuple[str, int]:
    """The first facet value the kind's own document gives its object."""
    (document,) = registry.kind(key).documents([object_id])
    for name, values in document.facets.items():
        if values:
            return name, values[0]
    pytest.fail(f"The contract example of {key!r} carries no facet value.")


@pytest.mark.parametrize("key", KINDS)
def test_issue14_a_kind_is_indexed_found_hidden_and_removed(key: str, client: Client) -> None:
    contract = example(key)
    object_id = contract.make_public(title=f"Over {WORD} vandaag", body="Een getijdentafel.")
    other = contract.make_public(title="Iets anders", body="Geen treffer.")
    for pk in (object_id, other):
        assert search_index_sync(kind=key, object_id=pk) is not None

    # Found by a word, with its card on the page.
    assert found(WORD) == [(key, object_id)]
    assert found("getijdentafel") == [(key, object_id)]
    html = client.get(reverse("search:search"), {"q": WORD}).content.decode()
    assert f"Over <mark>{WORD}</mark> vandaag" in html
    assert f'href="{registry.kind(key).url(object_id, f"Over {WORD} vandaag")}"' in html
    # The kind writes its card, one list item, as the page shows it.
    (hit,) = search_documents(text=WORD, filters=Filters()).hits
    card = str(registry.kind(key).card(hit, 1)).strip()
    assert card.startswith("<li")
    assert card.endswith("</li>")
    assert card in html

    # Found by a facet it declares, and counted there.
    name, value = a_facet_value(key, object_id)
    facet = registry.facet(name)
    assert facet in registry.kind(key).facets
    chosen = next(t for t in facet.terms() if t.pk == value)
    facet_key = chosen.slug if facet.keyed_by_slug else chosen.pk
    assert (key, object_id) in found("", Filters(values={name: (facet_key,)}))
    result = search_documents(text=WORD, filters=Filters())
    assert result.counts[name][facet_key] == 1
    assert result.counts["type"] == {key: 1}
    assert found(WORD, Filters(values={"type": (key,)})) == [(key, object_id)]

    # Hidden: neither found nor counted.
    contract.hide(object_id)
    assert search_index_sync(kind=key, object_id=object_id) is None
    assert found(WORD) == []
    assert (key, object_id) not in found("", Filters(values={name: (facet_key,)}))
    result = search_documents(text=WORD, filters=Filters())
    assert (result.total, result.counts[name], result.counts["type"]) == (0, {}, {})
    assert not SearchDocument.objects.filter(kind=key, object_id=object_id).exists()

    # Removed: the document and its facet values go with it.
    document = SearchDocument.objects.get(kind=key, object_id=other)
    contract.delete(other)
    assert search_index_sync(kind=key, object_id=other) is None
    assert found("anders") == []
    assert not SearchDocument.objects.filter(kind=key).exists()
    assert not SearchFacetValue.objects.filter(document_id=document.pk).exists()
    assert memory.snapshot().ids[memory.snapshot().alive].size == 0


@pytest.mark.parametrize("key", KINDS)
def test_issue14_a_rebuild_indexes_every_kinds_public_objects(key: str) -> None:
    from commonroom.search.services import search_rebuild

    contract = example(key)
    public = contract.make_public(title=f"Weer {WORD}", body="")
    hidden = contract.make_public(title=f"Verborgen {WORD}", body="")
    contract.hide(hidden)
    search_rebuild()
    assert found(WORD) == [(key, public)]


def test_issue14_the_kind_filter_shows_once_two_kinds_have_documents(client: Client) -> None:
    url = reverse("search:search")
    first, second = KINDS[:2]
    one = example(first).make_public(title=f"Eerste {WORD}", body="")
    search_index_sync(kind=first, object_id=one)
    html = client.get(url, {"q": WORD}).content.decode()
    assert 'name="type"' not in html
    assert registry.kind(first).found_text(1) in html
    two = example(second).make_public(title=f"Tweede {WORD}", body="")
    search_index_sync(kind=second, object_id=two)
    html = client.get(url, {"q": WORD}).content.decode()
    assert f'name="type" value="{first}"' in html
    assert f'name="type" value="{second}"' in html
    assert "2 results found" in html
    html = client.get(url, {"q": WORD, "type": second}).content.decode()
    assert registry.kind(second).found_text(1) in html
    assert f"Tweede <mark>{WORD}</mark>" in html
    assert f"Eerste <mark>{WORD}</mark>" not in html
