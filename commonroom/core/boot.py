"""Make a new web process ready before it takes traffic.

A process's first request otherwise pays for importing every view module
(the URL configuration), reading the translation catalogues, compiling the
templates and, in the search app, loading the index's columns: about a
second at 100,000 resources, each worker's first visitors waiting. The WSGI
module calls ``warm_up`` once; with gunicorn's ``--preload`` that happens
once in the master, and the workers it forks share what it loaded (pages
are copied only when written).

Each app with something to prepare says so in ``<app>/warmup.py`` with a
``warm_up()`` function (found by ``core.discovery.app_modules``).

What cannot be shared is prepared in each worker once it is forked
(``warm_worker``, from gunicorn's ``post_worker_init`` hook): its own
database connection, and what an app's ``warm_worker()`` does on it (the
search app runs a search, so that the page's queries are planned and
prepared on the worker's connection). A worker's first search took 70-80 ms
without it at 100,000 resources (bench/cold_start.py)."""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import connections
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_resolver, reverse
from django.urls.resolvers import URLResolver, get_ns_resolver
from django.utils import translation
from django.utils.functional import SimpleLazyObject, empty
from django.utils.module_loading import import_string

from commonroom.core.discovery import app_modules

logger = logging.getLogger(__name__)


def warm_up_enabled() -> bool:
    """``WARM_UP=false`` (or 0, no, off) skips the master's and the workers' warm-ups."""
    return os.environ.get("WARM_UP", "true").lower() not in {"0", "false", "no", "off"}


def _urls() -> None:
    get_resolver().url_patterns  # noqa: B018 - importing the views is the point


def _translations() -> None:
    # The catalogues, and the resolver's reverse lookup, built per language.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")
            _reverse_lookups()
    # Last, so that the patterns compiled above do not push them out of
    # the ``re`` module's cache (512 entries, oldest out first).
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            _reversed_without_arguments(get_resolver())


def _reversed_without_arguments(resolver: URLResolver, namespace: str = "") -> None:
    """Every URL that takes no arguments, reversed once: ``reverse()``
    checks what it built against the pattern's regular expression, given
    as text and so compiled through the ``re`` module's cache on first use
    (the navigation's links, on every page)."""
    for name in resolver.reverse_dict:
        if isinstance(name, str):
            with suppress(NoReverseMatch):
                reverse(namespace + name)
    for inner, (_prefix, sub) in resolver.namespace_dict.items():
        _reversed_without_arguments(sub, f"{namespace}{inner}:")


def _reverse_lookups() -> None:
    """The current language's reverse lookups: the root resolver's, and
    those ``reverse()`` builds per namespace (``get_ns_resolver``, cached
    and filled on first use like the root's); and the patterns' regular
    expressions, compiled per language on first use (a first request
    compiled those it tried on its way to its view)."""
    root = get_resolver()
    root.reverse_dict  # noqa: B018
    for prefix, resolver in root.namespace_dict.values():
        converters = tuple(resolver.pattern.converters.items())
        get_ns_resolver(prefix, resolver, converters).reverse_dict  # noqa: B018
    _patterns_compiled(root)


def _patterns_compiled(resolver: URLResolver) -> None:
    resolver.pattern.regex  # noqa: B018 - compiling it is the point
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            _patterns_compiled(entry)
        else:
            entry.pattern.regex  # noqa: B018


def _templates() -> None:
    get_template("base.html")


def _request_modules() -> None:
    """What a first request would import: the template context
    processors, the session engine, the message storage and the cache
    backends' modules (not the caches themselves: their connections are
    each worker's own)."""
    for engine in engines.all():
        if isinstance(engine, DjangoTemplates):
            engine.engine.template_context_processors  # noqa: B018 - importing them is the point
    import_module(settings.SESSION_ENGINE)
    import_string(settings.SESSION_SERIALIZER)
    import_string(settings.MESSAGE_STORAGE)
    for cache in settings.CACHES.values():
        import_string(str(cache["BACKEND"]))


def _django_patterns() -> None:
    """Django's module-level regular expressions, compiled on first use
    (``_lazy_re_compile``: the host, language and cookie checks of every
    request among them): compiled here once, before the fork, rather than
    in each worker's first request."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("django.") or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, SimpleLazyObject) and _is_lazy_pattern(value):
                value._setup()


def _is_lazy_pattern(value: SimpleLazyObject[Any]) -> bool:
    # Read from the instance's own dictionary: any other attribute access
    # would evaluate it.
    own = object.__getattribute__(value, "__dict__")
    setup = own.get("_setupfunc")
    return own.get("_wrapped") is empty and getattr(setup, "__qualname__", "").startswith(
        "_lazy_re_compile."
    )


def _timed_steps(steps: list[tuple[str, Callable[[], object]]], what: str) -> dict[str, float]:
    """Runs each step, timed in milliseconds; a failing one is logged and
    skipped."""
    timings: dict[str, float] = {}
    for name, step in steps:
        start = time.perf_counter()
        try:
            step()
        except Exception:
            logger.warning("%s step %s failed", what, name, exc_info=True)
            continue
        timings[name] = round((time.perf_counter() - start) * 1000, 1)
    return timings


KEPT_FOR_GOOD = "objects kept for good"


def _kept_for_good() -> None:
    """Every object alive now (modules, URL patterns, templates,
    translations, the index's vocabularies and caches: hundreds of
    thousands of them) is moved out of the garbage collector's generations
    (``gc.freeze``), as CPython's documentation advises before a fork.
    They live as long as the process, yet each full collection during a
    request walked them all, a pause paid by whichever search it fell in;
    and in a forked worker that walk wrote to each one's header, copying
    the pages it shares with the master. Garbage is collected first, so
    none is kept."""
    gc.collect()
    gc.freeze()


def warm_up() -> dict[str, float]:
    """Prepare this process; returns milliseconds per step. A step that
    fails (say, a database not migrated yet) is logged and skipped: the
    process still starts, and pays for that step on its first request."""
    steps: list[tuple[str, Callable[[], object]]] = [
        ("urls", _urls),
        ("translations", _translations),
        ("templates", _templates),
        ("request modules", _request_modules),
        ("django patterns", _django_patterns),
    ]
    steps += [
        (module.__name__, module.warm_up)
        for module in app_modules("warmup")
        if hasattr(module, "warm_up")
    ]
    timings = _timed_steps(steps, "warm-up")
    # Forked workers must not share the connections the steps opened.
    connections.close_all()
    timings.update(_timed_steps([(KEPT_FOR_GOOD, _kept_for_good)], "warm-up"))
    logger.info("warmed up: %s", timings)
    return timings


def warm_worker() -> dict[str, float]:
    """Prepare a forked worker before it takes traffic: open its database
    connections, then each app's ``warm_worker()``; returns milliseconds
    per step (a failing step is logged and skipped)."""
    steps: list[tuple[str, Callable[[], object]]] = [
        (f"connect {alias}", connections[alias].ensure_connection) for alias in connections
    ]
    steps += [
        (module.__name__, module.warm_worker)
        for module in app_modules("warmup")
        if hasattr(module, "warm_worker")
    ]
    steps.append((KEPT_FOR_GOOD, _kept_for_good))
    timings = _timed_steps(steps, "worker warm-up")
    logger.info("worker warmed up: %s", timings)
    return timings
