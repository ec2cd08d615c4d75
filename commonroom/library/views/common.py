from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def htmx_request(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def next_url(request: HttpRequest, fallback: str) -> str:
    """Where a plain form post returns to: ``next`` when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)
