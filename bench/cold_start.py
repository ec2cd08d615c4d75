"""A new web process's first search, and the memory each worker holds
(issue 15, item 5). Starts gunicorn on loopback against the configured
database (VAR_DIR / DATABASE_URL, as the site), waits until it answers,
times its first search and the next few, then reads each worker's resident
(RSS) and proportional (PSS: shared pages divided among the processes that
share them) memory from /proc.

    VAR_DIR=/tmp/bench-var .venv/bin/python bench/cold_start.py [--workers 2] [--no-preload]
    WARM_UP=false … (the process as it was: everything loaded on the first request)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("/search/?q=breuken", "/search/?q=water&subject=wiskunde", "/search/?q=fotosynthese")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    return {"rss": fields["Rss"], "pss": fields["Pss"]}


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-preload", action="store_true")
    parser.add_argument("--out", help="JSON file for the figures")
    args = parser.parse_args()
    port = free_port()
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "commonroom.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--no-control-socket",
        # The hooks the deployment starts gunicorn with (per-worker warm-up).
        "--config",
        "python:commonroom.core.gunicorn_hooks",
    ]
    if not args.no_preload:
        command.append("--preload")
    env = {**os.environ, "HTTPS": "false", "DEBUG": "false"}
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=60).read()  # noqa: S310
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit("gunicorn stopped")
                time.sleep(0.05)
        ready = time.perf_counter() - started
        timings = []
        for path in QUERIES:
            start = time.perf_counter()
            urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310
            timings.append(round((time.perf_counter() - start) * 1000, 1))
        workers = {pid: memory_kb(pid) for pid in children(server.pid)}
        figures = {
            "preload": not args.no_preload,
            "warm_up": os.environ.get("WARM_UP", "true"),
            "ready_s": round(ready, 2),
            "first_searches_ms": timings,
            "master": memory_kb(server.pid),
            "workers": list(workers.values()),
        }
        print(json.dumps(figures, indent=1))
        if args.out:
            Path(args.out).write_text(json.dumps(figures, indent=1) + "\n")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
