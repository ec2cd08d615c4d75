from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonroom.core.backup import BackupError, backup_create, backup_targets
from commonroom.core.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Back up the embedded mode while it serves: the SQLite database (online backup API) "
        "and the files of MEDIA_ROOT and PRIVATE_MEDIA_ROOT it names, in one archive with a "
        "manifest of row counts and sha256 hashes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive to write (.tar.gz compresses); default: "
            "var/backups/commonroom-<time>.tar.gz.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
        output = options["output"] or settings.VAR_DIR / "backups" / f"commonroom-{stamp}.tar.gz"
        try:
            targets = backup_targets(command="backup")
            with progress_bar(enabled=options["verbosity"] > 0) as progress:
                manifest = backup_create(
                    database=targets.database,
                    folders=targets.folders,
                    file_columns=targets.file_columns,
                    destination=output,
                    progress=progress,
                )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {manifest.rows} rows in {len(manifest.tables)} tables, "
            f"{manifest.file_count('media')} media files and "
            f"{manifest.file_count('private')} private files to {output}"
        )
        if manifest.missing:
            self.stderr.write(
                f"{len(manifest.missing)} files named in the database were already gone "
                f"(deleted while the backup ran?): {', '.join(manifest.missing[:10])}"
            )
        if manifest.unnamed:
            self.stdout.write(f"{manifest.unnamed} files no row names were left out.")
