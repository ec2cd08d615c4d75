"""Find the adapter modules the project's apps provide for one concern.

A generic app (moderation, search, notifications, personal data) never
imports a content app; each content app that takes part says so with a
module of an agreed name (``<app>/moderation.py``, ``<app>/search.py``,
``<app>/notifications.py``, ``<app>/personal_data.py``), found here. Only the
project's own packages are searched (``settings.PROJECT_PACKAGES``: the test
settings add the test apps), never a third-party app that happens to have a
module of the same name.
"""

from __future__ import annotations

import functools
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings


@functools.cache
def app_modules(submodule: str) -> tuple[ModuleType, ...]:
    """Each installed project app's ``submodule``, in INSTALLED_APPS order."""
    packages = tuple(getattr(settings, "PROJECT_PACKAGES", ("commonroom",)))
    found: list[ModuleType] = []
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in packages:
            continue
        name = f"{config.name}.{submodule}"
        try:
            found.append(import_module(name))
        except ModuleNotFoundError as exc:
            # Only a missing adapter is skipped; a broken import inside one is
            # an error to see.
            if exc.name != name:
                raise
    return tuple(found)
