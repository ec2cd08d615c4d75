"""Logging filters: an outage is told once, not once a request.

While Redis is away every cache read and write of every request fails and is
ignored (settings: IGNORE_EXCEPTIONS); logged in full, that is hundreds of
tracebacks a second that bury the one line an operator needs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class RepeatedErrorFilter(logging.Filter):
    """Lets the first record of each kind of error through, as one line with
    the error, and drops the same kind for ``interval`` seconds after it."""

    def __init__(self, interval: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._last_told: dict[tuple[str, str], float] = {}

    def reset(self) -> None:
        """Forget what was told: the next error of each kind is logged."""
        self._last_told.clear()

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        kind = (record.name, type(error).__qualname__ if error else record.getMessage())
        now = self.clock()
        last = self._last_told.get(kind)
        if last is not None and now - last < self.interval:
            return False
        self._last_told[kind] = now
        if error is not None:
            told = record.getMessage()
            record.msg = "%s: %s (the same error is not logged again for %d s)"
            record.args = (told, error, self.interval)
            record.exc_info = None
            record.exc_text = None
        return True


class MinimumLevelFilter(logging.Filter):
    """Lets through only records at ``level`` or above.

    A filter rather than a logger level because the db_worker command sets
    its loggers' levels from its -v option, overriding LOGGING: its two INFO
    lines per task (running, successful) buried the mails printed between
    them, while a failed task, logged as an ERROR, must still be seen."""

    def __init__(self, level: str | int = logging.WARNING) -> None:
        super().__init__()
        self.level = logging.getLevelName(level) if isinstance(level, str) else level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level
