"""Terms 1.1: the complete text in Dutch and English with the same clauses.

Version 1.0 stays as it was published (versions are never edited); 1.1 is
published next to it on instances whose current terms are the shipped 1.0,
so members who accepted 1.0 see the summary of changes and accept 1.1 at
their next visit (TermsNoticeMiddleware). A new instance already got 1.1 from
0002, which runs the same seed_documents().
"""

from django.db import migrations

from commonroom.legal.seed import seed_documents


def forwards(apps, schema_editor):
    seed_documents(apps.get_model("legal", "LegalDocument"))


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_termsacceptance_language")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
