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
# The test client is 127.0.0.1 for every request of the suite: no budget of
# pages (R34) except where a test switches one on (core/tests/test_budgets.py).
ANONYMOUS_BUDGET_PAGES = ""
ANONYMOUS_BUDGET_SEARCH = ""
MEMBER_BUDGET_PAGES = ""
