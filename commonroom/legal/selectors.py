from django.core.cache import cache
from django.shortcuts import get_object_or_404

from commonroom.legal.models import DocumentKind, LegalDocument, MaintenanceMode

TERMS_CACHE_KEY = "legal:terms-current"
MAINTENANCE_CACHE_KEY = "legal:maintenance"
# A short lifetime bounds staleness should a cache delete ever be missed.
CACHE_SECONDS = 30


def terms_current() -> LegalDocument | None:
    return LegalDocument.objects.published().terms().order_by("-published_at", "-id").first()


def terms_current_id() -> int | None:
    """The current terms version's id, cached: asked on every signed-in request."""
    cached = cache.get(TERMS_CACHE_KEY)
    if cached is None:
        current = terms_current()
        cached = current.pk if current else 0
        cache.set(TERMS_CACHE_KEY, cached, CACHE_SECONDS)
    return cached or None


def privacy_current() -> LegalDocument | None:
    return LegalDocument.objects.published().privacy().order_by("-published_at", "-id").first()


def document_versions(kind: str) -> list[LegalDocument]:
    return list(LegalDocument.objects.published().filter(kind=kind))


def document_version_get(*, kind: str, version: str) -> LegalDocument:
    return get_object_or_404(LegalDocument.objects.published(), kind=kind, version=version)


def maintenance_state() -> dict[str, str | bool]:
    state = cache.get(MAINTENANCE_CACHE_KEY)
    if state is None:
        row = MaintenanceMode.objects.first()
        state = {
            "enabled": bool(row and row.enabled),
            "message_nl": row.message_nl if row else "",
            "message_en": row.message_en if row else "",
        }
        cache.set(MAINTENANCE_CACHE_KEY, state, CACHE_SECONDS)
    return state


def member_has_accepted(member_id: int, document_id: int) -> bool:
    from commonroom.legal.models import TermsAcceptance

    return TermsAcceptance.objects.filter(member_id=member_id, document_id=document_id).exists()


__all__ = ["DocumentKind"]
