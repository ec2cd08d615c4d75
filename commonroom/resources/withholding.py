"""Apps that may withhold a published resource from discovery.

A published resource can lose its place in search, listings and feeds for
a reason another app owns: organisations withhold the resources published
under an organisation staff excluded (R24). Resources know no such app;
each says so in its own ``<app>/resource_withholding.py`` (found by
``core.discovery.app_modules``) with:

- ``withheld() -> Q``: the condition over ``Resource`` rows it withholds;
- ``NOTE``: what the resource's author is told on its page;
- ``RELEASE_LABEL`` and ``release_url(resource_id)``: the button (a POST)
  by which the author brings it back.

``ResourceQuerySet.published()`` leaves the withheld rows out, so the
search index, feeds and every listing lose them at once; the page stays at
its address for the author and for those who have the link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django_stubs_ext import StrOrPromise

from commonroom.core.discovery import app_modules


def withheld_condition() -> Q | None:
    """Any app's condition, or None when no app withholds anything."""
    condition: Q | None = None
    for module in app_modules("resource_withholding"):
        found: Q = module.withheld()
        condition = found if condition is None else condition | found
    return condition


@dataclass(frozen=True)
class Withholding:
    note: StrOrPromise
    release_label: StrOrPromise
    release_url: str


def withholdings(resource_id: int) -> list[Withholding]:
    """What the author is told: one note per app withholding this resource,
    one query per such app (only the author's own page asks)."""
    from commonroom.resources.models import Resource

    return [
        Withholding(module.NOTE, module.RELEASE_LABEL, module.release_url(resource_id))
        for module in app_modules("resource_withholding")
        if Resource.objects.filter(module.withheld(), pk=resource_id).exists()
    ]
