"""Every app that stores personal data says so in a ``personal_data`` module
with two functions, ``export(member) -> dict`` and ``erase(member) -> None``.

The download of one's data (R7) and the erasure on leaving (R6) call them
all, so a new app cannot be forgotten: a test checks that every model with a
link to a member is covered.
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any

from commonroom.core.discovery import app_modules


def providers() -> list[ModuleType]:
    return list(app_modules("personal_data"))


def export_all(member: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for module in providers():
        data.update(module.export(member))
    return data


def erase_all(member: Any) -> None:
    for module in providers():
        erase: Callable[[Any], None] = module.erase
        erase(member)
