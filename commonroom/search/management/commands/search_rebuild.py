from typing import Any

from django.core.management.base import BaseCommand
from rich.progress import Progress

from commonroom.search.services import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the public resources."

    def handle(self, *args: Any, **options: Any) -> None:
        with Progress(disable=options["verbosity"] == 0) as bar:
            task = bar.add_task("Indexing", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            count = search_rebuild(progress=progress)
        self.stdout.write(f"{count} documents indexed.")
