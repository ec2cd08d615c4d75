from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    """The instance's names (R40) for every template."""
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "OPERATOR_NAME": settings.OPERATOR_NAME,
        "OPERATOR_ADDRESS": settings.OPERATOR_ADDRESS,
    }
