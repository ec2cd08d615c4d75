"""Issue 12 item 17: backups of the embedded mode, taken while it serves."""

import hashlib
import io
import os
import sqlite3
import tarfile
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from commonroom.core.backup import (
    BackupError,
    FileColumn,
    Folder,
    backup_create,
    backup_restore,
    backup_targets,
)

COLUMNS = (FileColumn("upload", "file", "private"), FileColumn("photo", "image", "media"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Site:
    """A serving installation in miniature: a WAL SQLite file and two folders,
    written the way the services write (file whole first, then the row)."""

    def __init__(self, root: Path) -> None:
        self.database = root / "commonroom.sqlite3"
        self.folders = (Folder("media", root / "media"), Folder("private", root / "private"))
        for folder in self.folders:
            folder.root.mkdir(parents=True)
        with closing(sqlite3.connect(self.database)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE upload (id INTEGER PRIMARY KEY, file TEXT NOT NULL)")
            db.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, image TEXT NOT NULL)")
            db.commit()
        self.written = 0

    def write(self, db: sqlite3.Connection, n: int) -> None:
        name = f"resources/{n}/sheet-{n}.pdf"
        path = self.folders[1].root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(1000 + n % 7 * 9000))
        photo = f"profiles/{n}.jpg"
        (self.folders[0].root / "profiles").mkdir(exist_ok=True)
        (self.folders[0].root / photo).write_bytes(os.urandom(500))
        with db:
            db.execute("INSERT INTO upload (id, file) VALUES (?, ?)", (n, name))
            db.execute("INSERT INTO photo (id, image) VALUES (?, ?)", (n, photo))
        self.written += 1


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path / "serving")


def test_item17_backup_taken_during_writes_restores_whole_into_a_fresh_location(tmp_path, site):
    with closing(sqlite3.connect(site.database, timeout=20, check_same_thread=False)) as db:
        for n in range(1, 201):
            site.write(db, n)
        # An upload still being written when the backup runs: no row yet.
        partial = site.folders[1].root / "resources/in-progress.pdf"
        partial.write_bytes(b"%PDF-1.7 half")

        stop = threading.Event()

        def writer() -> None:
            n = 1000
            while not stop.is_set():
                n += 1
                site.write(db, n)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            while site.written < 230:
                time.sleep(0.01)
            before = site.written
            manifest = backup_create(
                database=site.database,
                folders=site.folders,
                file_columns=COLUMNS,
                destination=tmp_path / "backups/commonroom.tar.gz",
            )
            during = site.written - before
        finally:
            stop.set()
            thread.join(timeout=30)
    assert during > 0, "the writer must have written while the backup ran"

    fresh = tmp_path / "fresh"
    restored = backup_restore(
        archive=tmp_path / "backups/commonroom.tar.gz",
        database=fresh / "commonroom.sqlite3",
        folders=(Folder("media", fresh / "media"), Folder("private", fresh / "private")),
    )

    assert restored == manifest
    with closing(sqlite3.connect(fresh / "commonroom.sqlite3")) as db:
        uploads = db.execute("SELECT file FROM upload ORDER BY id").fetchall()
        photos = db.execute("SELECT image FROM photo ORDER BY id").fetchall()
        counts = {
            "upload": db.execute("SELECT count(*) FROM upload").fetchone()[0],
            "photo": db.execute("SELECT count(*) FROM photo").fetchone()[0],
        }
    assert counts == manifest.tables == {"upload": len(uploads), "photo": len(uploads)}
    assert 230 <= len(uploads) <= site.written
    # Every row has its file, byte for byte as served; no file lacks its row.
    expected = {f"private/{name}" for (name,) in uploads} | {f"media/{n}" for (n,) in photos}
    on_disk = {
        p.relative_to(fresh).as_posix()
        for p in fresh.rglob("*")
        if p.is_file() and p.name != "commonroom.sqlite3"
    }
    assert on_disk == expected == set(manifest.files)
    for name in sorted(expected):
        assert sha256(fresh / name) == manifest.files[name] == sha256(site.database.parent / name)
    assert manifest.missing == []
    assert manifest.unnamed >= 1  # the half-written upload stayed out
    assert not (fresh / "private/resources/in-progress.pdf").exists()


