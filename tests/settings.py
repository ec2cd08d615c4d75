"""The settings the test suite runs with: the project's, plus the test-only
content kind (tests/kinds) that the contract tests plug into the generic apps."""

import os
import sys
import tempfile
from pathlib import Path

from commonroom.settings import *  # noqa: F403
from commonroom.settings import INSTALLED_APPS, STORAGES

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
# Budgets and rate limits count straight in the default cache, which tests
# clear; the counting front of a Redis-less site is tested on its own
# (core/tests/test_rate_cache.py).
RATELIMIT_USE_CACHE = "default"

# Each test process writes files to folders of its own, set here, before
# Django builds a storage: a model's FileField keeps the storage it was given
# at import, so a later change would leave files under VAR_DIR.
# (conftest.py removes the folder at the end.) Only in pytest's own
# processes: a server a test starts with these settings keeps the storage
# its environment names (VAR_DIR, STORAGE_URL), as the test means it to.
TEST_FILES_ROOT: Path | None = None
if "pytest" in sys.modules:
    TEST_FILES_ROOT = Path(
        tempfile.mkdtemp(prefix=f"commonroom-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-")
    )
    MEDIA_ROOT = TEST_FILES_ROOT / "media"
    PRIVATE_MEDIA_ROOT = TEST_FILES_ROOT / "private"
    STORAGES = {
        **STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        },
    }
