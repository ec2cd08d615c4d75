"""The member's roles for the page header, computed only if a template asks,
and the key the layout's kept parts are filed under (``{% panel %}`` in
``base.html``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from commonroom.accounts.roles import is_moderator
from commonroom.core.fragments import key_of


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"layout_key": SimpleLazyObject(lambda: _layout_key("visitor"))}
    moderator = SimpleLazyObject(lambda: is_moderator(user))
    return {
        "is_moderator_nav": moderator,
        "layout_key": SimpleLazyObject(
            lambda: _layout_key("member", bool(user.is_staff), bool(moderator))
        ),
    }


def _layout_key(*role: object) -> str:
    """Everything the header's and footer's kept parts show: the language,
    the reader's roles (which links the menu has), the addresses and the
    instance's names (R40)."""
    return key_of(
        get_language(),
        get_script_prefix(),
        role,
        str(settings.PLATFORM_NAME),
        str(settings.OPERATOR_NAME),
        str(settings.OPERATOR_ADDRESS),
    )
