"""A PostgreSQL host that accepts a connection and never answers (a hung
server, a half-open proxy) fails a connection attempt within
POSTGRES_CONNECT_TIMEOUT seconds, instead of holding a worker's start
(``core.boot``) or a request until TCP gives up; replicas give up after 2 s."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CONNECT = """
import time, django
django.setup()
from django.db import connections, OperationalError
start = time.monotonic()
try:
    connections[{alias!r}].ensure_connection()
except OperationalError:
    print("failed after", round(time.monotonic() - start, 2))
else:
    print("connected")
"""


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A local port whose listener lets connections in (the kernel's
    backlog) and never says a word."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def connect_in_a_process(alias: str, **environment: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "commonroom.settings", **environment}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", CONNECT.format(alias=alias)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_item19_a_silent_primary_fails_within_the_connect_timeout(
    silent_port: int, tmp_path: Path
) -> None:
    said = connect_in_a_process(
        "default",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent_port}/commonroom",
        DATABASE_REPLICA_URLS="",
        POSTGRES_CONNECT_TIMEOUT="1",
        VAR_DIR=str(tmp_path),
    )
    assert said.startswith("failed after"), said
    assert 0.9 <= float(said.split()[-1]) < 3


def test_item19_a_silent_replica_fails_within_two_seconds(silent_port: int, tmp_path: Path) -> None:
    said = connect_in_a_process(
        "replica_1",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/commonroom",
        DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{silent_port}/commonroom",
        POSTGRES_CONNECT_TIMEOUT="30",
        VAR_DIR=str(tmp_path),
    )
    assert said.startswith("failed after"), said
    assert 1.9 <= float(said.split()[-1]) < 4
