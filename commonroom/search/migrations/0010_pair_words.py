"""Pairs of frequent words as tokens of their own (``search/pairs.py``).

A "phrase" of two words found in most resources made FTS5 walk both words'
position lists and PostgreSQL recheck the positions of every resource
holding both (120 ms at 100,000 resources). Each document's adjacent pairs
of frequent words (``SearchPairWord``) are indexed per field:

- SQLite: a contentless FTS5 table with a column per field (``detail=column``
  would be smaller, but FTS5's ``bm25`` then scores every row 0);
- PostgreSQL: ``search_pg_pairs`` with a weighted ``vector`` of all fields
  and a ``strong_vector`` of title and keywords, each with a GIN index.

Empty until ``search_pairs_rebuild`` chooses the words (the list is empty
until then, so phrases are matched as before).
"""

from django.db import migrations, models

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts_pairs USING fts5("
    "title, keywords, description, body, content='', "
    "tokenize=\"unicode61 remove_diacritics 2 tokenchars '_'\")",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_fts_pairs"]
POSTGRES = [
    "CREATE TABLE search_pg_pairs ("
    "document_id bigint PRIMARY KEY, vector tsvector NOT NULL, strong_vector tsvector NOT NULL)",
    "CREATE INDEX search_pg_pairs_vector ON search_pg_pairs USING GIN (vector)",
    "CREATE INDEX search_pg_pairs_strong ON search_pg_pairs USING GIN (strong_vector)",
]
POSTGRES_REVERSE = ["DROP TABLE IF EXISTS search_pg_pairs"]


def _run(by_vendor):
    def run(apps, schema_editor):
        for statement in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_term_sets"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchPairWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100, unique=True)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
