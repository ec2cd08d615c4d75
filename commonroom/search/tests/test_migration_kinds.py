"""Migration 0011 (issue 14) keeps every document of a populated index: each
becomes kind "resource", every facet value survives under its facet's name,
the former facet columns become facet values, and back again."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.taxonomy.loading import load_taxonomy
from commonroom.taxonomy.models import Language, Licence, ResourceKind

BEFORE = [("search", "0010_pair_words")]
AFTER = [("search", "0011_document_kinds")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_issue14_migrating_a_populated_index_keeps_every_row_and_value():
    # A transactional test may follow another that emptied every table.
    load_taxonomy(lambda name: apps.get_model("taxonomy", name))
    resource = PublishedResourceFactory(keywords=["eb en vloed", "getijden"])
    kind = ResourceKind.objects.get(slug="worksheet").pk
    language = Language.objects.get(slug="en").pk
    licence = Licence.objects.get(slug="cc-by-4.0").pk
    old = migrate(BEFORE)
    try:
        documents = old.get_model("search", "SearchDocument")
        values = old.get_model("search", "SearchFacetValue")
        made = []
        for n in range(30):
            made.append(
                documents.objects.create(
                    object_type="resource",
                    object_id=resource.pk if n == 0 else 100_000 + n,
                    title=f"Document {n}",
                    keywords="eb en vloed getijden",
                    kind_id=kind if n % 2 else None,
                    language_id=language,
                    licence_id=licence if n % 3 else None,
                    allows_adaptation=n % 5 == 0,
                    allows_commercial=n % 7 == 0,
                )
            )
        for document in made:
            for facet, value in ((1, 11), (1, 12), (2, 21), (3, 31)):
                values.objects.create(facet=facet, value=value, document_id=document.pk)
        assert (documents.objects.count(), values.objects.count()) == (30, 120)

        new = migrate(AFTER)
        documents = new.get_model("search", "SearchDocument")
        values = new.get_model("search", "SearchFacetValue")
        assert documents.objects.count() == 30
        assert documents.objects.filter(kind="resource").count() == 30
        counts = {
            facet: values.objects.filter(facet=facet).count()
            for facet in ("subject", "level", "goal", "kind", "language", "licence", "allows")
        }
        # 30 of each language; kind on odd rows, licence off every third;
        # adaptation on multiples of 5 (6), commercial of 7 (5).
        assert counts == {
            "subject": 60,
            "level": 30,
            "goal": 30,
            "kind": 15,
            "language": 30,
            "licence": 20,
            "allows": 11,
        }
        assert values.objects.count() == sum(counts.values())
        assert set(values.objects.filter(facet="allows").values_list("value", flat=True)) == {1, 2}
        first = documents.objects.get(object_id=resource.pk)
        assert first.keywords == "eb en vloed\ngetijden"
        assert documents.objects.get(object_id=100_001).keywords == "eb en vloed getijden"

        old = migrate(BEFORE)
        documents = old.get_model("search", "SearchDocument")
        values = old.get_model("search", "SearchFacetValue")
        assert values.objects.count() == 120
        assert documents.objects.filter(kind_id=kind).count() == 15
        assert documents.objects.filter(allows_adaptation=True).count() == 6
        assert documents.objects.filter(allows_commercial=True).count() == 5
        assert documents.objects.filter(licence_id__isnull=True).count() == 10
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
