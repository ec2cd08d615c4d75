"""gunicorn settings module (``gunicorn --config python:commonroom.core.gunicorn_hooks``,
as scripts/serve, deploy/commonroom-web.service and bench/throughput.py start it).

Only hooks live here; every other option stays on the command line. Imported
by the master before Django is set up, so nothing Django is imported at the
top."""

from __future__ import annotations

from typing import Any


def worker_exit(server: Any, worker: Any) -> None:
    """A worker stopping cleanly (a restart, a deploy, max-requests, Ctrl-C)
    writes the views, downloads and searches it still holds (core.counters)."""
    try:
        from commonroom.core.counters import flush_quietly
    except Exception:  # the app never loaded in this worker: nothing was counted
        return
    flush_quietly("gunicorn worker exit")
