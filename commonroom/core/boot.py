"""Make a new web process ready before it takes traffic.

A process's first request otherwise pays for importing every view module
(the URL configuration), reading the translation catalogues, compiling the
templates and, in the search app, loading the index's columns: about a
second at 100,000 resources, each worker's first visitors waiting. The WSGI
module calls ``warm_up`` once; with gunicorn's ``--preload`` that happens
once in the master, and the workers it forks share what it loaded (pages
are copied only when written).

Each app with something to prepare says so in ``<app>/warmup.py`` with a
``warm_up()`` function (found by ``core.discovery.app_modules``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.template.loader import get_template
from django.urls import get_resolver
from django.urls.resolvers import get_ns_resolver
from django.utils import translation

from commonroom.core.discovery import app_modules

logger = logging.getLogger(__name__)


def _urls() -> None:
    get_resolver().url_patterns  # noqa: B018 - importing the views is the point


def _translations() -> None:
    # The catalogues, and the resolver's reverse lookup, built per language.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")
            _reverse_lookups()


def _reverse_lookups() -> None:
    """The current language's reverse lookups: the root resolver's, and
    those ``reverse()`` builds per namespace (``get_ns_resolver``, cached
    and filled on first use like the root's)."""
    root = get_resolver()
    root.reverse_dict  # noqa: B018
    for prefix, resolver in root.namespace_dict.values():
        converters = tuple(resolver.pattern.converters.items())
        get_ns_resolver(prefix, resolver, converters).reverse_dict  # noqa: B018


def _templates() -> None:
    get_template("base.html")


def warm_up() -> dict[str, float]:
    """Prepare this process; returns milliseconds per step. A step that
    fails (say, a database not migrated yet) is logged and skipped: the
    process still starts, and pays for that step on its first request."""
    steps: list[tuple[str, Callable[[], object]]] = [
        ("urls", _urls),
        ("translations", _translations),
        ("templates", _templates),
    ]
    steps += [(module.__name__, module.warm_up) for module in app_modules("warmup")]
    timings: dict[str, float] = {}
    for name, step in steps:
        start = time.perf_counter()
        try:
            step()
        except Exception:
            logger.warning("warm-up step %s failed", name, exc_info=True)
            continue
        timings[name] = round((time.perf_counter() - start) * 1000, 1)
    # Forked workers must not share the connections the steps opened.
    connections.close_all()
    logger.info("warmed up: %s", timings)
    return timings
