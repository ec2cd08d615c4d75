"""Issue 12 item 14: a Redis outage is logged once per kind of error and
interval, as one line, not as a traceback for every cache call."""

import logging

import pytest

from commonroom.core.logfilters import RepeatedErrorFilter


def _ignored(error: Exception) -> logging.LogRecord:
    try:
        raise error
    except Exception as raised:
        return logging.LogRecord(
            "django_redis.cache", logging.ERROR, __file__, 1, "Exception ignored", (), (
                type(raised), raised, raised.__traceback__
            ),
        )  # fmt: skip


def test_item14_an_outage_is_told_once_per_interval_as_one_line():
    now = [1000.0]
    told = RepeatedErrorFilter(interval=30, clock=lambda: now[0])
    refused = ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    first = _ignored(refused)
    assert told.filter(first) is True
    assert first.exc_info is None
    assert first.getMessage() == (
        "Exception ignored: Error 111 connecting to 127.0.0.1:6379. Connection refused. "
        "(the same error is not logged again for 30 s)"
    )
    assert [told.filter(_ignored(refused)) for _ in range(400)] == [False] * 400
    assert told.filter(_ignored(TimeoutError("Timeout reading from socket"))) is True
    now[0] += 31
    assert told.filter(_ignored(refused)) is True


@pytest.mark.parametrize("level", [logging.WARNING, logging.ERROR])
def test_item14_a_record_without_an_error_is_kept_as_it_is(level):
    told = RepeatedErrorFilter(interval=30)
    record = logging.LogRecord(
        "django_redis.cache", level, __file__, 1, "plain %s", ("line",), None
    )
    assert told.filter(record) is True
    assert record.getMessage() == "plain line"


def test_item14_the_cache_logger_tells_an_outage_once():
    filters = logging.getLogger("django_redis.cache").filters
    assert [type(f) for f in filters] == [RepeatedErrorFilter]
