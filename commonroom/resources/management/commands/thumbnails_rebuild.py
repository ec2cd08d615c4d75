from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import Progress

from commonroom.resources.thumbnails import Rebuild, files_to_rebuild, thumbnail_rebuild


class Command(BaseCommand):
    help = (
        "Replace the PNG thumbnails of files uploaded before issue 13 item 19 by WebP "
        "in two widths. Each file is committed on its own: stop it at any time and run "
        "it again to go on; files already rebuilt are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=0, help="rebuild at most this many files (0: all)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = list(files_to_rebuild().values_list("pk", flat=True))
        if options["limit"]:
            ids = ids[: options["limit"]]
        counts = dict.fromkeys(Rebuild, 0)
        with Progress(disable=options["verbosity"] == 0) as bar:
            task = bar.add_task("Thumbnails", total=len(ids))
            for file_id in ids:
                counts[thumbnail_rebuild(file_id)] += 1
                bar.advance(task)
        self.stdout.write(
            f"{counts[Rebuild.REBUILT]} thumbnails rebuilt, {counts[Rebuild.SKIPPED]} skipped, "
            f"{counts[Rebuild.FAILED]} kept as they were (no new picture could be made)."
        )
