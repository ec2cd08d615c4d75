from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

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
            transaction.on_commit(search_rebuild_task.enqueue)
        self.stdout.write(self.style.SUCCESS("Vocabularies loaded; the search index is rebuilt."))
