"""The text analysis changed (issue 15: a Dutch stemmer that keeps words
apart, compounds, prefixes as typed; ``stemming.ANALYSIS_VERSION`` 2): every
stored document's tokens are computed again from its stored text and the
engines' indexes rebuilt (``services.search_reanalyse``). A fresh database
has no documents and this does nothing; it takes about 2.5 ms a document
(four minutes at 100,000 resources). ``manage.py search_rebuild`` does the
same from the sources, at any time."""

from django.db import migrations


def forward(apps, schema_editor):
    if not apps.get_model("search", "SearchDocument").objects.exists():
        return
    # The live service: the analysis to apply is the code's current one.
    from commonroom.search.services import search_reanalyse

    search_reanalyse()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0011_document_kinds"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
