"""The kinds content apps publish over OAI-PMH (``<app>/harvest.py``)."""

from __future__ import annotations

from commonroom.core.discovery import app_modules
from commonroom.oai.protocol import HarvestKind


def harvest_kinds() -> tuple[HarvestKind, ...]:
    """Every registered kind, in INSTALLED_APPS order (the listing order)."""
    found: list[HarvestKind] = []
    for module in app_modules("harvest"):
        found.extend(getattr(module, "HARVESTABLE", ()))
    return tuple(found)


def kind_named(name: str) -> HarvestKind | None:
    for kind in harvest_kinds():
        if kind.name == name:
            return kind
    return None
