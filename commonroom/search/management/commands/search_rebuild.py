from typing import Any

from django.core.management.base import BaseCommand
from rich.progress import Progress

from commonroom.search.services import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the public resources."

    def handle(self, *args: Any, **options: Any) -> None:
        with Progress(disable=options["verbosity"] == 0) as bar:
            task = bar.add_task("Indexing", total=None)
            sets = bar.add_task("Frequent word sets", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            def sets_progress(done: int, total: int) -> None:
                bar.update(sets, completed=done, total=total)

            count = search_rebuild(progress=progress, sets_progress=sets_progress)
        self.stdout.write(f"{count} documents indexed.")
