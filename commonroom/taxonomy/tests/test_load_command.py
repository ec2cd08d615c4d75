"""``manage.py taxonomy_load`` gives search a new index version (labels)
and rebuilds the index (moved terms)."""

import io

import pytest
from django.core.management import call_command

from commonroom.search import memory
from commonroom.search.tests.conftest import make
from commonroom.taxonomy.models import Subject

pytestmark = pytest.mark.django_db


def test_r2_a_reload_reaches_the_search_page(django_capture_on_commit_callbacks):
    make(title="Getijden", subjects=["physics"])
    before = memory.snapshot()
    Subject.objects.filter(slug="physics").update(label_en="Old label")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("taxonomy_load", stdout=io.StringIO())
    after = memory.snapshot()
    assert after.version > before.version
    assert Subject.objects.get(slug="physics").label_en != "Old label"
    assert after.ids.size == 1  # rebuilt by the task: the resource is still indexed
