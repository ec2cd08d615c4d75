from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commonroom.social.models import Notification


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Header facts for signed-in members, computed only if a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
    }