def test_item17_restore_refuses_an_occupied_location_and_changes_nothing(tmp_path, site):
    with closing(sqlite3.connect(site.database)) as db:
        site.write(db, 1)
    archive = tmp_path / "b.tar"
    backup_create(
        database=site.database, folders=site.folders, file_columns=COLUMNS, destination=archive
    )
    before = sha256(site.database)

    with pytest.raises(BackupError) as refused:
        backup_restore(archive=archive, database=site.database, folders=site.folders)

    assert str(refused.value) == (
        f"Not restoring over existing data ({site.database}, {site.folders[0].root}, "
        f"{site.folders[1].root}): restore into a fresh location (for example "
        "VAR_DIR=/srv/commonroom/restored) or move these away first."
    )
    assert sha256(site.database) == before


def test_item17_restore_refuses_a_damaged_archive_and_puts_nothing_in_place(tmp_path, site):
    with closing(sqlite3.connect(site.database)) as db:
        site.write(db, 1)
    archive = tmp_path / "b.tar"
    backup_create(
        database=site.database, folders=site.folders, file_columns=COLUMNS, destination=archive
    )
    # Flip the content of the stored resource file, keeping its size.
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("private/"):
                data = bytes(b ^ 0xFF for b in data)
            target.addfile(member, io.BytesIO(data))
    fresh = tmp_path / "fresh"

    with pytest.raises(BackupError) as refused:
        backup_restore(
            archive=damaged,
            database=fresh / "db.sqlite3",
            folders=(Folder("media", fresh / "media"), Folder("private", fresh / "private")),
        )

    assert str(refused.value) == (
        "private/resources/1/sheet-1.pdf does not match its sha256 in the manifest (damaged)."
    )
    assert [p.name for p in fresh.iterdir()] == []


def test_item17_backup_refuses_an_existing_archive(tmp_path, site):
    archive = tmp_path / "b.tar"
    archive.write_bytes(b"an older backup")
    with pytest.raises(BackupError, match=r"b\.tar already exists; choose another name\."):
        backup_create(
            database=site.database, folders=site.folders, file_columns=COLUMNS, destination=archive
        )
    assert archive.read_bytes() == b"an older backup"


@pytest.mark.django_db
def test_item17_backup_command_points_postgresql_to_its_own_tools():
    if connection.vendor == "sqlite":
        # The test database is in memory: nothing on disk to copy.
        with pytest.raises(CommandError, match=r"^The database is in memory; there is no file"):
            call_command("backup", verbosity=0)
        return
    with pytest.raises(CommandError) as refused:
        call_command("restore", "/nonexistent.tar.gz", verbosity=0)
    assert str(refused.value) == (
        "manage.py restore covers the embedded mode (SQLite and local folders). This "
        "installation uses PostgreSQL: back the database up with pg_dump -Fc (or "
        "pg_basebackup with WAL archiving) and the files with the object store's versioning; "
        "see 'Backups at scale' in docs/operations.md."
    )


def test_item17_every_file_column_is_backed_up_from_its_folder(settings, monkeypatch):
    """Both folders, and each FileField of every model, found without a list to keep."""
    from django.db import connections

    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", "/srv/x/commonroom.sqlite3")
    targets = backup_targets(command="backup")
    assert targets.database == Path("/srv/x/commonroom.sqlite3")
    assert [f.name for f in targets.folders] == ["media", "private"]
    assert set(targets.file_columns) >= {
        FileColumn("resources_resourcefile", "file", "private"),
        FileColumn("resources_resourcefile", "thumbnail", "private"),
    }
    # Profile photos too, from whichever folder their storage writes to.
    assert ("accounts_profile", "photo") in {(c.table, c.column) for c in targets.file_columns}
