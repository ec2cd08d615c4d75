"""Issue 12 item 17 end to end: `manage.py backup` of the embedded mode while
scripts/serve takes uploads through the real form, `manage.py restore` into a
fresh VAR_DIR, and the restored copy compared with the manifest."""

import hashlib
import json
import sqlite3
import tarfile
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.faults.harness import Site, wait_until

SETUP = """
import json
from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.taxonomy.models import EducationLevel, Language, ResourceKind, Subject
members = [MemberFactory(email=f"backup{i}@school.example") for i in range(3)]
print(json.dumps({
    "members": [m.email for m in members], "password": PASSWORD,
    "kind": ResourceKind.objects.get(slug="worksheet").pk,
    "language": Language.objects.get(slug="en").pk,
    "subject": Subject.objects.get(slug="biology").pk,
    "level": EducationLevel.objects.get(slug="secondary").pk,
}))
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.faults
@pytest.mark.timeout(600)
def test_item17_backup_while_serving_uploads_restores_whole_into_a_fresh_var_dir(tmp_path):
    from commonroom.resources.tests.helpers import pdf_bytes

    site = Site(
        tmp_path / "live",
        {
            "TASKS_BACKEND": "database",
            # The uploads are the load, not a flood to throttle (R20 is tested elsewhere).
            "NEW_ACCOUNT_DAYS": "0",
            "RATE_LIMIT_UPLOAD": "100000/h",
        },
        workers=2,
    )
    site.manage("migrate", "--noinput", "-v", "0")
    setup = json.loads(site.manage("shell", "-c", SETUP).strip().splitlines()[-1])
    archive = tmp_path / "commonroom.tar.gz"
    acked: list[tuple[float, str]] = []
    stop = threading.Event()

    def uploads(email: str) -> None:
        client = site.client()
        client.sign_in(email, setup["password"])
        n = 0
        while not stop.is_set():
            n += 1
            title = f"Backup worksheet {email.split('@')[0]}-{n}"
            answer = client.post(
                "/resources/new/",
                {
                    "title": title, "description": "Pupils label the parts of a leaf.",
                    "kind": str(setup["kind"]), "language": str(setup["language"]),
                    "subjects": [str(setup["subject"])], "levels": [str(setup["level"])],
                    "keywords": "leaf", "rights_confirmed": "on",
                },
                files={"files": (f"leaf-{n}.pdf", pdf_bytes(title), "application/pdf")},
                token=client.csrf(),
            )  # fmt: skip
            if answer.status == 302 and "/licence/" in answer.headers.get("Location", ""):
                acked.append((time.monotonic(), title))

    site.start()
    threads = [threading.Thread(target=uploads, args=(e,), daemon=True) for e in setup["members"]]
    try:
        wait_until(lambda: site.client().get("/healthz").status == 200, timeout=120, step=0.5)
        for thread in threads:
            thread.start()
        wait_until(lambda: len(acked) >= 10, timeout=120)
        began = time.monotonic()
        out = site.manage("backup", "--output", str(archive), "-v", "1")
        ended = time.monotonic()
        wait_until(lambda: acked[-1][0] > ended, timeout=60)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        site.stop()
    during = [title for at, title in acked if began < at < ended]
    before = {title for at, title in acked if at < began}

    fresh = Site(tmp_path / "fresh", {"TASKS_BACKEND": "database"})
    restored_out = fresh.manage("restore", str(archive))

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    var = tmp_path / "fresh/var"
    with closing(sqlite3.connect(var / "commonroom.sqlite3")) as db:
        counts = {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in manifest["database"]["tables"]
        }
        titles = {t for (t,) in db.execute("SELECT title FROM resources_resource")}
        named = {
            f"private/{name}"
            for row in db.execute(
                "SELECT file, thumbnail, thumbnail_small FROM resources_resourcefile"
            )
            for name in row
            if name
        }
    files = {
        p.relative_to(var).as_posix(): sha256(p)
        for folder in ("media", "private")
        for p in (var / folder).rglob("*")
        if p.is_file()
    }
    print(  # the figures
        f"\nitem 17: {len(acked)} uploads acknowledged, {len(during)} while the backup ran "
        f"({ended - began:.1f} s); restored {sum(counts.values())} rows in {len(counts)} tables, "
        f"{len(files)} files; {out.strip()}"
    )
    assert counts == manifest["database"]["tables"]
    assert files == manifest["files"]
    assert named == set(files)  # every row has its file, no file lacks its row
    assert manifest["missing"] == []
    assert before <= titles  # everything acknowledged before the backup began
    assert counts["resources_resource"] == len(titles) >= len(before) >= 10
    assert "all matching the manifest" in restored_out
    # A second restore into the same place is refused; the first stays intact.
    with pytest.raises(RuntimeError, match="Not restoring over existing data"):
        fresh.manage("restore", str(archive))
