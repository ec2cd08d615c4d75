from typing import Any

from django.core.cache import cache
from django.shortcuts import get_object_or_404

from commonroom.legal.models import LegalDocument, MaintenanceMode, TermsAcceptance

# The maintenance switch and the current terms version are read on every
# request; they share one cache entry so that a request costs one cache read.
STATE_CACHE_KEY = "legal:state"
# A short lifetime bounds staleness should a cache delete ever be missed.
CACHE_SECONDS = 30


def terms_current() -> LegalDocument | None:
    return LegalDocument.objects.published().terms().order_by("-published_at", "-id").first()


def privacy_current() -> LegalDocument | None:
    return LegalDocument.objects.published().privacy().order_by("-published_at", "-id").first()


def platform_state(request: Any = None) -> dict[str, Any]:
    """Read once per request: the middlewares share what the first one read."""
    if request is not None and hasattr(request, "_platform_state"):
        return request._platform_state
    state = cache.get(STATE_CACHE_KEY)
    if state is None:
        row = MaintenanceMode.objects.first()
        current = terms_current()
        state = {
            "maintenance": bool(row and row.enabled),
            "message_nl": row.message_nl if row else "",
            "message_en": row.message_en if row else "",
            "terms_id": current.pk if current else None,
        }
        cache.set(STATE_CACHE_KEY, state, CACHE_SECONDS)
    if request is not None:
        request._platform_state = state
    return state


def platform_state_forget() -> None:
    cache.delete(STATE_CACHE_KEY)


def terms_current_id(request: Any = None) -> int | None:
    return platform_state(request)["terms_id"]


def maintenance_state(request: Any = None) -> dict[str, Any]:
    state = platform_state(request)
    return {
        "enabled": state["maintenance"],
        "message_nl": state["message_nl"],
        "message_en": state["message_en"],
    }


def document_versions(kind: str) -> list[LegalDocument]:
    return list(LegalDocument.objects.published().filter(kind=kind))


def document_version_get(*, kind: str, version: str) -> LegalDocument:
    return get_object_or_404(LegalDocument.objects.published(), kind=kind, version=version)


def member_has_accepted(member_id: int, document_id: int) -> bool:
    return TermsAcceptance.objects.filter(member_id=member_id, document_id=document_id).exists()
