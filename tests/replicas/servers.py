"""A PostgreSQL primary and one streaming replica of the test's own, on free
ports (never the shared server on 5432): initdb, then pg_basebackup -R."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.faults.harness import Postgres, _pg_bin, free_port, wait_until


class Replica:
    """A hot standby streaming from ``primary``, started at once."""

    def __init__(self, primary: Postgres) -> None:
        self.primary = primary
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="commonroom-replica-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        if primary._as_postgres:
            shutil.chown(self.root, "postgres")
        primary._run(
            _pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
            "-D", self.data, "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
            "-c hot_standby=on -c hot_standby_feedback=on"
        )
        self._ctl = [_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w"]
        primary._run(*self._ctl, "-o", options, "start")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/commonroom"
        wait_until(self.streaming, timeout=20)

    def streaming(self) -> bool:
        return bool(self.primary.query("SELECT count(*) FROM pg_stat_replication")[0][0])

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.primary._run(*self._ctl, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def log_tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-3000:]
    except OSError:
        return ""


__all__ = ["Postgres", "Replica", "log_tail", "subprocess"]
