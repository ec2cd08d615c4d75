"""Requests per second of a resource page beside a trivial Django view
(issue 15 item 4), both served by the same gunicorn with two workers on
loopback, measured side by side (alternating rounds) by this process.

    VAR_DIR=/tmp/var .venv/bin/python bench/throughput.py
    DATABASE_URL=postgres://…/commonroom_demo .venv/bin/python bench/throughput.py
    … --seconds 10 --rounds 2 --clients 2 --threads 4 --resource /resources/1-…/

It starts ``gunicorn commonroom.wsgi`` as ``scripts/serve`` does (same hooks
module, DEBUG off, no access log) with the settings of
``bench/throughput_site.py`` (the project's, plus ``/bench/trivial``: two
bytes through the whole middleware stack), against the database that
``VAR_DIR`` / ``DATABASE_URL`` (and ``REDIS_URL``, if set) name. The load
comes from ``--clients`` processes of ``--threads`` threads each, every
request on a new connection (gunicorn's sync workers close it), as anonymous
visitors. It prints the req/s of /healthz, of the trivial view and of the
resource page, the ratio (target: the resource page at least 25 % of the
trivial view), and then stops gunicorn with TERM and checks that every view
served was counted in DailyStat (the clean stop flushes the counter buffer).

The load generator shares the machine with the server: on a 2-core machine
it takes some of the CPU the server would get, equally for both pages.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, request: bytes) -> int:
    """One request on a new connection; the status code (0 on failure)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(request)
            head = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                head = head or chunk[:12]
            return int(head[9:12]) if head.startswith(b"HTTP/") else 0
    except OSError:
        return 0


def _client(
    port: int, path: str, seconds: float, threads: int, out: multiprocessing.Queue[tuple[int, int]]
) -> None:
    request = f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept-Language: nl\r\n\r\n".encode()
    deadline = time.monotonic() + seconds
    counts = [[0, 0] for _ in range(threads)]

    def loop(mine: list[int]) -> None:
        while time.monotonic() < deadline:
            if _get(port, request) == 200:
                mine[0] += 1
            else:
                mine[1] += 1

    workers = [threading.Thread(target=loop, args=(c,)) for c in counts]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((sum(c[0] for c in counts), sum(c[1] for c in counts)))


def measure(
    port: int, path: str, seconds: float, clients: int, threads: int
) -> tuple[float, int, int]:
    """Requests per second answered 200, and the counts of good and bad answers."""
    out: multiprocessing.Queue[tuple[int, int]] = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=_client, args=(port, path, seconds, threads, out))
        for _ in range(clients)
    ]
    started = time.monotonic()
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.monotonic() - started
    ok = sum(r[0] for r in results)
    bad = sum(r[1] for r in results)
    return ok / elapsed, ok, bad


def _server_cpu(master: int) -> float:
    """CPU seconds used so far by gunicorn's master and workers (Linux /proc):
    a figure the other loads of a shared machine do not change much."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in [str(master), *children]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _views(resource_id: int) -> int:
    from django.db import connections
    from django.db.models import Sum
    from django.utils import timezone

    from commonroom.resources.models import DailyStat

    connections.close_all()  # see what the server wrote since
    return int(
        DailyStat.objects.filter(resource_id=resource_id, day=timezone.localdate()).aggregate(
            n=Sum("views")
        )["n"]
        or 0
    )


def _first_resource() -> tuple[int, str]:
    from commonroom.resources.models import Resource
    from commonroom.resources.selectors import resources_for_listing

    first = resources_for_listing(kind="").first()
    if first is None:
        sys.exit("No published resource in this database: run `make run` (demo data) first.")
    resource = Resource.objects.get(pk=first.pk)
    return resource.pk, resource.get_absolute_url()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per page, alternating")
    parser.add_argument("--clients", type=int, default=2, help="load processes")
    parser.add_argument("--threads", type=int, default=4, help="connections per load process")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--resource", default="", help="path of the resource page")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    resource_id, resource_path = _first_resource()
    if args.resource:
        resource_path = args.resource
    database = settings.DATABASES["default"]
    print(
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}; "
        f"counters: {'Redis' if settings.COUNTERS_REDIS_URL else 'per process'} "
        f"(flush every {settings.COUNTER_FLUSH_SECONDS:g} s); "
        f"{args.workers} gunicorn workers, {args.clients}×{args.threads} connections, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    views_before = _views(resource_id)

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "throughput_site",
        "HTTPS": "false",
        "DEBUG": "false",
        "BIND": f"127.0.0.1:{port}",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
    }
    server = subprocess.Popen(  # noqa: S603 -- our own gunicorn, on loopback
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "commonroom.wsgi",
            "--config", "python:commonroom.core.gunicorn_hooks",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers),
            "--timeout", "60",
            "--no-control-socket",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _get(port, b"GET /healthz HTTP/1.0\r\n\r\n") != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.2)
        pages = {
            "/healthz (no middleware)": "/healthz",
            "trivial view": "/bench/trivial",
            f"resource page {resource_path}": resource_path,
        }
        served = 0
        for path in pages.values():  # warm: each worker loads the page's code
            _rate, ok, _bad = measure(port, path, 2, args.clients, args.threads)
            served += ok if path == resource_path else 0
        totals: dict[str, list[float]] = {name: [] for name in pages}
        failures = dict.fromkeys(pages, 0)
        cpu = dict.fromkeys(pages, 0.0)
        answered = dict.fromkeys(pages, 0)
        for _round in range(args.rounds):
            for name, path in pages.items():
                before = _server_cpu(server.pid)
                rate, ok, bad = measure(port, path, args.seconds, args.clients, args.threads)
                cpu[name] += _server_cpu(server.pid) - before
                answered[name] += ok
                totals[name].append(rate)
                failures[name] += bad
                served += ok if path == resource_path else 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # a clean stop: workers flush their counts
        server.wait(timeout=60)

    rates = {name: sum(r) / len(r) for name, r in totals.items()}
    width = max(len(name) for name in rates)
    per_request = {name: 1000 * cpu[name] / max(answered[name], 1) for name in pages}
    for name, rate in rates.items():
        rounds = ", ".join(f"{r:.0f}" for r in totals[name])
        print(
            f"{name:<{width}}  {rate:8.1f} req/s  (rounds: {rounds}; failed: {failures[name]}; "
            f"server CPU {per_request[name]:.2f} ms/request)"
        )
    resource = f"resource page {resource_path}"
    ratio = rates[resource] / rates["trivial view"]
    print(f"resource page / trivial view: {ratio:.1%} of the req/s (target ≥ 25 %); ", end="")
    print(f"{per_request['trivial view'] / per_request[resource]:.1%} by server CPU per request")
    print(
        f"resource page / /healthz:     {rates[resource] / rates['/healthz (no middleware)']:.1%}"
    )
    if args.resource:
        return
    counted = _views(resource_id) - views_before
    print(
        f"views counted after the clean stop: {counted} of {served} resource pages served"
        + (" (none lost)" if counted == served else " (MISMATCH)")
    )


if __name__ == "__main__":
    main()
