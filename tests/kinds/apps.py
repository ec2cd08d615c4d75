from django.apps import AppConfig


class KindsConfig(AppConfig):
    """A content kind that exists only in the tests: it plugs into moderation,
    search and notifications through its own adapter modules, proving that a
    new kind needs no change to the generic apps."""

    name = "tests.kinds"
    label = "test_kinds"
