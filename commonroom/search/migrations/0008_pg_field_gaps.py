"""PostgreSQL: recompute the tsvectors with a gap between fields, so that a
phrase never spans the end of the title and the start of the keywords (on
FTS5 fields are separate columns; both engines now give the same results)."""

from django.db import migrations


def recompute(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from commonroom.search.backends.postgres import STRONG_VECTOR, TABLE, VECTOR

    schema_editor.execute(
        f"UPDATE {TABLE} m SET vector = {VECTOR}, strong_vector = {STRONG_VECTOR} "
        "FROM search_searchdocument d WHERE d.id = m.document_id"
    )
    # Every row was rewritten: without this the table is twice its size and
    # matching visits twice the pages (measured: 21 → 43 ms for a common
    # word at 100,000 resources) until autovacuum catches up.
    schema_editor.execute(f"VACUUM FULL ANALYZE {TABLE}")


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run in a transaction

    dependencies = [("search", "0007_document_goals")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
