"""The settings the test suite runs with: the project's, plus the test-only
content kind (tests/kinds) that the contract tests plug into the generic apps."""

from commonroom.settings import *  # noqa: F403
from commonroom.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kinds"]
PROJECT_PACKAGES = ("commonroom", "tests")
# Counters wait in the test process until a test flushes them
# (core.counters); the Redis tests point them at their own server.
COUNTER_FLUSH_SECONDS = 0.0
COUNTERS_REDIS_URL = ""
