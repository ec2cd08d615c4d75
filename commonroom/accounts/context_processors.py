"""The member's roles for the page header, computed only if a template asks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commonroom.accounts.roles import is_moderator


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"is_moderator_nav": SimpleLazyObject(lambda: is_moderator(user))}
