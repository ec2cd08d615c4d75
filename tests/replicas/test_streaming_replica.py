"""Read replicas on a real streaming replica (issue 19, item 2).

The test starts its own PostgreSQL primary and a hot standby made with
pg_basebackup, then runs ``streaming_checks.py`` in a pytest of its own with
``DATABASE_URL`` on the primary and ``DATABASE_REPLICA_URLS`` on the
replica, as a deployment sets them: pytest-django creates the test database
on the primary and the replica receives it, migrations and all, by
streaming. It needs only PostgreSQL's server programs, but migrating a
fresh database takes about a minute, so it runs in CI's PostgreSQL pass
only (with DATABASE_URL on PostgreSQL).
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.replicas.servers import Postgres, Replica, log_tail

ROOT = Path(__file__).resolve().parents[2]
CHECKS = Path(__file__).with_name("streaming_checks.py")

pytestmark = [
    pytest.mark.skipif(
        not glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"),
        reason="PostgreSQL's server programs are not installed",
    ),
    # It migrates a database of its own (about a minute): once per CI run,
    # in the PostgreSQL pass.
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs in the PostgreSQL run (DATABASE_URL=postgres://...)",
    ),
]


def test_r_item19_search_and_listings_read_a_streaming_replica_writes_stay_on_the_primary(
    tmp_path,
):
    started = time.monotonic()
    primary = Postgres()
    replica = None
    try:
        replica = Replica(primary)
        env = {
            **os.environ,
            "DATABASE_URL": primary.url,
            "DATABASE_REPLICA_URLS": replica.url,
            "REPLICA_CHECK_SECONDS": "0",
            "REPLICA_MAX_LAG_SECONDS": "1",
            "VAR_DIR": str(tmp_path / "var"),
            "REDIS_URL": "",
            "TASKS_BACKEND": "immediate",
        }
        (tmp_path / "var").mkdir()
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-x", str(CHECKS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        report = done.stdout[-6000:] + done.stderr[-3000:]
        assert done.returncode == 0, report + log_tail(replica.log)
        assert re.search(r"\b1 passed\b", done.stdout), report
    finally:
        if replica is not None:
            replica.stop()
        primary.stop()
    print(f"streaming replica checks: {time.monotonic() - started:.1f} s")
