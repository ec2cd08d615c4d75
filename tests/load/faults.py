"""The five faults of issue 19, on a running `make cluster`, while the load
runs (tests/load/run.py --faults starts them on a schedule):

    web       one gunicorn (master and workers) killed; the cluster starts it again
    worker    the RQ worker killed while it runs a job; started again
    redis     Redis stopped for 10 s, then started again (its AOF kept)
    postgres  the PostgreSQL primary restarted (fast shutdown)
    s3        the S3 server stopped for 10 s, then started again

Each returns its figures: how long the part was away and the seconds from its
return until it served again (and, for the dependencies, until a page that
needs it answered 200 through nginx). A part is held down by a file in the
cluster's hold/ folder, which deploy/cluster/cluster.py respects.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOWN_SECONDS = 10


def state(var_dir: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((var_dir / "cluster/run/cluster.json").read_text())
    return result


def seconds_until(check: Callable[[], bool], timeout: float = 120) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with contextlib.suppress(OSError, ValueError):
            if check():
                return round(time.monotonic() - start, 2)
        time.sleep(0.1)
    return None


def page_ok(cluster: dict[str, Any], path: str = "/resources/") -> bool:
    context = ssl.create_default_context(cafile=cluster["ca"])
    try:
        with urllib.request.urlopen(cluster["url"] + path, timeout=15, context=context) as answer:  # noqa: S310
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def http_answers(port: int, path: str = "/healthz") -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
        return sock.recv(12).startswith(b"HTTP/1.")


def redis_answers(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")


def kill_group(pid: int, sig: signal.Signals = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def restarted(var_dir: Path, name: str, old_pid: int) -> bool:
    return int(state(var_dir)["pids"].get(name, old_pid)) != old_pid


def web(var_dir: Path, name: str = "web1") -> dict[str, Any]:
    cluster = state(var_dir)
    pid, port = int(cluster["pids"][name]), int(cluster["ports"][name])
    kill_group(pid)
    killed = time.monotonic()
    meanwhile = page_ok(cluster)  # through nginx, by the other process
    back = seconds_until(lambda: restarted(var_dir, name, pid) and http_answers(port))
    return {
        "killed": name,
        "serving again after (s)": back and round(time.monotonic() - killed, 2),
        "site answered meanwhile": meanwhile,
    }


def worker(var_dir: Path) -> dict[str, Any]:
    """Kills the worker while it runs a job (waits up to 60 s for one)."""
    from redis import Redis
    from rq import Worker

    cluster = state(var_dir)
    connection = Redis(port=int(cluster["ports"]["redis"]))
    busy = seconds_until(
        lambda: any(w.get_state() == "busy" for w in Worker.all(connection=connection)),
        timeout=60,
    )
    pid = int(cluster["pids"]["worker"])
    kill_group(pid)
    back = seconds_until(
        lambda: (
            restarted(var_dir, "worker", pid)
            and any(w.get_state() in ("idle", "busy") for w in Worker.all(connection=connection))
        ),
    )
    return {"killed while busy": busy is not None, "working again after (s)": back}


def hold_down(var_dir: Path, name: str, *, stop: Callable[[int], None]) -> float:
    """Stops `name` and keeps it down for DOWN_SECONDS; the time of its return."""
    cluster = state(var_dir)
    hold = Path(cluster["hold"]) / name
    hold.touch()
    try:
        stop(int(cluster["pids"][name]))
        time.sleep(DOWN_SECONDS)
    finally:
        hold.unlink()
    return time.monotonic()


def redis(var_dir: Path) -> dict[str, Any]:
    cluster = state(var_dir)
    port = int(cluster["ports"]["redis"])
    hold_down(var_dir, "redis", stop=lambda pid: kill_group(pid, signal.SIGTERM))
    return {
        "down (s)": DOWN_SECONDS,
        "answering again after (s)": seconds_until(lambda: redis_answers(port)),
        "page again after (s)": seconds_until(lambda: page_ok(cluster)),
    }


def postgres(var_dir: Path) -> dict[str, Any]:
    cluster = state(var_dir)
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        [*as_postgres, f"{cluster['pg_bin']}/pg_ctl", "-D", cluster["pg_data"]["primary"],
         "-l", f"{cluster['logs']}/pg-primary.log", "-m", "fast", "-w", "restart",
         "-o", f"-p {cluster['ports']['pg_primary']} -k {cluster['pg_data']['primary']} "
               "-c listen_addresses=127.0.0.1"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return {
        "restart took (s)": round(time.monotonic() - started, 2),
        "page again after (s)": seconds_until(lambda: page_ok(cluster)),
    }


def s3(var_dir: Path) -> dict[str, Any]:
    cluster = state(var_dir)
    port = int(cluster["ports"]["s3"])
    hold_down(var_dir, "s3", stop=lambda pid: kill_group(pid, signal.SIGTERM))
    # Back when the bucket (replayed from the recording) answers again.
    bucket = seconds_until(lambda: http_answers(port, "/commonroom?list-type=2"))
    return {"down (s)": DOWN_SECONDS, "bucket answering again after (s)": bucket,
            "page again after (s)": seconds_until(lambda: page_ok(cluster))}  # fmt: skip


FAULTS: list[tuple[str, Callable[[Path], dict[str, Any]]]] = [
    ("web process killed", web),
    ("worker killed mid-task", worker),
    ("redis stopped 10 s", redis),
    ("postgresql primary restarted", postgres),
    ("s3 server stopped 10 s", s3),
]


def run_all(var_dir: Path, *, start_after: float, gap: float) -> dict[str, Any]:
    """Each fault in turn, `gap` seconds apart, the first after `start_after`."""
    figures: dict[str, Any] = {}
    time.sleep(start_after)
    for name, fault in FAULTS:
        print(f"faults: {name}", flush=True)
        began = time.monotonic()
        try:
            figures[name] = fault(var_dir)
        except Exception as error:  # the run goes on: every figure is reported
            figures[name] = {"error": repr(error)}
        print(f"faults: {name}: {figures[name]}", flush=True)
        time.sleep(max(0.0, gap - (time.monotonic() - began)))
    return figures


if __name__ == "__main__":
    import sys

    var = Path(os.environ.get("VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    chosen = sys.argv[1:] or [n for n, _f in FAULTS]
    for name, fault in FAULTS:
        if name.split()[0] in chosen or name in chosen:
            print(name, fault(var), flush=True)
