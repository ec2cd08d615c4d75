from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.search.services import search_index_touch
from commonroom.search.tasks import search_rebuild_task
from commonroom.taxonomy.loading import load_taxonomy


class Command(BaseCommand):
    help = "Create or update the vocabularies from commonroom/taxonomy/taxonomy.json."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            load_taxonomy(lambda name: apps.get_model("taxonomy", name))
            # Search pages read the new labels at once; a moved term changes
            # which resources its ancestors count, so the index is rebuilt.
            search_index_touch()
            task_enqueue_on_commit(task=search_rebuild_task)
        self.stdout.write(self.style.SUCCESS("Vocabularies loaded; the search index is rebuilt."))
