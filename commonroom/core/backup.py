"""Backups of the embedded mode: the SQLite database and both file folders
(MEDIA_ROOT and PRIVATE_MEDIA_ROOT) in one archive with a manifest of row
counts and sha256 hashes, and a restore that checks all of it before
putting anything in place.

Consistent while serving: the database is copied first, in one step of
SQLite's online backup API (one read transaction, so writers go on under
WAL), then the files that copy names (every FileField column of every
model). Services write a file whole before the row that names it commits,
so each named file is complete on disk by then; files not named (an upload
still being written, a leftover) are counted in the manifest, not copied.

PostgreSQL and object storage have their own tools (pg_dump, bucket
versioning); docs/operations.md says how to use them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.db.models import FileField

FORMAT = 1
DATABASE_MEMBER = "database.sqlite3"
MANIFEST_MEMBER = "manifest.json"

# (stage, done, total): the management commands draw it with rich.
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


class BackupError(Exception):
    """A backup or restore refused, with the reason for the operator."""


@dataclass(frozen=True)
class Folder:
    name: str  # the archive's top folder: "media" or "private"
    root: Path


@dataclass(frozen=True)
class FileColumn:
    """A database column holding names of files stored in `folder`."""

    table: str
    column: str
    folder: str


@dataclass
class Manifest:
    created_at: str
    database_sha256: str
    tables: dict[str, int]
    files: dict[str, str]  # archive path -> sha256
    missing: list[str] = field(default_factory=list)  # named by a row, absent
    unnamed: int = 0  # files in the folders that no row names, left out

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def file_count(self, folder: str) -> int:
        return sum(1 for path in self.files if path.startswith(f"{folder}/"))

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "created_at": self.created_at,
                "database": {"sha256": self.database_sha256, "tables": self.tables},
                "files": self.files,
                "missing": self.missing,
                "unnamed": self.unnamed,
            },
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {data.get('format')!r} (expected {FORMAT}).")
        return cls(
            created_at=data["created_at"],
            database_sha256=data["database"]["sha256"],
            tables=data["database"]["tables"],
            files=data["files"],
            missing=data["missing"],
            unnamed=data["unnamed"],
        )


SCALE_MODE_HELP = (
    "manage.py {command} covers the embedded mode (SQLite and local folders). {reason}: "
    "back the database up with pg_dump -Fc (or pg_basebackup with WAL archiving) and the "
    "files with the object store's versioning; see 'Backups at scale' in docs/operations.md."
)


@dataclass(frozen=True)
class Targets:
    """What this installation's backup holds, from its settings."""

    database: Path
    folders: tuple[Folder, ...]
    file_columns: tuple[FileColumn, ...]


def backup_targets(*, command: str) -> Targets:
    """The database file, both folders and every file column, or a refusal
    naming the scale-mode tools when the data is not on this machine."""
    db = connections["default"]
    if db.vendor != "sqlite":
        reason = f"This installation uses {db.display_name}"
        raise BackupError(SCALE_MODE_HELP.format(command=command, reason=reason))
    folders = (
        Folder("media", Path(settings.MEDIA_ROOT)),
        Folder("private", Path(storages["private"].location)),  # type: ignore[attr-defined]
    )
    for alias in ("default", "private"):
        if not isinstance(storages[alias], FileSystemStorage):
            reason = f"Files are kept in {type(storages[alias]).__name__}"
            raise BackupError(SCALE_MODE_HELP.format(command=command, reason=reason))
    name = str(db.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("The database is in memory; there is no file to back up.")
    roots = {folder.root.resolve(): folder.name for folder in folders}
    columns = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, FileField):
                root = Path(model_field.storage.location).resolve()  # type: ignore[attr-defined]
                if root not in roots:
                    raise BackupError(f"{model_field} stores files outside both folders: {root}.")
                table, column = model._meta.db_table, str(model_field.column)
                columns.append(FileColumn(table, column, roots[root]))
    return Targets(Path(name), folders, tuple(columns))


def backup_create(
    *,
    database: Path,
    folders: Sequence[Folder],
    file_columns: Sequence[FileColumn],
    destination: Path,
    progress: Progress = _no_progress,
) -> Manifest:
    """Write the archive at `destination` (never over an existing file)."""
    if not database.is_file():
        raise BackupError(f"No database at {database}.")
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose another name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as staging:
        snapshot = Path(staging) / DATABASE_MEMBER
        progress("database", 0, 1)
        _sqlite_copy(database, snapshot)
        progress("database", 1, 1)
        manifest = Manifest(
            created_at=datetime.now(tz=UTC).isoformat(timespec="seconds"),
            database_sha256=_sha256(snapshot),
            tables=_table_counts(snapshot),
            files={},
        )
        named = _named_files(snapshot, file_columns)
        # Written beside the destination and renamed when complete, so a
        # crash never leaves something that looks like a finished backup.
        partial = Path(staging) / "archive.partial"
        with tarfile.open(partial, _write_mode(destination)) as archive:
            archive.add(snapshot, arcname=DATABASE_MEMBER)
            for folder in folders:
                _add_folder(archive, folder, named, manifest, progress)
            manifest.missing = sorted(named - set(manifest.files))
            data = manifest.to_json().encode()
            info = tarfile.TarInfo(MANIFEST_MEMBER)
            info.size = len(data)
            info.mtime = int(datetime.now(tz=UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, destination)
    return manifest


def backup_restore(
    *,
    archive: Path,
    database: Path,
    folders: Sequence[Folder],
    progress: Progress = _no_progress,
) -> Manifest:
    """Unpack `archive` into an empty location after checking every hash
    and row count; nothing is put in place unless all of it checks out."""
    if not archive.is_file():
        raise BackupError(f"No backup at {archive}.")
    _require_fresh(database, folders)
    database.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=database.parent, prefix=".restore-") as tmp:
        staging = Path(tmp)
        manifest = _unpack(archive, staging, {f.name for f in folders}, progress)
        _verify(staging, manifest, progress)
        # Folders first, the database last: a database file in place means
        # the restore finished.
        for folder in folders:
            unpacked = staging / folder.name
            if folder.root.exists():
                folder.root.rmdir()  # empty, checked above
            folder.root.parent.mkdir(parents=True, exist_ok=True)
            if unpacked.exists():
                shutil.move(unpacked, folder.root)
            else:
                folder.root.mkdir()
        os.replace(staging / DATABASE_MEMBER, database)
    return manifest


