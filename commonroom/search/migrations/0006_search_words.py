"""The vocabulary for "Did you mean" (``SearchWord``) and, per engine, what
finds the words similar to a typed one by trigram similarity
(``suggest.py``):

- PostgreSQL: the pg_trgm extension and a GIN trigram index on the word, for
  ``word % 'typed'`` and ``similarity()``. pg_trgm is a trusted extension
  (PostgreSQL 13+): a database owner without superuser rights may create it.
- SQLite: ``search_word_trigram``, one row per distinct trigram of each word
  (the word padded as pg_trgm pads it, so both engines score alike) with the
  word's number of trigrams ``n``: candidates are counted in one indexed
  ``GROUP BY`` over the typed word's trigrams, within a band of ``n``.

Neither is a Django field, so makemigrations never sees them.
"""

from django.db import migrations, models

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Without fastupdate: new words go straight into the index, not into a
    # pending list that every lookup would scan until the next vacuum (8 ms
    # instead of 1 ms for 34,000 words).
    "CREATE INDEX search_word_trgm ON search_searchword USING GIN (word gin_trgm_ops) "
    "WITH (fastupdate = off)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS search_word_trgm"]

SQLITE = [
    "CREATE TABLE search_word_trigram ("
    "trigram TEXT NOT NULL, n INTEGER NOT NULL, word_id INTEGER NOT NULL, "
    "PRIMARY KEY (trigram, n, word_id)) WITHOUT ROWID",
    "CREATE INDEX search_word_trigram_word ON search_word_trigram (word_id)",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_word_trigram"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_pg_match_table")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
                ("documents", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
