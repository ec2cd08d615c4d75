from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonroom.core.backup import BackupError, backup_restore, backup_targets
from commonroom.core.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into a fresh location (the database file and "
        "both folders of these settings must not exist yet, or be empty), after checking "
        "every row count and sha256 hash against its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="An archive written by manage.py backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            targets = backup_targets(command="restore")
            with progress_bar(enabled=options["verbosity"] > 0) as progress:
                manifest = backup_restore(
                    archive=options["archive"],
                    database=targets.database,
                    folders=targets.folders,
                    progress=progress,
                )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest.created_at}: {manifest.rows} rows in "
            f"{len(manifest.tables)} tables, {manifest.file_count('media')} media files and "
            f"{manifest.file_count('private')} private files, all matching the manifest, "
            f"into {targets.database} ({', '.join(str(f.root) for f in targets.folders)}). "
            "Run manage.py migrate if this code is newer than the backup."
        )
