"""What a forked web worker reads before its first request
(``core.boot.warm_worker``)."""

from __future__ import annotations

from commonroom.legal.selectors import platform_state


def warm_worker() -> None:
    """The platform's state (maintenance, the current terms), which every
    request reads from the cache: put there, if it is not, by the worker
    rather than by its first visitor. In the worker, not the master: the
    cache's connections are each worker's own."""
    platform_state()
