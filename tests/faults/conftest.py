"""Fault tests start real servers and take minutes: they run with
`make faults` (pytest -m faults tests/faults), which CI runs once, not in
the fast suite."""

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "faults: serves the site with real servers and breaks them (make faults)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "faults" in (config.option.markexpr or "") or os.environ.get("FAULTS") == "1":
        return
    skip = pytest.mark.skip(reason="a fault test: run it with `make faults`")
    for item in items:
        if item.get_closest_marker("faults"):
            item.add_marker(skip)
