from typing import Any

from django.http import HttpRequest

from commonroom.legal.models import LegalDocument


def terms_notice(request: HttpRequest) -> dict[str, Any]:
    notice_id = getattr(request, "terms_notice_id", None)
    if not notice_id:
        return {}
    return {"terms_notice": LegalDocument.objects.filter(pk=notice_id).first()}
