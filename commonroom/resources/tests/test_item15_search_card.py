"""A resource's search result card is read as plain values in one query
(issue 15, item 3): it still shows what the resource page's card shows,
in the reader's language, and never a resource taken down since it was
indexed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonroom.resources.models import FileState, Resource
from commonroom.resources.search import resource_cards
from commonroom.resources.tests.factories import ResourceFileFactory
from commonroom.search.tests.conftest import make
from commonroom.taxonomy.models import Language, Licence, ResourceKind

pytestmark = pytest.mark.django_db


def test_issue15_the_card_shows_kind_language_licence_author_and_picture(client: Client):
    resource = make(
        title="Getijden van de Noordzee",
        kind="worksheet",
        language="en",
        licence="cc-by-4.0",
    )
    ResourceFileFactory(resource=resource, state=FileState.REMOVED, thumbnail="thumbnails/old.png")
    first = ResourceFileFactory(
        resource=resource, thumbnail="thumbnails/a.png", thumbnail_small="thumbnails/a-small.webp"
    )
    ResourceFileFactory(resource=resource, thumbnail="thumbnails/b.png")
    kind = ResourceKind.objects.get(slug="worksheet")
    language = Language.objects.get(slug="en")
    licence = Licence.objects.get(slug="cc-by-4.0")

    html = client.get("/search/", {"q": "getijden"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert f'<a href="{resource.get_absolute_url()}">' in html
    assert f"{kind.label_nl} · {language.label_nl}" in html
    assert f"Door {resource.author.display_name} · {licence.name}" in html
    assert f"/resources/{resource.pk}/files/{first.pk}/thumbnail-320.webp" in html
    assert '<h2 lang="en">' in html
    english = client.get("/search/", {"q": "getijden"}, HTTP_ACCEPT_LANGUAGE="en")
    assert f"{kind.label_en} · {language.label_en}" in english.content.decode()


def test_issue15_the_cards_of_a_page_are_one_query_and_only_published_ones():
    shown = [make(title=f"Kaart {n}") for n in range(3)]
    for resource in shown:
        ResourceFileFactory(resource=resource, thumbnail="thumbnails/x.png")
    # Taken down after it was indexed, before the index heard of it.
    gone = make(title="Kaart weg")
    Resource.objects.filter(pk=gone.pk).update(state="removed")

    with CaptureQueriesContext(connection) as queries:
        cards = resource_cards([r.pk for r in shown] + [gone.pk])

    assert len(queries) == 1
    assert sorted(cards) == sorted(r.pk for r in shown)
    card = cards[shown[0].pk]
    assert card.title == "Kaart 0"
    assert card.get_absolute_url() == shown[0].get_absolute_url()
    assert card.thumbnail is not None
    assert card.thumbnail.resource_id == shown[0].pk
    assert card.thumbnail.thumbnail_small == ""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own query plan")
def test_issue15_the_cards_first_picture_is_read_in_order_without_a_sort():
    """Each card's picture is the first file in the resource page's order:
    read along the (resource, position, id) index, not sorted per card."""
    from commonroom.resources.search_card import _card_rows

    sql, params = _card_rows([1, 2, 3]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]

    assert [step for step in plan if "TEMP B-TREE" in step] == []
    assert sum("resourcefile_in_order" in step for step in plan) == 2
