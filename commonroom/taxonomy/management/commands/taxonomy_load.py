from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from commonroom.taxonomy.loading import load_taxonomy


class Command(BaseCommand):
    help = "Create or update the vocabularies from commonroom/taxonomy/taxonomy.json."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            load_taxonomy(lambda name: apps.get_model("taxonomy", name))
        self.stdout.write(self.style.SUCCESS("Vocabularies loaded."))
