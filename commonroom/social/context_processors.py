from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commonroom.resources.permissions import is_moderator


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Header facts for signed-in members, computed only if a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_moderator_nav": SimpleLazyObject(lambda: is_moderator(user)),
    }