def _sqlite_copy(source: Path, target: Path) -> None:
    with (
        closing(sqlite3.connect(source, timeout=20)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        # pages=-1: the whole database in one step, i.e. one read
        # transaction; copied in steps, a write in between would restart it.
        src.backup(dst, pages=-1)
        # One self-contained file (no -wal beside it) in the archive.
        dst.execute("PRAGMA journal_mode=DELETE")


def _table_counts(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as db:
        names = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in names
        }


def _named_files(database: Path, columns: Sequence[FileColumn]) -> set[str]:
    named: set[str] = set()
    with closing(sqlite3.connect(database)) as db:
        for col in columns:
            existing = {row[1] for row in db.execute(f'PRAGMA table_info("{col.table}")')}
            if col.column not in existing:
                continue  # a database not yet migrated to this model
            query = f'SELECT "{col.column}" FROM "{col.table}" WHERE "{col.column}" != \'\''  # noqa: S608
            named.update(f"{col.folder}/{name}" for (name,) in db.execute(query))
    return named


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def _add_folder(
    archive: tarfile.TarFile,
    folder: Folder,
    named: set[str],
    manifest: Manifest,
    progress: Progress,
) -> None:
    paths = list(_files_under(folder.root))
    for done, path in enumerate(paths, start=1):
        name = f"{folder.name}/{path.relative_to(folder.root).as_posix()}"
        if name not in named:
            manifest.unnamed += 1
            continue
        try:
            with path.open("rb") as handle:
                info = archive.gettarinfo(arcname=name, fileobj=handle)
                reader = _HashingReader(handle)
                archive.addfile(info, reader)
        except FileNotFoundError:
            continue  # deleted since it was listed: not in the copied database
        manifest.files[name] = reader.hexdigest()
        progress(folder.name, done, len(paths))


def _require_fresh(database: Path, folders: Sequence[Folder]) -> None:
    taken = [str(p) for p in (database, Path(f"{database}-wal")) if p.exists()]
    taken += [str(f.root) for f in folders if f.root.exists() and any(f.root.iterdir())]
    if taken:
        raise BackupError(
            f"Not restoring over existing data ({', '.join(taken)}): restore into a fresh "
            "location (for example VAR_DIR=/srv/commonroom/restored) or move these away first."
        )


def _unpack(archive: Path, staging: Path, folder_names: set[str], progress: Progress) -> Manifest:
    try:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            for member in members:
                top = member.name.split("/", 1)[0]
                allowed = member.name in (DATABASE_MEMBER, MANIFEST_MEMBER) or (
                    top in folder_names and member.isfile()
                )
                if not allowed or not member.isfile():
                    raise BackupError(f"Unexpected entry {member.name!r} in {archive}.")
            # The "data" filter refuses absolute paths, links and devices.
            for done, member in enumerate(members, start=1):
                tar.extract(member, staging, filter="data")
                progress("unpack", done, len(members))
    except (tarfile.TarError, EOFError) as error:
        raise BackupError(f"{archive} is not a readable Commonroom backup: {error}") from error
    manifest_file = staging / MANIFEST_MEMBER
    if not manifest_file.is_file() or not (staging / DATABASE_MEMBER).is_file():
        raise BackupError(f"{archive} lacks its manifest or database; it is not a full backup.")
    return Manifest.from_json(manifest_file.read_text())


def _verify(staging: Path, manifest: Manifest, progress: Progress) -> None:
    database = staging / DATABASE_MEMBER
    if _sha256(database) != manifest.database_sha256:
        raise BackupError("The database in the backup does not match its manifest (damaged).")
    with closing(sqlite3.connect(database)) as db:
        (check,) = db.execute("PRAGMA integrity_check").fetchone()
    if check != "ok":
        raise BackupError(f"The database in the backup fails SQLite's integrity check: {check}")
    if (counts := _table_counts(database)) != manifest.tables:
        raise BackupError(f"Row counts differ from the manifest: {counts} != {manifest.tables}.")
    present = {
        p.relative_to(staging).as_posix()
        for p in staging.rglob("*")
        if p.is_file() and p.parent != staging
    }
    if present != set(manifest.files):
        raise BackupError(
            "Files differ from the manifest: "
            f"missing {sorted(set(manifest.files) - present)[:5]}, "
            f"unlisted {sorted(present - set(manifest.files))[:5]}."
        )
    for done, (name, digest) in enumerate(sorted(manifest.files.items()), start=1):
        if _sha256(staging / name) != digest:
            raise BackupError(f"{name} does not match its sha256 in the manifest (damaged).")
        progress("verify", done, len(manifest.files))


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _write_mode(destination: Path) -> Any:
    return "w:gz" if destination.name.endswith(".gz") else "w"


class _HashingReader:
    """Hands a file to tarfile and hashes exactly the bytes it stores."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._hash.update(data)
        return data

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
