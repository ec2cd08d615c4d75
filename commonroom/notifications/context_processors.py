from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commonroom.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """The header's count of unread notifications, computed only if a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
