"""Documents of any registered kind (issue 14): ``object_type`` becomes
``kind`` (every existing row keeps "resource"); every facet value lives in
``SearchFacetValue`` under the facet's name ("subject", "level", "goal" for
the old 1, 2, 3; the former columns kind_id, language_id, licence_id and
allows_* become rows "kind", "language", "licence" and "allows" 1/2); the
assigned-id lists, kept for display only, go. Keywords are kept one a line
(the autocomplete suggests whole keywords)."""

from django.db import migrations, models

OLD_FACETS = {"1": "subject", "2": "level", "3": "goal"}
COLUMNS = {"kind": "kind_id", "language": "language_id", "licence": "licence_id"}
FLAGS = {1: "allows_adaptation", 2: "allows_commercial"}
CHUNK = 2000


def forward(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    documents = quote("search_searchdocument")
    values = quote("search_searchfacetvalue")
    with connection.cursor() as cursor:
        for old, name in OLD_FACETS.items():
            cursor.execute(f"UPDATE {values} SET facet = %s WHERE facet = %s", [name, old])
        for name, column in COLUMNS.items():
            cursor.execute(
                f"INSERT INTO {values} (facet, value, document_id) "
                f"SELECT %s, {quote(column)}, id FROM {documents} "
                f"WHERE {quote(column)} IS NOT NULL",
                [name],
            )
        for code, column in FLAGS.items():
            cursor.execute(
                f"INSERT INTO {values} (facet, value, document_id) "
                f"SELECT %s, %s, id FROM {documents} WHERE {quote(column)}",
                ["allows", code],
            )
    _keywords_one_a_line(apps)


def _keywords_one_a_line(apps):
    """The documents' keywords again from their resources, one a line."""
    if not apps.is_installed("resources"):
        return
    Resource = apps.get_model("resources", "Resource")
    SearchDocument = apps.get_model("search", "SearchDocument")
    last = 0
    while True:
        chunk = list(
            SearchDocument.objects.filter(object_type="resource", pk__gt=last)
            .order_by("pk")
            .only("pk", "object_id", "keywords")[:CHUNK]
        )
        if not chunk:
            return
        last = chunk[-1].pk
        keywords = dict(
            Resource.objects.filter(pk__in=[d.object_id for d in chunk]).values_list(
                "pk", "keywords"
            )
        )
        changed = []
        for document in chunk:
            text = "\n".join(str(k) for k in keywords.get(document.object_id) or [])
            if document.object_id in keywords and text != document.keywords:
                document.keywords = text
                changed.append(document)
        SearchDocument.objects.bulk_update(changed, ["keywords"])


def backward(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    documents = quote("search_searchdocument")
    values = quote("search_searchfacetvalue")
    with connection.cursor() as cursor:
        for name, column in COLUMNS.items():
            cursor.execute(
                f"UPDATE {documents} SET {quote(column)} = (SELECT v.value FROM {values} v "
                f"WHERE v.document_id = {documents}.id AND v.facet = %s)",
                [name],
            )
        for code, column in FLAGS.items():
            cursor.execute(
                f"UPDATE {documents} SET {quote(column)} = EXISTS (SELECT 1 FROM {values} v "
                f"WHERE v.document_id = {documents}.id AND v.facet = %s AND v.value = %s)",
                ["allows", code],
            )
        cursor.execute(
            f"DELETE FROM {values} WHERE facet NOT IN (%s, %s, %s)", list(OLD_FACETS.values())
        )
        for old, name in OLD_FACETS.items():
            cursor.execute(f"UPDATE {values} SET facet = %s WHERE facet = %s", [old, name])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0010_pair_words"),
        ("resources", "0002_resourcefile_thumbnail_small"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchfacetvalue",
            name="facet",
            field=models.CharField(max_length=40),
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_kind"),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_language"),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_licence"),
        migrations.RemoveField(model_name="searchdocument", name="kind_id"),
        migrations.RemoveField(model_name="searchdocument", name="language_id"),
        migrations.RemoveField(model_name="searchdocument", name="licence_id"),
        migrations.RemoveField(model_name="searchdocument", name="allows_adaptation"),
        migrations.RemoveField(model_name="searchdocument", name="allows_commercial"),
        migrations.RemoveField(model_name="searchdocument", name="subject_ids"),
        migrations.RemoveField(model_name="searchdocument", name="level_ids"),
        migrations.RemoveField(model_name="searchdocument", name="goal_ids"),
        migrations.RemoveConstraint(model_name="searchdocument", name="one_document_each"),
        migrations.RenameField(model_name="searchdocument", old_name="object_type", new_name="kind"),
        migrations.AlterField(
            model_name="searchdocument", name="kind", field=models.CharField(max_length=40)
        ),
        migrations.AddConstraint(
            model_name="searchdocument",
            constraint=models.UniqueConstraint(
                fields=("kind", "object_id"), name="one_document_each"
            ),
        ),
    ]
