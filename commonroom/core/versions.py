"""Content versions: a number per *scope* that grows whenever something a
page shows about that scope changes, so a page kept rendered (the
``fragments`` cache, ``core.fragments.kept_get``) knows with one small query
whether its copy still holds (issue 15 item 4).

A scope names one row (``scope_of(resource)`` → ``resources.resource:12``)
or a whole model (``scope_of(Member)`` → ``accounts.member``: every page that
shows a member's name depends on it). Writing services call ``changed(...)``
inside their transaction: the new number commits with the change it
announces, so a reader that sees the new number also sees the new rows
(also on a replica, which replays both in one commit) and one that still
sees the old number will store what it renders under the old one, which
the next reader no longer asks for. ``moderation.transitions.transition``
bumps the item it moves; each app bumps what its own services change.

Core knows no content app: the scopes are built from model labels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model

from commonroom.core.models import ContentVersion

Target = Model | type[Model] | str


def scope_of(target: Target, pk: Any = None) -> str:
    """``app.model:pk`` for a row (an instance, or a model and a pk),
    ``app.model`` for a whole model; a string is taken as it is."""
    if isinstance(target, str):
        return target
    if isinstance(target, Model):
        return f"{target._meta.label_lower}:{target.pk}"
    label = target._meta.label_lower
    return label if pk is None else f"{label}:{pk}"


def changed(*targets: Target) -> None:
    """Bump the versions of these scopes, in the caller's transaction (one
    statement; in a fixed order, so two writers never wait on each other
    crosswise)."""
    scopes = sorted({scope_of(t) for t in targets})
    if not scopes:
        return
    table = ContentVersion._meta.db_table
    connection = connections[router.db_for_write(ContentVersion)]
    values = ", ".join(["(%s, 1)"] * len(scopes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, version) VALUES {values} "  # noqa: S608 -- our table name
            f"ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1",
            scopes,
        )


def current(scopes: Sequence[str]) -> tuple[int, ...]:
    """The versions of these scopes, in their order (0 for one never
    bumped): one query by primary key."""
    if not scopes:
        return ()
    table = ContentVersion._meta.db_table
    connection = connections[router.db_for_read(ContentVersion)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, version FROM {table} WHERE scope IN "  # noqa: S608 -- our table name
            f"({', '.join(['%s'] * len(scopes))})",
            list(scopes),
        )
        found: dict[str, int] = dict(cursor.fetchall())
    return tuple(found.get(scope, 0) for scope in scopes)


def scopes_of(targets: Iterable[Target]) -> list[str]:
    return [scope_of(t) for t in targets]
