from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from commonroom.core.storage_migrate import Stored, storage_migrate


class Command(BaseCommand):
    help = (
        "Copy every stored file (PRIVATE_MEDIA_ROOT and MEDIA_ROOT) into the bucket of "
        "STORAGE_URL (--to s3) or back to the folders (--to disk). Each file is read back "
        "and compared (size, sha256); files the target already holds are skipped, so an "
        "interrupted run goes on where it stopped. The sources stay unless --delete-source."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", choices=("s3", "disk"), required=True)
        parser.add_argument(
            "--delete-source",
            action="store_true",
            help="delete each source file once its copy is verified",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            disable=options["verbosity"] == 0,
        ) as bar:
            task = bar.add_task(f"Files to {options['to']}", total=None)

            def on_total(files: int, size: int) -> None:
                bar.update(task, total=size, description=f"{files} files to {options['to']}")

            def on_file(stored: Stored) -> None:
                bar.advance(task, stored.size)

            outcome = storage_migrate(
                direction=options["to"],
                delete_source=options["delete_source"],
                on_total=on_total,
                on_file=on_file,
            )
        self.stdout.write(
            f"{outcome.copied} files copied ({outcome.bytes_copied} bytes), "
            f"{outcome.skipped} already there, {outcome.deleted} sources deleted, "
            f"{len(outcome.failed)} failed."
        )
        if outcome.failed:
            for line in outcome.failed[:20]:
                self.stderr.write(f"  failed: {line}")
            raise CommandError(
                f"{len(outcome.failed)} files were not moved (their sources are kept); "
                "run the command again."
            )
