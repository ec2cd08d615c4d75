"""gunicorn settings module (``gunicorn --config python:commonroom.core.gunicorn_hooks``,
as scripts/serve, deploy/commonroom-web.service and bench/throughput.py start it).

Hooks live here, and one limit every way of starting gunicorn shares; every
other option stays on the command line. Imported
by the master before Django is set up, so nothing Django is imported at the
top.

Metrics (core.metrics): every worker writes its samples to files under
``PROMETHEUS_MULTIPROC_DIR`` and /metrics, in any worker, adds them all up.
When the environment does not name that folder (scripts/serve names one
shared with the task worker), this master makes one of its own under
``VAR_DIR/prometheus/`` before anything imports prometheus_client, and
removes it when it stops."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

_OWN_METRICS_DIR: Path | None = None

# The longest request line gunicorn accepts (its maximum; 4,094 by default).
# The API refuses parameters over 4,096 characters itself, with its JSON
# error (api.inputs), and the site's filter links stay well under this.
limit_request_line = 8190


def _metrics_dir_prepare() -> None:
    global _OWN_METRICS_DIR
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
        return
    var_dir = Path(os.environ.get("VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    folder = var_dir / "prometheus" / f"gunicorn-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    _OWN_METRICS_DIR = folder


# Only in gunicorn's master (a test importing a hook must not switch its
# own process to multi-process metrics).
if Path(sys.argv[0]).name == "gunicorn":
    _metrics_dir_prepare()


def post_worker_init(worker: Any) -> None:
    """A forked worker, before it takes traffic: its own database
    connection and the apps' per-worker warm-up (core.boot.warm_worker).
    WARM_UP=false skips it, as it skips the master's."""
    from commonroom.core.boot import warm_up_enabled, warm_worker

    if warm_up_enabled():
        warm_worker()


def worker_exit(server: Any, worker: Any) -> None:
    """A worker stopping cleanly (a restart, a deploy, max-requests, Ctrl-C)
    writes the views, downloads and searches it still holds (core.counters)."""
    try:
        from commonroom.core.counters import flush_quietly
    except Exception:  # the app never loaded in this worker: nothing was counted
        return
    flush_quietly("gunicorn worker exit")


def child_exit(server: Any, worker: Any) -> None:
    """In the master, for every worker that stopped (cleanly or killed): its
    live gauges' files go; its counters and histograms stay in the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    if _OWN_METRICS_DIR is not None:
        shutil.rmtree(_OWN_METRICS_DIR, ignore_errors=True)
