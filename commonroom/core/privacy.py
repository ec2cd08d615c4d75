"""Every app that stores personal data says so in a ``personal_data`` module
with two functions, ``export(member) -> dict`` and ``erase(member) -> None``.

The download of one's data (R7) and the erasure on leaving (R6) call them
all, so a new app cannot be forgotten: a test checks that every model with a
link to a member is covered.
"""

from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps


def providers() -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("commonroom."):
            continue
        try:
            found.append(import_module(f"{config.name}.personal_data"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.personal_data":
                raise
    return found


def export_all(member: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for module in providers():
        data.update(module.export(member))
    return data


def erase_all(member: Any) -> None:
    for module in providers():
        erase: Callable[[Any], None] = module.erase
        erase(member)
