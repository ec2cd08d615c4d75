"""The settings the test suite runs with: the project's, plus the test-only
content kind (tests/kinds) that the contract tests plug into the generic apps."""

from commonroom.settings import *  # noqa: F403
from commonroom.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kinds"]
PROJECT_PACKAGES = ("commonroom", "tests")
